/// Facts of General MIDI channels, numbered 0–15 as the status byte holds them.
public enum MIDIChannel {
    /// Channel 10 to musicians: its key numbers name drums, not pitches.
    public static let drums: UInt8 = 9
}

/// A sounding note paired from its note-on and note-off.
public struct Note: Hashable, Sendable {
    public var channel: UInt8
    public var pitch: UInt8
    public var velocity: UInt8
    public var onset: Int
    public var duration: Int

    public init(channel: UInt8, pitch: UInt8, velocity: UInt8, onset: Int, duration: Int) {
        self.channel = channel
        self.pitch = pitch
        self.velocity = velocity
        self.onset = onset
        self.duration = duration
    }
}

/// The notes of one track, in onset order, with what pairing could not match.
public struct PairedNotes: Sendable {
    public var notes: [Note]
    /// Notes never switched off, closed at the track's end.
    public var closedAtTrackEnd: Int
    /// Note-offs with no sounding note of their channel and pitch.
    public var unmatchedNoteOffs: Int
}

extension Track {
    /// Pairs note-ons with note-offs per channel × pitch; a velocity-0 note-on is an off,
    /// and overlapping notes of one pitch close first-in, first-out.
    ///
    /// Open notes wait in flat slots keyed by channel × 128 + pitch, each slot a FIFO
    /// chained through `nextOpen`, so pairing allocates nothing per note.
    public func pairNotes() -> PairedNotes {
        var notes: [Note] = []
        notes.reserveCapacity(events.count / 2)
        var nextOpen: [Int32] = []
        nextOpen.reserveCapacity(events.count / 2)
        var unmatched = 0
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * 16 * 128) { slots in
            slots.initialize(repeating: -1)
            // slots[key] is the oldest open note, slots[2048 + key] the newest.
            for event in events where event.status & 0xE0 == 0x80 {
                let key = Int(event.status & 0x0F) << 7 | Int(event.data1 & 0x7F)
                if event.status & 0xF0 == 0x90 && event.data2 > 0 {
                    let index = Int32(notes.count)
                    notes.append(
                        Note(
                            channel: event.status & 0x0F, pitch: event.data1, velocity: event.data2, onset: event.tick,
                            duration: -1))
                    nextOpen.append(-1)
                    let newest = slots[2048 + key]
                    if newest >= 0 { nextOpen[Int(newest)] = index } else { slots[key] = index }
                    slots[2048 + key] = index
                } else {
                    let oldest = slots[key]
                    guard oldest >= 0 else {
                        unmatched += 1
                        continue
                    }
                    notes[Int(oldest)].duration = event.tick - notes[Int(oldest)].onset
                    let following = nextOpen[Int(oldest)]
                    slots[key] = following
                    if following < 0 { slots[2048 + key] = -1 }
                }
            }
        }
        var closed = 0
        let end = lastTick
        for index in notes.indices where notes[index].duration < 0 {
            notes[index].duration = end - notes[index].onset
            closed += 1
        }
        return PairedNotes(notes: notes, closedAtTrackEnd: closed, unmatchedNoteOffs: unmatched)
    }
}
