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
public struct KeyGuidance: Sendable {
    /// What `generate --key` uses unless told otherwise (`--key-guidance`); measured in the
    /// README ("Steering what is generated").
    public static let defaultStrength = 1.0
    /// What a key drawn from the training pieces' keys (`TrainingKeys`, no `--key` asked) is
    /// held with: enough to give the piece the corpus's tonality, not the single-mindedness of
    /// an asked key. A network that has learnt its `Key_` header keeps the key largely by itself,
    /// so this is a nudge: at 0.5 a 10-minute run with 1.3 passes over the corpus kept more of
    /// its notes in the key than any corpus piece does. Measured in the README ("Music worth keeping").
    public static let drawnKeyStrength = 0.25

    public let key: Key
    public let strength: Double
    /// (vocabulary) added to the logits: non-zero on pitch tokens only.
    let bias: [Float]
    /// The pitch tokens' ids.
    let pitchTokens: [Int]

    /// Nil when there is nothing to add: a strength of 0, or a vocabulary without pitches.
    public init?(key: Key, strength: Double, vocabulary: Vocabulary) {
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
        self.key = key
        self.strength = strength
        self.bias = bias
    }

    /// Adds the bias to `logits` (vocabulary) unless the next note is a drum's, then moves every
    /// pitch logit by one amount so that the pitch tokens' total probability is what it was.
    func apply(to logits: inout [Float], playing instrument: Instrument) {
        guard instrument != .drums else { return }
        let before = logSumExp(of: pitchTokens.map { logits[$0] })
        for index in pitchTokens { logits[index] += bias[index] }
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
