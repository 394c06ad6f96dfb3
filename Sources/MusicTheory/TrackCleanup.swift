import MIDIFile

/// One thing track cleanup changed.
public struct CleanupChange: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case droppedEmptyTrack = "dropped_empty_track"
        case movedConductorEvents = "moved_conductor_events"
        case droppedDuplicateNote = "dropped_duplicate_note"
        case droppedZeroLengthNote = "dropped_zero_length_note"
    }

    public var kind: Kind
    /// Index of the track in the input file.
    public var track: Int
    public var count: Int
    public var message: String
}

/// Removes what scraped files carry but nobody hears: tracks without notes (the
/// "layers with no data"), notes doubled exactly, and notes that end where they start.
///
/// Tempo, time- and key-signature events of dropped tracks move to the first kept track,
/// and so do their program and controller changes for channels that other tracks play,
/// so the cleaned file sounds and counts bars as before. Notes are rewritten as
/// note-on / note-off pairs with every off before any on at the same tick, which makes
/// pairing the cleaned file give back exactly the notes kept.
public enum TrackCleanup {
    public struct Result: Sendable {
        public var file: MIDIFile
        public var changes: [CleanupChange]
    }

    public static func clean(_ file: MIDIFile) -> Result {
        let paired = file.tracks.map { $0.pairNotes().notes }
        let keptIndices = file.tracks.indices.filter { !paired[$0].isEmpty }
        let soundingChannels = Set(keptIndices.flatMap { paired[$0].map(\.channel) })
        var changes: [CleanupChange] = []

        var conductor = Track()
        for index in file.tracks.indices where paired[index].isEmpty {
            let track = file.tracks[index]
            var moved = 0
            for event in track.events where carriesOver(event, soundingChannels: soundingChannels) {
                conductor.append(event, from: track)
                moved += 1
            }
            let name = track.name.map { " \"\($0)\"" } ?? ""
            changes.append(
                CleanupChange(
                    kind: .droppedEmptyTrack, track: index, count: 1,
                    message: "track \(index)\(name) has no notes (\(track.events.count) events); dropped"))
            if moved > 0 {
                changes.append(
                    CleanupChange(
                        kind: .movedConductorEvents, track: index, count: moved,
                        message:
                            "\(moved) tempo, meter, key, program or controller events of track \(index) moved to the first kept track"
                    ))
            }
        }

        var seen = Set<NoteIdentity>()
        var tracks: [Track] = []
        for index in keptIndices {
            var kept: [Note] = []
            var duplicates = 0, zeroLength = 0
            for note in paired[index] {
                if note.duration <= 0 {
                    zeroLength += 1
                } else if !seen.insert(NoteIdentity(note)).inserted {
                    duplicates += 1
                } else {
                    kept.append(note)
                }
            }
            if duplicates > 0 {
                changes.append(
                    CleanupChange(
                        kind: .droppedDuplicateNote, track: index, count: duplicates,
                        message:
                            "\(duplicates) notes of track \(index) repeat an earlier note exactly (channel, pitch, onset, length, velocity); dropped"
                    ))
            }
            if zeroLength > 0 {
                changes.append(
                    CleanupChange(
                        kind: .droppedZeroLengthNote, track: index, count: zeroLength,
                        message: "\(zeroLength) notes of track \(index) end where they start; dropped"))
            }
            tracks.append(rebuilt(file.tracks[index], notes: kept))
        }

        conductor = inTickOrder(conductor)
        if tracks.isEmpty {
            tracks = [conductor]
        } else if !conductor.events.isEmpty {
            tracks[0] = merged(conductor, into: tracks[0])
        }
        let endTick = file.tracks.map(\.lastTick).max() ?? 0
        for index in tracks.indices { tracks[index].endOfTrackTick = max(tracks[index].endOfTrackTick, endTick) }
        let format: MIDIFile.Format =
            file.format == .independentSequences
            ? .independentSequences : (tracks.count == 1 ? .singleTrack : .multiTrack)
        return Result(file: MIDIFile(format: format, division: file.division, tracks: tracks), changes: changes)
    }

    private static func carriesOver(_ event: MIDIEvent, soundingChannels: Set<UInt8>) -> Bool {
        if event.isMeta {
            return [MetaType.tempo, .timeSignature, .keySignature].contains { $0.rawValue == event.data1 }
        }
        guard let kind = event.channelMessageKind, soundingChannels.contains(event.channel) else { return false }
        return kind == .programChange || kind == .controlChange || kind == .pitchBend
    }

    /// What makes two notes the same note.
    private struct NoteIdentity: Hashable {
        var channel: UInt8, pitch: UInt8, velocity: UInt8, onset: Int, duration: Int
        init(_ note: Note) {
            channel = note.channel
            pitch = note.pitch
            velocity = note.velocity
            onset = note.onset
            duration = note.duration
        }
    }

    /// The track's events other than notes, plus `notes` written as on/off pairs.
    private static func rebuilt(_ track: Track, notes: [Note]) -> Track {
        var noteEvents: [(tick: Int, isOn: Int, order: Int, event: MIDIEvent)] = []
        noteEvents.reserveCapacity(notes.count * 2)
        for (order, note) in notes.enumerated() {
            noteEvents.append(
                (
                    note.onset, 1, order,
                    MIDIEvent(tick: note.onset, status: 0x90 | note.channel, data1: note.pitch, data2: note.velocity)
                ))
            noteEvents.append(
                (
                    note.onset + note.duration, 0, order,
                    MIDIEvent(
                        tick: note.onset + note.duration, status: 0x80 | note.channel, data1: note.pitch, data2: 64)
                ))
        }
        // Offs first at a tick, then ons; each kind in the notes' order. First-in
        // first-out pairing then matches each on with its own off again.
        noteEvents.sort { ($0.tick, $0.isOn, $0.order) < ($1.tick, $1.isOn, $1.order) }
        var result = Track(endOfTrackTick: track.endOfTrackTick)
        var next = 0
        for event in track.events where !(event.isNoteOn || event.isNoteOff) {
            while next < noteEvents.count && noteEvents[next].tick < event.tick {
                result.append(noteEvents[next].event, from: track)
                next += 1
            }
            result.append(event, from: track)
        }
        while next < noteEvents.count {
            result.append(noteEvents[next].event, from: track)
            next += 1
        }
        result.endOfTrackTick = max(result.endOfTrackTick, track.endOfTrackTick)
        return result
    }

    /// Events gathered from several tracks, sorted by tick, keeping their order within a tick.
    private static func inTickOrder(_ track: Track) -> Track {
        var sorted = track
        sorted.events = track.events.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }
            .map(\.element)
        return sorted
    }

    /// `extra`'s events merged into `track` in tick order, extra first at equal ticks so
    /// tempo and meter are in force before the notes of that tick.
    private static func merged(_ extra: Track, into track: Track) -> Track {
        var result = Track(endOfTrackTick: track.endOfTrackTick)
        var next = 0
        for event in track.events {
            while next < extra.events.count && extra.events[next].tick <= event.tick {
                result.append(extra.events[next], from: extra)
                next += 1
            }
            result.append(event, from: track)
        }
        while next < extra.events.count {
            result.append(extra.events[next], from: extra)
            next += 1
        }
        result.endOfTrackTick = max(result.endOfTrackTick, extra.endOfTrackTick, track.endOfTrackTick)
        return result
    }
}
