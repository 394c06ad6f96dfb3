/// Named recipes for a training run's size and time. Flags given explicitly win over the
/// preset; the preset wins over the general defaults.
public enum TrainingPreset: String, CaseIterable, Codable, Sendable {
    /// Minutes on a laptop: a Transformer small enough to see several bars after a few
    /// thousand steps.
    case demo
    /// An hour or more: wider, deeper, and twice the context.
    case quality

    /// What a preset sets; nil leaves the general default.
    public struct Settings: Sendable, Equatable {
        public var minutes: Double
        public var width: Int
        public var layers: Int
        public var context: Int
        public var batch: Int
        public var learningRate: Float
        /// Attention-output and MLP dropout. A demo's budget is under one pass over a
        /// corpus of hundreds of pieces, augmented on the fly, so nothing is memorised yet and
        /// dropout only slows learning; an hour's passes start to overfit without it.
        public var dropout: Float
        /// Share of the run trained on short windows first (`ContextCurriculum`).
        public var contextWarmup: Double
        /// The short windows are the context divided by this.
        public var warmupShrink: Int
    }

    public var settings: Settings {
        switch self {
        case .demo:
            // Measured in the README ("The small-corpus recipe"): at a budget of minutes the most
            // updates win, so small batches, and 80 % of the run on windows an eighth as long
            // (16 of them a step) before the whole context is trained.
            Settings(
                minutes: 5, width: 128, layers: 4, context: 576, batch: 2, learningRate: 2e-3, dropout: 0,
                contextWarmup: 0.8, warmupShrink: 8)
        case .quality:
            Settings(
                minutes: 90, width: 256, layers: 6, context: 1024, batch: 8, learningRate: 1e-3, dropout: 0.1,
                contextWarmup: 0, warmupShrink: ContextCurriculum.defaultShrink)
        }
    }

    /// The sizes an events Transformer gets without a preset: the demo's, whose 576 tokens
    /// cover 8.7 bars at the visible corpus's median density (66.3 `events` tokens per bar
    /// over its 594 pieces; quartiles 47.3 and 94.4), so at least 8 bars with a margin for
    /// denser corpora.
    public static let eventsTransformerDefault = TrainingPreset.demo
}
