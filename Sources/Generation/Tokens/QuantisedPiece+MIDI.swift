import MIDIFile

extension QuantisedPiece {
    /// Ticks per quarter of the files this writes: 40 ticks per grid step.
    public static let ticksPerQuarter = 480

    /// Quantises every pitched note (drums, on channel 10, are left out), the tempo map and
    /// the time signatures of a file. Meter changes move to the nearest bar line.
    public init(_ file: MIDIFile) {
        let tempoMap = TempoMap(file)
        func quarters(_ tick: Int) -> Double { tempoMap.beats(atTick: tick) }

        var notes: [Note] = []
        var tempoEvents: [(tick: Int, order: Int, value: Int)] = []
        var meterEvents: [(tick: Int, order: Int, meter: TokenMeter)] = []
        var order = 0
        for track in file.tracks {
            for note in track.pairNotes().notes where note.channel != MIDIChannel.drums {
                let onset = quarters(note.onset)
                let duration = TokenGrid.durationSteps(quarters: quarters(note.onset + note.duration) - onset)
                notes.append(
                    Note(
                        onset: TokenGrid.onsetStep(quarters: onset), duration: duration,
                        pitch: Int(note.pitch), velocityBucket: Self.velocityBucket(note.velocity)))
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

    /// A standard MIDI file: a conductor track (tempo, meter) and one piano track.
    public func midiFile() -> MIDIFile {
        let ticksPerStep = Self.ticksPerQuarter / TokenGrid.stepsPerQuarter
        var conductor = Track()
        for change in meters {
            let start = meterStart(ofBar: change.bar)
            let exponent = change.meter.denominator.trailingZeroBitCount
            conductor.appendMeta(
                tick: start * ticksPerStep, type: MetaType.timeSignature.rawValue,
                payload: [UInt8(change.meter.numerator), UInt8(exponent), 24, 8])
        }
        for change in tempos {
            let value = TempoBuckets.microsecondsPerQuarter(ofBucket: change.bucket)
            conductor.appendMeta(
                tick: change.step * ticksPerStep, type: MetaType.tempo.rawValue,
                payload: [UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
        }

        var piano = Track()
        var messages: [(tick: Int, isOn: Bool, pitch: Int, velocity: UInt8)] = []
        messages.reserveCapacity(notes.count * 2)
        for note in notes {
            messages.append((note.onset * ticksPerStep, true, note.pitch, Self.velocity(ofBucket: note.velocityBucket)))
            messages.append(((note.onset + note.duration) * ticksPerStep, false, note.pitch, 0))
        }
        // Offs before ons at one tick, so a repeated key ends the old note first.
        messages.sort { ($0.tick, $0.isOn ? 1 : 0, $0.pitch) < ($1.tick, $1.isOn ? 1 : 0, $1.pitch) }
        piano.appendChannelEvent(tick: 0, status: 0xC0, data1: 0)
        for message in messages {
            piano.appendChannelEvent(
                tick: message.tick, status: message.isOn ? 0x90 : 0x80,
                data1: UInt8(message.pitch), data2: message.isOn ? message.velocity : 64)
        }
        return MIDIFile(
            format: .multiTrack, division: .ticksPerQuarterNote(Self.ticksPerQuarter), tracks: [conductor, piano])
    }

    /// The step at which bar `bar` starts.
    public func meterStart(ofBar bar: Int) -> Int {
        var start = 0, meterIndex = 0
        for index in 0..<bar {
            while meterIndex + 1 < meters.count && meters[meterIndex + 1].bar <= index { meterIndex += 1 }
            start += meters[meterIndex].meter.barSteps
        }
        return start
    }
}
