import MIDIFile

/// How a note-off is matched when several notes of one channel and key are sounding,
/// which happens when a file re-strikes a key without releasing it.
public enum NotePairing: String, Hashable, Sendable, Codable, CaseIterable {
    /// Each off ends the oldest sounding note (MIDIFile's `Track.pairNotes()`).
    case firstInFirstOut = "fifo"
    /// An off ends every sounding note of its key, as a synthesizer releases the key, and
    /// as music21 (each note-on ends at the next note-off of its key) and pretty_midi read
    /// files. A missing note-off then stretches one note, instead of shifting every
    /// later note of that key onto the next note's off.
    case offEndsAll = "off-ends-all"

    public func pair(_ track: Track) -> TrackNotes {
        switch self {
        case .firstInFirstOut:
            let paired = track.pairNotes()
            return TrackNotes(
                notes: paired.notes, closedAtTrackEnd: paired.closedAtTrackEnd,
                unmatchedNoteOffs: paired.unmatchedNoteOffs)
        case .offEndsAll:
            return Self.pairEndingAll(track)
        }
    }

    /// Open notes wait in flat slots keyed by channel × 128 + key, each slot a chain
    /// through `nextOpen`, so pairing allocates nothing per note.
    private static func pairEndingAll(_ track: Track) -> TrackNotes {
        var notes: [Note] = []
        notes.reserveCapacity(track.events.count / 2)
        var nextOpen: [Int32] = []
        nextOpen.reserveCapacity(track.events.count / 2)
        var unmatched = 0
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 16 * 128) { newest in
            newest.initialize(repeating: -1)
            for event in track.events where event.status & 0xE0 == 0x80 {
                let key = Int(event.status & 0x0F) << 7 | Int(event.data1 & 0x7F)
                if event.status & 0xF0 == 0x90 && event.data2 > 0 {
                    nextOpen.append(newest[key])
                    newest[key] = Int32(notes.count)
                    notes.append(
                        Note(
                            channel: event.status & 0x0F, pitch: event.data1, velocity: event.data2, onset: event.tick,
                            duration: -1))
                } else {
                    var open = newest[key]
                    if open < 0 { unmatched += 1 }
                    while open >= 0 {
                        notes[Int(open)].duration = event.tick - notes[Int(open)].onset
                        open = nextOpen[Int(open)]
                    }
                    newest[key] = -1
                }
            }
        }
        var closed = 0
        let end = track.lastTick
        for index in notes.indices where notes[index].duration < 0 {
            notes[index].duration = end - notes[index].onset
            closed += 1
        }
        return TrackNotes(notes: notes, closedAtTrackEnd: closed, unmatchedNoteOffs: unmatched)
    }
}

/// One track's notes in onset order, and what pairing could not match.
public struct TrackNotes: Sendable {
    public var notes: [Note]
    /// Notes never switched off, closed at the track's end.
    public var closedAtTrackEnd: Int
    /// Note-offs with no sounding note of their channel and key.
    public var unmatchedNoteOffs: Int
}
