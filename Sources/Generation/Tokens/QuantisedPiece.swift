import MIDIFile

/// A piece reduced to exactly what the `events` tokenizer says: notes on the sixteenth +
/// triplet grid with grid durations, 16 velocity levels and their instrument (General MIDI
/// program, or drums), tempo buckets, and meters that change only at bar lines. Tokenising it and decoding the tokens gives
/// it back unchanged, and so does writing it as MIDI and quantising that file again.
public struct QuantisedPiece: Hashable, Sendable {
    public struct Note: Hashable, Sendable {
        public var onset: Int
        public var duration: Int
        public var pitch: Int
        public var velocityBucket: Int
        public var instrument: Instrument
        public init(onset: Int, duration: Int, pitch: Int, velocityBucket: Int, instrument: Instrument = .piano) {
            self.onset = onset
            self.duration = duration
            self.pitch = pitch
            self.velocityBucket = velocityBucket
            self.instrument = instrument
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

    /// In (onset, instrument, pitch) order, at most one note per onset, instrument and
    /// pitch, no two notes of one instrument and pitch sounding at once.
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
                    velocityBucket: min(max(0, $0.velocityBucket), velocityBuckets - 1), instrument: $0.instrument)
            }
            .sorted {
                ($0.onset, $0.instrument.index, $0.pitch, -$0.duration)
                    < ($1.onset, $1.instrument.index, $1.pitch, -$1.duration)
            }
        var notes: [Note] = []
        notes.reserveCapacity(ordered.count)
        var lastOfKey = [Int](repeating: -1, count: Instrument.all.count * 128)
        for note in ordered {
            let key = note.instrument.index * 128 + note.pitch
            let previous = lastOfKey[key]
            if previous >= 0 {
                // A repeated key cuts the note still sounding, as a pianist's would.
                if notes[previous].onset == note.onset { continue }
                notes[previous].duration = min(notes[previous].duration, note.onset - notes[previous].onset)
            }
            lastOfKey[key] = notes.count
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

    /// The notes with a pitch: everything but the drums, whose key numbers name drums.
    public var pitchedNotes: [Note] { notes.filter { $0.instrument != .drums } }

    /// The instruments the notes are played on, in order (programs up, then drums).
    public var instruments: [Instrument] { Set(notes.map(\.instrument)).sorted() }

    /// The piece cut off at `step`: notes starting there or later are dropped, notes still
    /// sounding there end there, and so do tempo changes and meters past its end.
    public func truncated(atStep step: Int) -> QuantisedPiece {
        let kept = notes.filter { $0.onset < step }.map { note in
            var note = note
            note.duration = min(note.duration, step - note.onset)
            return note
        }
        return QuantisedPiece(
            notes: kept, tempos: tempos.filter { $0.step < step },
            meters: meters.filter { meterStart(ofBar: $0.bar) < step })
    }

    /// The last step at which something starts.
    public var lastEventStep: Int { max(notes.last?.onset ?? 0, tempos.last?.step ?? 0) }
}
