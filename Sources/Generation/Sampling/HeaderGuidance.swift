import Foundation

/// Classifier-free guidance on the header (Ho & Salimans 2022; for language models, Sanchez et
/// al. 2023): the piece is decoded twice in step, once after the header asked for (style, key,
/// instruments) and once after no header at all, and each token is drawn from
///
///     logits = unconditioned + weight · (conditioned − unconditioned).
///
/// Training drops the whole header a fifth of the time (`HeaderDropout`), so the same model
/// has learnt both. Weight 1 is plain conditioning, weight 0 ignores the header, and a weight
/// above 1 pushes each token further in the direction the header moves it: a model that has
/// learnt only a little of what `Style_jazz` means is made to say that little louder. Each
/// token costs two forward passes (two key/value caches).
public struct HeaderGuidance: Sendable {
    /// What `generate` uses when a header is asked for, unless told otherwise (`--guidance`);
    /// measured in the README ("Steering what is generated").
    public static let defaultWeight = 3.0
    /// Past 8 the difference between the two passes swamps the model's own distribution.
    public static let weightRange = 0.0...8.0

    public let weight: Float
    /// The prompt with its header left out: what the unconditioned pass continues.
    public let unconditionedPrompt: [Int32]

    public init(weight: Double, unconditionedPrompt: [Int32]) {
        precondition(!unconditionedPrompt.isEmpty, "the unconditioned pass needs a token to start from")
        self.weight = Float(weight)
        self.unconditionedPrompt = unconditionedPrompt
    }

    /// (V) logits to sample from, given the two passes' (V) logits.
    func combine(conditioned: [Float], unconditioned: [Float]) -> [Float] {
        precondition(conditioned.count == unconditioned.count, "both passes score the same vocabulary")
        var combined = unconditioned
        for index in combined.indices {
            combined[index] += weight * (conditioned[index] - unconditioned[index])
        }
        return combined
    }
}
