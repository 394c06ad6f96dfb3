/// Sequence-length warm-up (Li, Zhang & He, "The Stability-Efficiency Dilemma: Investigating
/// Sequence Length Warmup for Training GPT Models", NeurIPS 2022): the first `share` of a run
/// trains on short windows with a proportionally larger batch (as many tokens per step), then
/// switches to the full context. Early on the model is learning local grammar (a pitch's
/// duration and velocity, positions inside a bar), which short windows teach as well and more
/// cheaply, so a short budget buys more updates; the long context pays once the model can use it.
/// Parameters and AdamW moments carry over unchanged (`Trainer.reshaped`).
public struct ContextCurriculum: Sendable, Equatable {
    /// The short window is a quarter of the context unless given: 128 tokens (two bars at the
    /// visible corpus's median density) for a context of 512, at a batch of 32.
    public static let defaultShrink = 4
    /// Share of the run (of its time budget, or of its steps when it counts epochs) on short windows.
    public var share: Double
    /// The first part's window and batch.
    public var context: Int
    public var batch: Int

    /// The last step on short windows of a run counting `totalSteps` steps.
    public func lastShortStep(totalSteps: Int) -> Int { Int((share * Double(totalSteps)).rounded()) }

    /// Seconds of training on short windows in a time budget of `seconds`.
    public func shortSeconds(budget seconds: Double) -> Double { share * seconds }
}
