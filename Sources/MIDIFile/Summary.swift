import Utilities

/// What `tunesmith inspect` reports about one file: a plain, encodable digest of it.
public struct FileSummary: Codable, Hashable, Sendable {
    public var file: String
    public var format: Int
    public var division: String
    public var tracks: [TrackSummary]
    public var notes: Int
    public var durationSeconds: Double
    /// The slowest and fastest tempo, in quarter notes per minute rounded to 2 decimals: what a
    /// person reads; `tempos` holds the exact values. ("Bpm", not "BPM": the JSON key is
    /// `tempo_min_bpm`, and a decoder converting from snake_case looks for `tempoMinBpm`.)
    public var tempoMinBpm: Double
    public var tempoMaxBpm: Double
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

    /// A set-tempo event as the file holds it: microseconds per quarter note (mido's `tempo`),
    /// an integer, so it prints exactly and fast where a derived bpm prints 17 digits.
    public struct TempoChange: Codable, Hashable, Sendable {
        public var tick: Int
        public var tempo: Int

        public init(tick: Int, tempo: Int) {
            self.tick = tick
            self.tempo = tempo
        }

        /// Quarter notes per minute.
        public var bpm: Double { 60e6 / Double(tempo) }
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
        var tempoEvents: [(tick: Int, microsecondsPerQuarter: Int)] = []
        var noteCount = 0
        for track in midi.tracks {
            // Every note-on of nonzero velocity starts one note of `Track.pairNotes()`, closed by
            // an off or by the track's end, so the notes are counted without pairing them
            // (pairing was a fifth of `inspect --json`'s instructions; tests hold the two equal).
            var trackNotes = 0
            // Bits, not sets: a track has thousands of channel events and at most 16 channels
            // and 256 program bytes, and hashing each event was most of the summary.
            var channelBits: UInt16 = 0
            var programBits = ByteSet()
            for event in track.events {
                if event.isChannelMessage {
                    channelBits |= 1 << event.channel
                    switch event.status & 0xF0 {
                    case 0x90 where event.data2 > 0: trackNotes += 1
                    case 0xC0: programBits.insert(event.data1)
                    default: break
                    }
                } else if event.isMeta {
                    if let tempo = track.tempo(of: event) { tempoEvents.append((event.tick, tempo)) }
                    if let signature = track.timeSignature(of: event) {
                        timeSignatures.append(Timed(tick: event.tick, value: signature))
                    }
                    if let signature = track.keySignature(of: event) {
                        keySignatures.append(Timed(tick: event.tick, value: signature))
                    }
                }
            }
            noteCount += trackNotes
            trackSummaries.append(
                TrackSummary(
                    name: track.name, events: track.events.count, notes: trackNotes,
                    channels: (0..<16).filter { channelBits & (1 << $0) != 0 }.map { $0 + 1 },
                    programs: programBits.members))
        }
        tracks = trackSummaries
        notes = noteCount
        let tempoMap = TempoMap(division: midi.division, tempoEventsInTrackOrder: tempoEvents)
        tempos = tempoMap.changes.map { TempoChange(tick: $0.tick, tempo: $0.microsecondsPerQuarter) }
        // A map holds at least its tick-0 tempo; the slowest has the most microseconds.
        var slowest = Int.min, fastest = Int.max
        for change in tempoMap.changes {
            slowest = max(slowest, change.microsecondsPerQuarter)
            fastest = min(fastest, change.microsecondsPerQuarter)
        }
        tempoMinBpm = Self.roundedBPM(slowest)
        tempoMaxBpm = Self.roundedBPM(fastest)
        self.timeSignatures = timeSignatures.sorted { $0.tick < $1.tick }
        self.keySignatures = keySignatures.sorted { $0.tick < $1.tick }
        durationSeconds = tempoMap.seconds(atTick: midi.tracks.map(\.lastTick).max() ?? 0)
        findings = result.findings
    }

    static func roundedBPM(_ microsecondsPerQuarter: Int) -> Double {
        (6e9 / Double(microsecondsPerQuarter)).rounded() / 100
    }
}

/// Which of the 256 byte values were seen: four words of bits.
private struct ByteSet {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << (byte & 63)
        switch byte >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << (byte & 63)
        switch byte >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    /// The bytes seen, ascending.
    var members: [Int] {
        guard words != (0, 0, 0, 0) else { return [] }
        return (0..<256).filter { contains(UInt8($0)) }
    }
}

/// A tempo map can hold thousands of changes (piano rolls recorded with a tempo event per
/// beat), most of `inspect --json`'s output; they skip Codable's per-element containers.
extension FileSummary.TempoChange: JSONFieldsWritable {
    public func writeFields(to fields: inout JSONObjectFields) {
        fields.write(tick, forKey: "tick")
        fields.write(tempo, forKey: "tempo")
    }
}

/// A file has one track summary per track, thousands in a corpus: written field by field, as
/// the tempo changes are.
extension FileSummary.TrackSummary: JSONFieldsWritable {
    public func writeFields(to fields: inout JSONObjectFields) throws {
        try fields.writeIfPresent(name, forKey: "name")
        fields.write(events, forKey: "events")
        fields.write(notes, forKey: "notes")
        try fields.write(channels, forKey: "channels")
        try fields.write(programs, forKey: "programs")
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
