import MIDIFile

extension MIDIFile {
    /// The same music with ticks per quarter note instead of SMPTE timing, which
    /// FluidSynth's player refuses. One tick per SMPTE tick, at the one tempo that makes
    /// a quarter note last `ticksPerQuarter` SMPTE ticks; the file's own tempo events
    /// are dropped because SMPTE timing ignores them.
    func withMusicalTiming() -> MIDIFile {
        guard case .smpte(let framesPerSecond, let ticksPerFrame) = division else { return self }
        let ticksPerSecond = (framesPerSecond == 29 ? 29.97 : Double(framesPerSecond)) * Double(ticksPerFrame)
        let ticksPerQuarter = Int(ticksPerSecond.rounded())
        let microsecondsPerQuarter = Int((Double(ticksPerQuarter) / ticksPerSecond * 1e6).rounded())
        var converted = MIDIFile(format: format, division: .ticksPerQuarterNote(ticksPerQuarter), tracks: [])
        for (index, track) in tracks.enumerated() {
            var copy = Track()
            if index == 0 {
                let tempo = (0..<3).map { UInt8(truncatingIfNeeded: microsecondsPerQuarter >> (16 - 8 * $0)) }
                copy.appendMeta(tick: 0, type: MetaType.tempo.rawValue, payload: tempo)
            }
            for event in track.events where !(event.isMeta && event.data1 == MetaType.tempo.rawValue) {
                copy.append(event, from: track)
            }
            copy.endOfTrackTick = track.endOfTrackTick
            converted.tracks.append(copy)
        }
        return converted
    }
}
