import Foundation
import MusicTheory

/// Steers the pitches sampled toward a key: a product of experts, the model's next-token
/// distribution times a key's pitch-class distribution raised to `strength`,
///
///     p(pitch | context, key) ∝ p_model(pitch | context) · p(pitch class | key)^strength,
///
/// done by adding `strength · ln(12 · p(class | key))` to each pitch token's logit. The key's
/// distribution is Albrecht & Shanahan's, counted in a corpus (`KeyProfile`), so a pitch
/// class as common as average is left alone, the tonic is raised and chromatic notes are
/// lowered, never forbidden. The key says which pitch, not whether to play one: the pitch
/// tokens' total probability is left as the model has it, so guidance neither thins a texture
/// (a model whose pitches are spread evenly would lose 14 % of its notes at strength 0.5) nor
/// thickens one (a model already in the key would gain 32 %). A model too young to have learnt what its `Key_` header token
/// asks still writes in the key; a model that has learnt it is barely moved. Drum notes
/// are not pitches and are left alone.
///
/// A key's distribution alone can be satisfied without the key being heard: a piece on the
/// tonic and fifth with hardly a third is D minor to Aarden–Essen and music21 and D major to
/// Krumhansl–Kessler, whose major profile weighs the fourth and fifth higher (all 16
/// `--key-strict` minor requests a 10-minute run could not write were heard in the parallel
/// major). So the guidance also listens, as `generate`'s check will: `finders` read the
/// pitch classes played so far, weighted by duration as `analyze` weighs them, and whenever
/// one hears another key ahead of the asked one or within `finderMargin` of it, the next
/// pitch is also drawn along the direction that separates the two, the difference of their
/// normalised profiles (the gradient of the correlation margin) — the minor third over the
/// major, say. When every finder hears the asked key clearly, this pull is 0.
public struct KeyGuidance: Sendable {
    /// What `generate --key` uses unless told otherwise (`--key-guidance`); measured in the
    /// README ("Steering what is generated").
    public static let defaultStrength = 1.0
    /// What a key drawn from the training pieces' keys (`TrainingKeys`, no `--key` asked) is
    /// held with: enough to give the piece the corpus's tonality, not the single-mindedness of
    /// an asked key. A network that has learnt its `Key_` header keeps the key largely by itself,
    /// so this is a nudge: at 0.5 a 10-minute run with 1.3 passes over the corpus kept more of
    /// its notes in the key than any corpus piece does, and at 0.25 session 16's run (1.7 passes)
    /// still kept more than 95 % of corpus pieces do in a third of its pieces. Chosen on seeds
    /// 31–60, checked on the benchmark's 1–30; measured in the README ("Music worth keeping").
    public static let drawnKeyStrength = 0.1

    /// How far ahead of every other key (in correlation) the finders must hear the asked key
    /// before they stop pulling: about the gap between a clear key's best and second candidate.
    public static let finderMargin = 0.05
    /// The pull, in nats per unit of profile difference, when a finder hears another key ahead:
    /// about +1.4 on a minor key's third and −1 on the parallel major's (Krumhansl–Kessler).
    public static let finderStrength = 2.0

    public let key: Key
    public let strength: Double
    /// The finders the piece is held to while sampling; empty: the key's distribution alone.
    let finders: [KeyFinder]
    /// (vocabulary) added to the logits: non-zero on pitch tokens only.
    let bias: [Float]
    /// The pitch tokens' ids.
    let pitchTokens: [Int]
    /// (vocabulary) each token's MIDI pitch, nil for other tokens.
    let pitchOfToken: [Int?]
    /// (vocabulary) each `Dur` token's length in quarters, nil for other tokens.
    let quartersOfToken: [Double?]

    /// What the piece has played so far, as the finders hear it.
    struct Heard {
        /// (12) quarters sounded by pitch class, drums left out.
        var histogram = [Double](repeating: 0, count: 12)
        /// The pitch class whose duration comes next; nil when none is waiting or it is a drum's.
        var pendingPitchClass: Int?
        /// (12) `finderPull(after:)` of `histogram`, kept because it changes only when a note is
        /// counted, not at each of the tokens between.
        var pull = [Double](repeating: 0, count: 12)
    }

    /// Nil when there is nothing to add: a strength of 0, or a vocabulary without pitches.
    /// - Parameter heldBy: the key profiles whose finders the piece is held to while sampling.
    public init?(key: Key, strength: Double, vocabulary: Vocabulary, heldBy profiles: [KeyProfile.Name] = []) {
        guard strength > 0 else { return nil }
        let weights = KeyProfile.named(.albrecht).weights(for: key.mode)
        let total = weights.reduce(0, +)
        // By pitch class: the profile lists scale degrees from the tonic.
        let logRatio = (0..<12).map { pitchClass in
            Float(strength * log(12 * weights[(pitchClass - key.tonic + 12) % 12] / total))
        }
        let pitches = vocabulary.pitchOfToken
        guard pitches.contains(where: { $0 != nil }) else { return nil }
        let bias = pitches.map { pitch in pitch.map { logRatio[$0 % 12] } ?? 0 }
        pitchTokens = pitches.indices.filter { pitches[$0] != nil }
        pitchOfToken = pitches
        quartersOfToken = vocabulary.durationStepsOfToken.map { steps in
            steps.map { Double($0) / Double(TokenGrid.stepsPerQuarter) }
        }
        finders = profiles.map { KeyFinder(profile: .named($0)) }
        self.key = key
        self.strength = strength
        self.bias = bias
    }

    /// What `tokens` have played, read from nothing.
    func heard(after tokens: [Int32], grammar: TokenGrammar?) -> Heard {
        var heard = Heard()
        var state = grammar?.state(after: [])
        for token in tokens {
            advance(&heard, by: token, playing: state?.instrument ?? .piano)
            if let grammar { grammar.advance(&state!, by: token) }
        }
        return heard
    }

    /// Counts a note once its duration is known; `instrument` plays the token.
    func advance(_ heard: inout Heard, by token: Int32, playing instrument: Instrument) {
        guard !finders.isEmpty else { return }
        if let pitch = pitchOfToken[Int(token)] {
            heard.pendingPitchClass = instrument == .drums ? nil : pitch % 12
        } else if let quarters = quartersOfToken[Int(token)], let pitchClass = heard.pendingPitchClass {
            heard.histogram[pitchClass] += quarters
            heard.pendingPitchClass = nil
            heard.pull = finderPull(after: heard.histogram)
        }
    }

    /// (12) The finders' pull by pitch class after `histogram` (12, quarters by pitch class) was
    /// heard: for each finder that hears another key ahead of the asked one or within
    /// `finderMargin`, the asked key's normalised profile minus that rival's, weighed by how far
    /// the margin falls short.
    func finderPull(after histogram: [Double]) -> [Double] {
        var pull = [Double](repeating: 0, count: 12)
        for finder in finders {
            guard let estimate = finder.estimate(histogram),
                let asked = estimate.candidates.first(where: { $0.key == key }),
                let rival = estimate.candidates.first(where: { $0.key != key })
            else { continue }
            let shortfall = min(1, (Self.finderMargin - (asked.correlation - rival.correlation)) / Self.finderMargin)
            guard shortfall > 0 else { continue }
            let toward = finder.normalisedProfile(of: key), away = finder.normalisedProfile(of: rival.key)
            for pitchClass in 0..<12 {
                pull[pitchClass] += Self.finderStrength * shortfall * (toward[pitchClass] - away[pitchClass])
            }
        }
        return pull
    }

    /// Adds the bias to `logits` (vocabulary) unless the next note is a drum's, with the finders'
    /// pull after `heard` when given, then moves every pitch logit by one amount so that the
    /// pitch tokens' total probability is what it was.
    func apply(to logits: inout [Float], playing instrument: Instrument, heard: Heard? = nil) {
        guard instrument != .drums else { return }
        let before = logSumExp(of: pitchTokens.map { logits[$0] })
        for index in pitchTokens { logits[index] += bias[index] }
        if let heard, !finders.isEmpty {
            for index in pitchTokens { logits[index] += Float(heard.pull[pitchOfToken[index]! % 12]) }
        }
        let after = logSumExp(of: pitchTokens.map { logits[$0] })
        guard before.isFinite, after.isFinite else { return }
        for index in pitchTokens { logits[index] -= after - before }
    }

    /// ln Σ exp(values), -∞ for none or all -∞.
    func logSumExp(of values: [Float]) -> Float {
        guard let highest = values.max(), highest > -.infinity else { return -.infinity }
        return highest + log(values.reduce(0) { $0 + exp($1 - highest) })
    }
}
