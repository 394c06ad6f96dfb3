import ArgumentParser
import Generation

/// What `generate` is asked to honour: key, style, meter, tempo, bars, instruments, texture.
struct SteeringArguments: ParsableArguments {
    @Option(help: "Key of the piece: \"D minor\", \"Dm\", \"Bb major\", \"F#m\" (conditioned, then checked).")
    var key: String?
    @Flag(help: "Require the key: resample up to --attempts times until the key finder hears --key.")
    var keyStrict = false
    @Option(
        help:
            "How hard the key draws the pitches sampled toward it: 0 (the key token alone) to 4; default \(KeyGuidance.defaultStrength) for --key, \(KeyGuidance.drawnKeyStrength) for the key drawn from the training pieces' keys when none is asked."
    )
    var keyGuidance: Double?
    @Option(
        help:
            "Classifier-free guidance on the header asked (--style, --key, --instrument): 1 is plain conditioning, 0 ignores the header, above 1 follows it harder (two passes per token); \(HeaderGuidance.weightRange.lowerBound)–\(HeaderGuidance.weightRange.upperBound), default \(HeaderGuidance.defaultWeight)."
    )
    var guidance = HeaderGuidance.defaultWeight
    @Option(help: "Style: one of the run's corpus folders (e.g. jazz, classical).") var style: String?
    @Option(help: "Meter N/D, exact for the whole piece (e.g. 3/4, 6/8).") var meter: String?
    @Option(help: "Tempo in bpm, exact for the whole piece.") var tempo: Double?
    @Option(help: "Bars, exact: the piece ends with its last bar.") var bars: Int?
    @Option(
        help:
            "Instrument to play: a General MIDI program 0–127, its name (\"violin\", \"tenor sax\") or drums; repeatable."
    )
    var instrument: [String] = []
    @Option(
        help:
            "Texture: the polyphony level every bar names, 1 (one note at a time) to \(BarPolyphony.levels - 1) (six or more notes sounding); default: drawn from the training pieces' textures when nothing steers the piece."
    )
    var polyphony: Int?

    /// The controls as command-line arguments, to reproduce a candidate.
    var arguments: [String] {
        var arguments: [String] = []
        if let key { arguments += ["--key", key] }
        if keyStrict { arguments.append("--key-strict") }
        if let keyGuidance { arguments += ["--key-guidance", "\(keyGuidance)"] }
        if guidance != HeaderGuidance.defaultWeight { arguments += ["--guidance", "\(guidance)"] }
        if let style { arguments += ["--style", style] }
        if let meter { arguments += ["--meter", meter] }
        if let tempo { arguments += ["--tempo", "\(tempo)"] }
        if let bars { arguments += ["--bars", String(bars)] }
        for instrument in instrument { arguments += ["--instrument", instrument] }
        if let polyphony { arguments += ["--polyphony", String(polyphony)] }
        return arguments
    }

    /// The controls, or the usage error of the first that cannot be read.
    func controls() throws(GenerationControlError) -> GenerationControls {
        var controls = GenerationControls(
            style: style, bpm: tempo, bars: bars, polyphony: polyphony, keyStrict: keyStrict, keyGuidance: keyGuidance,
            guidance: guidance)
        if let polyphony, !(1..<BarPolyphony.levels).contains(polyphony) { throw .polyphonyOutOfRange(polyphony) }
        if let keyGuidance, !GenerationControls.keyGuidanceRange.contains(keyGuidance) {
            throw .keyGuidanceOutOfRange(keyGuidance)
        }
        guard HeaderGuidance.weightRange.contains(guidance) else { throw .guidanceOutOfRange(guidance) }
        if let key { controls.key = try GenerationControls.key(parsing: key) }
        if let meter { controls.meter = try GenerationControls.meter(parsing: meter) }
        for name in instrument { controls.instruments.append(try GenerationControls.instrument(parsing: name)) }
        return controls
    }

    func validate() throws {
        do {
            _ = try controls()
        } catch {
            throw ValidationError(ErrorHints.message(for: error))
        }
    }
}
