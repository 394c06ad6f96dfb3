/// General MIDI's sixteen families of eight programs, plus the drum channel.
public enum InstrumentFamily: String, CaseIterable, Codable, Sendable, Hashable {
    case piano
    case chromaticPercussion = "chromatic-percussion"
    case organ, guitar, bass, strings, ensemble, brass
    case reed, pipe
    case synthLead = "synth-lead"
    case synthPad = "synth-pad"
    case synthEffects = "synth-effects"
    case ethnic, percussive
    case soundEffects = "sound-effects"
    case drums

    /// The family of a note: drums for channel 10, else its program's family.
    public init(program: Int, isDrum: Bool) {
        if isDrum {
            self = .drums
        } else {
            self = Self.allCases[min(max(program, 0), 127) / 8]
        }
    }
}
