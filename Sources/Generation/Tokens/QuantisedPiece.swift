import MIDIFile

/// A piece reduced to exactly what the `events` tokenizer says: pitched notes on the
/// sixteenth + triplet grid with grid durations and 16 velocity levels, tempo buckets,
/// and meters that change only at bar lines. Tokenising it and decoding the tokens gives
/// it back unchanged, and so does writing it as MIDI and quantising that file again.
public struct QuantisedPiece: Hashable, Sendable {
    public struct Note: Hashable, Sendable {
        public var onset: Int
        public var duration: Int
        public var pitch: Int
        public var velocityBucket: Int
        public init(onset: Int, duration: Int, pitch: Int, velocityBucket: Int) {
            self.onset = onset
            self.duration = duration
            self.pitch = pitch
            self.velocityBucket = velocityBucket
        }
    }

    public struct TempoChange: Hashable, Sendable {
        public var step: Int
        public var bucket: Int
    }

    public struct MeterChange: Hashable, Sendable {
        public var bar: Int
        public var meter: TokenMeter
    }

    public static let velocityBuckets = 16

    /// In (onset, pitch) order, at most one note per onset and pitch, no two notes of one
    /// pitch sounding at once.
    public private(set) var notes: [Note]
    /// The first at step 0; no two in a row with the same bucket.
    public private(set) var tempos: [TempoChange]
    /// The first at bar 0; no two in a row with the same meter.
    public private(set) var meters: [MeterChange]

    /// Builds the canonical form from loose parts (as a decoder or a generator has them).
    public init(notes: [Note], tempos: [TempoChange], meters: [MeterChange]) {
        self.notes = Self.canonicalNotes(notes)
        self.tempos = Self.canonicalTempos(tempos)
        self.meters = Self.canonicalMeters(meters)
    }

    public static func velocityBucket(_ velocity: UInt8) -> Int { Int(velocity) * velocityBuckets / 128 }
    public static func velocity(ofBucket bucket: Int) -> UInt8 {
        UInt8(bucket * 128 / velocityBuckets + 128 / velocityBuckets / 2)
    }

    private static func canonicalNotes(_ loose: [Note]) -> [Note] {
        let ordered =
            loose
            .map {
                Note(
                    onset: max(0, $0.onset), duration: min(max(1, $0.duration), TokenGrid.longestDuration),
                    pitch: min(max(0, $0.pitch), 127),
                    velocityBucket: min(max(0, $0.velocityBucket), velocityBuckets - 1))
            }
            .sorted { ($0.onset, $0.pitch, -$0.duration) < ($1.onset, $1.pitch, -$1.duration) }
        var notes: [Note] = []
        notes.reserveCapacity(ordered.count)
        var lastOfPitch = [Int](repeating: -1, count: 128)
        for note in ordered {
            let previous = lastOfPitch[note.pitch]
            if previous >= 0 {
                // A repeated key cuts the note still sounding, as a pianist's would.
                if notes[previous].onset == note.onset { continue }
                notes[previous].duration = min(notes[previous].duration, note.onset - notes[previous].onset)
            }
            lastOfPitch[note.pitch] = notes.count
            notes.append(note)
        }
        return notes
    }

    private static func canonicalTempos(_ loose: [TempoChange]) -> [TempoChange] {
        var tempos = [TempoChange(step: 0, bucket: TempoBuckets.bucket(bpm: 120))]
        for change in loose.enumerated().sorted(by: { ($0.element.step, $0.offset) < ($1.element.step, $1.offset) })
            .map(\.element)
        {
            let step = max(0, change.step), bucket = min(max(0, change.bucket), TempoBuckets.count - 1)
            if tempos[tempos.count - 1].step == step { tempos.removeLast() }
            if tempos.last?.bucket != bucket { tempos.append(TempoChange(step: step, bucket: bucket)) }
        }
        return tempos
    }

    private static func canonicalMeters(_ loose: [MeterChange]) -> [MeterChange] {
        var meters = [MeterChange(bar: 0, meter: .common)]
        for change in loose.enumerated().sorted(by: { ($0.element.bar, $0.offset) < ($1.element.bar, $1.offset) }).map(
            \.element)
        {
            let bar = max(0, change.bar)
            if meters[meters.count - 1].bar == bar { meters.removeLast() }
            if meters.last?.meter != change.meter { meters.append(MeterChange(bar: bar, meter: change.meter)) }
        }
        return meters
    }

    /// Bar lines in steps, as many as needed to reach `step`, with each bar's meter.
    public func bars(through step: Int) -> [(start: Int, meter: TokenMeter)] {
        var bars: [(start: Int, meter: TokenMeter)] = []
        var start = 0, meterIndex = 0
        while start <= step || bars.isEmpty {
            while meterIndex + 1 < meters.count && meters[meterIndex + 1].bar <= bars.count { meterIndex += 1 }
            let meter = meters[meterIndex].meter
            bars.append((start, meter))
            start += meter.barSteps
        }
        return bars
    }

    /// The last step at which something starts.
    public var lastEventStep: Int { max(notes.last?.onset ?? 0, tempos.last?.step ?? 0) }
}
