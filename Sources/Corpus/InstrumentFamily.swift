/// General MIDI's sixteen families of eight programs, plus the drum channel.
public enum InstrumentFamily: String, CaseIterable, Codable, Sendable, Hashable {
    case piano, chromaticPercussion = "chromatic-percussion", organ, guitar, bass, strings, ensemble, brass
    case reed, pipe, synthLead = "synth-lead", synthPad = "synth-pad", synthEffects = "synth-effects"
    case ethnic, percussive, soundEffects = "sound-effects", drums

    /// The family of a note: drums for channel 10, else its program's family.
    public init(program: Int, isDrum: Bool) {
        if isDrum {
            self = .drums
        } else {
            self = Self.allCases[min(max(program, 0), 127) / 8]
        }
    }
}
