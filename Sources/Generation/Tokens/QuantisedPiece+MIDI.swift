import MIDIFile
import MusicTheory

extension QuantisedPiece {
    /// Ticks per quarter of the files this writes: 40 ticks per grid step.
    public static let ticksPerQuarter = 480

    /// Quantises every note with its instrument (the General MIDI program in force on its
    /// channel at its onset, or drums on channel 10), the tempo map and the time signatures
    /// of a file. Meter changes move to the nearest bar line.
    public init(_ file: MIDIFile) {
        let tempoMap = TempoMap(file)
        let programs = ProgramTimeline(file)
        func quarters(_ tick: Int) -> Double { tempoMap.beats(atTick: tick) }

        var notes: [Note] = []
        var tempoEvents: [(tick: Int, order: Int, value: Int)] = []
        var meterEvents: [(tick: Int, order: Int, meter: TokenMeter)] = []
        var order = 0
        for track in file.tracks {
            for note in track.pairNotes().notes {
                let onset = quarters(note.onset)
                let duration = TokenGrid.durationSteps(quarters: quarters(note.onset + note.duration) - onset)
                let instrument =
                    note.channel == MIDIChannel.drums
                    ? Instrument.drums : .program(Int(programs.program(channel: note.channel, atTick: note.onset)))
                notes.append(
                    Note(
                        onset: TokenGrid.onsetStep(quarters: onset), duration: duration,
                        pitch: Int(note.pitch), velocityBucket: Self.velocityBucket(note.velocity),
                        instrument: instrument))
            }
            for event in track.events where event.isMeta {
                order += 1
                if let tempo = track.tempo(of: event) {
                    tempoEvents.append((event.tick, order, tempo))
                } else if let signature = track.timeSignature(of: event) {
                    let meter = TokenMeter(supporting: signature.numerator, signature.denominator)
                    meterEvents.append((event.tick, order, meter))
                }
            }
        }
        let tempos = tempoEvents.map {
            TempoChange(
                step: TokenGrid.onsetStep(quarters: quarters($0.tick)),
                bucket: TempoBuckets.bucket(microsecondsPerQuarter: $0.value))
        }
        let meterSteps = meterEvents.sorted { ($0.tick, $0.order) < ($1.tick, $1.order) }
            .map { (step: TokenGrid.onsetStep(quarters: quarters($0.tick)), meter: $0.meter) }
        self.init(notes: notes, tempos: tempos, meters: Self.meterChangesAtBarLines(meterSteps))
    }

    /// Walks the bars, moving each change to the bar line nearest to where it was written.
    private static func meterChangesAtBarLines(_ changes: [(step: Int, meter: TokenMeter)]) -> [MeterChange] {
        var result: [MeterChange] = []
        var bar = 0, barStart = 0, meter = TokenMeter.common
        for change in changes {
            let barsAhead = max(0, Int((Double(change.step - barStart) / Double(meter.barSteps)).rounded()))
            bar += barsAhead
            barStart += barsAhead * meter.barSteps
            meter = change.meter
            result.append(MeterChange(bar: bar, meter: meter))
        }
        return result
    }

    /// A standard MIDI file: a conductor track (tempo, meter), then one track per
    /// instrument on a channel of its own (drums on channel 10), its program set at the
    /// start. With `bpm`, the piece plays at exactly that tempo throughout instead of its
    /// tempo buckets' (a bucket only comes within 3 % of a tempo asked for).
    public func midiFile(bpm: Double? = nil) -> MIDIFile {
        let ticksPerStep = Self.ticksPerQuarter / TokenGrid.stepsPerQuarter
        var conductor = Track()
        for change in meters {
            let start = meterStart(ofBar: change.bar)
            let exponent = change.meter.denominator.trailingZeroBitCount
            conductor.appendMeta(
                tick: start * ticksPerStep, type: MetaType.timeSignature.rawValue,
                payload: [UInt8(change.meter.numerator), UInt8(exponent), 24, 8])
        }
        let tempoChanges =
            bpm.map { [(step: 0, microseconds: Int((60e6 / $0).rounded()))] }
            ?? tempos.map { (step: $0.step, microseconds: TempoBuckets.microsecondsPerQuarter(ofBucket: $0.bucket)) }
        for change in tempoChanges {
            let value = change.microseconds
            conductor.appendMeta(
                tick: change.step * ticksPerStep, type: MetaType.tempo.rawValue,
                payload: [UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
        }
        let instruments = instruments.isEmpty ? [Instrument.piano] : instruments
        let channels = Self.channels(for: instruments)
        let tracks = zip(instruments, channels).map { instrument, channel in
            track(of: notes.filter { $0.instrument == instrument }, instrument: instrument, channel: channel)
        }
        return MIDIFile(
            format: .multiTrack, division: .ticksPerQuarterNote(Self.ticksPerQuarter), tracks: [conductor] + tracks)
    }

    /// Drums on channel 10; programs on the other fifteen in order. A sixteenth program shares
    /// a channel with an earlier one, and is read back as that one's program.
    static func channels(for instruments: [Instrument]) -> [UInt8] {
        let pitched = (0..<16).map(UInt8.init).filter { $0 != GeneralMIDI.drumChannel }
        var next = 0
        return instruments.map { instrument in
            guard instrument != .drums else { return GeneralMIDI.drumChannel }
            defer { next += 1 }
            return pitched[next % pitched.count]
        }
    }

    private func track(of notes: [Note], instrument: Instrument, channel: UInt8) -> Track {
        let ticksPerStep = Self.ticksPerQuarter / TokenGrid.stepsPerQuarter
        var track = Track()
        var messages: [(tick: Int, isOn: Bool, pitch: Int, velocity: UInt8)] = []
        messages.reserveCapacity(notes.count * 2)
        for note in notes {
            messages.append((note.onset * ticksPerStep, true, note.pitch, Self.velocity(ofBucket: note.velocityBucket)))
            messages.append(((note.onset + note.duration) * ticksPerStep, false, note.pitch, 0))
        }
        // Offs before ons at one tick, so a repeated key ends the old note first.
        messages.sort { ($0.tick, $0.isOn ? 1 : 0, $0.pitch) < ($1.tick, $1.isOn ? 1 : 0, $1.pitch) }
        if case .program(let program) = instrument {
            track.appendChannelEvent(tick: 0, status: 0xC0 | channel, data1: UInt8(program))
        }
        for message in messages {
            track.appendChannelEvent(
                tick: message.tick, status: (message.isOn ? 0x90 : 0x80) | channel,
                data1: UInt8(message.pitch), data2: message.isOn ? message.velocity : 64)
        }
        return track
    }

    public func meterStart(ofBar bar: Int) -> Int {
        var start = 0, meterIndex = 0
        for index in 0..<bar {
            while meterIndex + 1 < meters.count && meters[meterIndex + 1].bar <= index { meterIndex += 1 }
            start += meters[meterIndex].meter.barSteps
        }
        return start
    }
}
