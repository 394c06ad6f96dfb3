import Utilities

/// What `tunesmith inspect` reports about one file: a plain, encodable digest of it.
public struct FileSummary: Codable, Hashable, Sendable {
    public var file: String
    public var format: Int
    public var division: String
    public var tracks: [TrackSummary]
    public var notes: Int
    public var durationSeconds: Double
    public var tempos: [TempoChange]
    public var timeSignatures: [Timed<TimeSignature>]
    public var keySignatures: [Timed<KeySignature>]
    public var findings: [Finding]

    public struct TrackSummary: Codable, Hashable, Sendable {
        public var name: String?
        public var events: Int
        public var notes: Int
        public var channels: [Int]
        public var programs: [Int]
    }

    public struct TempoChange: Codable, Hashable, Sendable {
        public var tick: Int
        public var bpm: Double
    }

    public struct Timed<Value: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
        public var tick: Int
        public var value: Value
    }

    public init(file: String, result: ReadResult) {
        let midi = result.file
        self.file = file
        format = Int(midi.format.rawValue)
        switch midi.division {
        case .ticksPerQuarterNote(let ticks): division = "\(ticks) ticks per quarter note"
        case .smpte(let frames, let ticks): division = "SMPTE \(frames) fps × \(ticks) ticks per frame"
        }
        var trackSummaries: [TrackSummary] = []
        var timeSignatures: [Timed<TimeSignature>] = []
        var keySignatures: [Timed<KeySignature>] = []
        var noteCount = 0
        for track in midi.tracks {
            let paired = track.pairNotes()
            noteCount += paired.notes.count
            // Flags by number, not sets: a track has thousands of channel events and at most
            // 16 channels and 256 program bytes, and hashing each event was most of the summary.
            var channelSeen = [Bool](repeating: false, count: 16), programSeen = [Bool](repeating: false, count: 256)
            for event in track.events {
                if event.isChannelMessage {
                    channelSeen[Int(event.channel)] = true
                    if event.status & 0xF0 == 0xC0 { programSeen[Int(event.data1)] = true }
                } else if event.isMeta {
                    if let signature = track.timeSignature(of: event) {
                        timeSignatures.append(Timed(tick: event.tick, value: signature))
                    }
                    if let signature = track.keySignature(of: event) {
                        keySignatures.append(Timed(tick: event.tick, value: signature))
                    }
                }
            }
            trackSummaries.append(
                TrackSummary(
                    name: track.name, events: track.events.count, notes: paired.notes.count,
                    channels: channelSeen.indices.filter { channelSeen[$0] }.map { $0 + 1 },
                    programs: programSeen.indices.filter { programSeen[$0] }))
        }
        tracks = trackSummaries
        notes = noteCount
        let tempoMap = TempoMap(midi)
        tempos = tempoMap.changes.map { TempoChange(tick: $0.tick, bpm: 60e6 / Double($0.microsecondsPerQuarter)) }
        self.timeSignatures = timeSignatures.sorted { $0.tick < $1.tick }
        self.keySignatures = keySignatures.sorted { $0.tick < $1.tick }
        durationSeconds = tempoMap.seconds(atTick: midi.tracks.map(\.lastTick).max() ?? 0)
        findings = result.findings
    }
}

/// A tempo map can hold thousands of changes (piano rolls recorded with a tempo event per
/// beat), most of `inspect --json`'s output; they skip Codable's per-element containers.
extension FileSummary.TempoChange: JSONFieldsWritable {
    public func writeFields(to fields: inout JSONObjectFields) {
        fields.write(tick, forKey: "tick")
        fields.write(bpm, forKey: "bpm")
    }
}

extension KeySignature {
    /// "E♭ major", "c♯ minor"-style name in plain ASCII: "Eb major", "C# minor".
    public var name: String {
        let majors = ["Cb", "Gb", "Db", "Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#"]
        let minors = ["Ab", "Eb", "Bb", "F", "C", "G", "D", "A", "E", "B", "F#", "C#", "G#", "D#", "A#"]
        return isMinor ? "\(minors[sharps + 7]) minor" : "\(majors[sharps + 7]) major"
    }
}
