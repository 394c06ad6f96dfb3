/// Everything that decides a training run; saved in the run folder as run.json so a
/// resumed run rebuilds the same dataset and model.
public struct TrainingOptions: Codable, Sendable {
    public var corpus: [String]
    public var model: ModelConfig.Kind
    public var tokenizer: TokenizerKind
    public var splitProtocol: SplitProtocol
    /// Passes over the training tokens; nil with `minutes` means "until time is up".
    public var epochs: Int?
    public var minutes: Double?
    public var batch: Int
    /// Tokens the model sees per window; the seed protocol fixes it at 32.
    public var context: Int
    public var learningRate: Float
    /// The rate the cosine decay ends at, as given or defaulted; nil in older runs' run.json
    /// (`decayEnd` reads them as the tenth of `learningRate` they trained with).
    public var finalLearningRate: Float?
    public var seed: UInt64
    /// Epochs without a better validation loss before training stops.
    public var patience: Int
    /// Validation windows scored each epoch (a fixed random subset when there are more).
    public var validationWindows: Int
    /// Embedding / hidden width (LSTM), residual channels (WaveNet), model width (Transformer).
    public var width: Int?
    public var layers: Int?
    public var dropout: Float
    /// Each training window is moved by a random number of semitones up to this (events
    /// tokens only); nil or 0 trains on the pieces as written. Optional, so run.json files
    /// written before it existed still load.
    public var transpose: Int?
    /// Each training window's tempo tokens move together by a random number of tempo
    /// buckets (each about 6 %) up to this, up or down (events tokens only): the same
    /// music played faster or slower. Positions and durations count beats, so the tempo
    /// tokens are all that a tempo stretch changes. Optional for older run.json files.
    public var tempoStretch: Int?
    /// Share of training windows turned into bar-infilling examples (`BarInfill`, events
    /// tokens only), so the model can rewrite bars with what follows them in view; nil
    /// (older runs) or 0 trains on plain windows only.
    public var infillShare: Double?
    /// AdamW's decoupled weight decay; nil (older runs) is the 0.1 they trained with.
    public var weightDecay: Float?
    /// Minutes between checkpoints inside an epoch, so a killed run loses at most this
    /// much; nil (older runs) saves at epoch ends only.
    public var checkpointMinutes: Double?
    /// The preset the run was asked for, if any (recorded; its values are already applied).
    public var preset: TrainingPreset?
    /// The Markov model's n; nil picks it on the validation pieces from `markovOrders`.
    public var order: Int?
    /// Share of the run (of its time budget, or of its steps when it counts epochs) a
    /// Transformer trains on windows of `warmupContext` tokens before switching to `context`
    /// (`ContextCurriculum`); nil (older runs) or 0 trains at `context` throughout.
    public var contextWarmup: Double?
    /// The window of the curriculum's first part, a divisor of `context`: the batch grows by
    /// as much as the window shrinks, so each step takes as many tokens. Unless given, the
    /// preset's fraction of `context` (an eighth for the demo), else a quarter (nil without a
    /// curriculum).
    public var warmupContext: Int?
    /// The largest share of a training window's input tokens replaced by the model's own draws
    /// (`ScheduledSampling`, events tokens and networks only), reached at the run's end; nil
    /// (older runs) or 0 trains on real windows only.
    public var scheduledSampling: Double?

    public static let defaultWeightDecay: Float = 0.1
    /// Where the cosine decay ends, as a share of the peak. A decay to zero was measured against it
    /// at the demo recipe's ten minutes and did no better (README, session 18).
    public static let defaultFinalRateShare: Float = 0.1
    /// The anchors' dropout (AMT, Music Transformer), for models without a preset's own.
    public static let defaultDropout: Float = 0.1
    public static let defaultCheckpointMinutes = 5.0
    /// ±3 semitones and one tempo bucket (±6 %): Magenta's Music Transformer recipe.
    public static let defaultEventsTranspose = 3
    public static let defaultEventsTempoStretch = 1
    /// A quarter of the windows: MIDI-GPT masks bars in most of its examples, but on a small
    /// corpus plain continuation must still be learnt from most windows.
    public static let defaultEventsInfillShare = 0.25

    /// Explicit values win; then the preset; then the defaults, which for an events
    /// Transformer split by piece are the demo preset's sizes and context.
    public init(
        corpus: [String], model: ModelConfig.Kind, tokenizer: TokenizerKind, splitProtocol: SplitProtocol = .piece,
        preset: TrainingPreset? = nil, epochs: Int? = nil, minutes: Double? = nil, batch: Int? = nil,
        context: Int? = nil, learningRate: Float? = nil, finalLearningRate: Float? = nil, seed: UInt64 = 1,
        patience: Int = 3, validationWindows: Int = 4096, width: Int? = nil, layers: Int? = nil, dropout: Float? = nil,
        transpose: Int? = nil, tempoStretch: Int? = nil, infillShare: Double? = nil, weightDecay: Float? = nil,
        checkpointMinutes: Double? = nil, order: Int? = nil, contextWarmup: Double? = nil, warmupContext: Int? = nil,
        scheduledSampling: Double? = nil
    ) {
        let recipe =
            model == .transformer && splitProtocol == .piece
            ? (preset ?? (tokenizer == .events ? TrainingPreset.eventsTransformerDefault : nil))?.settings : nil
        let presetMinutes = epochs == nil && minutes == nil ? preset?.settings.minutes : nil
        self.corpus = corpus
        self.model = model
        self.tokenizer = tokenizer
        self.splitProtocol = splitProtocol
        self.preset = preset
        self.minutes = minutes ?? presetMinutes
        self.epochs = epochs ?? (self.minutes == nil ? 10 : nil)
        self.batch = batch ?? recipe?.batch ?? 32
        self.context = context ?? (splitProtocol == .seed ? Dataset.seedContext : recipe?.context ?? 64)
        self.learningRate = learningRate ?? recipe?.learningRate ?? 2e-3
        self.finalLearningRate = finalLearningRate ?? self.learningRate * Self.defaultFinalRateShare
        self.seed = seed
        self.patience = patience
        self.validationWindows = validationWindows
        self.width = width ?? recipe?.width
        self.layers = layers ?? recipe?.layers
        self.dropout = dropout ?? recipe?.dropout ?? Self.defaultDropout
        // The Markov model counts pieces as written unless asked: augmentation regularises networks.
        let augments = tokenizer == .events && model != .markov
        self.transpose = transpose ?? (augments ? Self.defaultEventsTranspose : nil)
        self.tempoStretch = tempoStretch ?? (augments ? Self.defaultEventsTempoStretch : nil)
        self.infillShare = infillShare ?? (augments ? Self.defaultEventsInfillShare : nil)
        self.weightDecay = weightDecay ?? Self.defaultWeightDecay
        self.checkpointMinutes = checkpointMinutes ?? Self.defaultCheckpointMinutes
        self.order = order
        // The preset's warm-up is fitted to its own context: a run given another trains at it throughout
        // unless asked for a warm-up.
        self.contextWarmup = contextWarmup ?? (context == nil ? recipe?.contextWarmup : nil)
        // Recorded as used, so run.json says the window the first part trained on.
        let warmsUp = (self.contextWarmup ?? 0) > 0
        let shrink = recipe?.warmupShrink ?? ContextCurriculum.defaultShrink
        self.warmupContext = warmupContext ?? (warmsUp ? self.context / shrink : nil)
        self.scheduledSampling = scheduledSampling
    }

    /// Where this run's cosine decay ends: `finalLearningRate`, or for a run recorded before it
    /// existed, the default share of the peak.
    public var decayEnd: Float { finalLearningRate ?? learningRate * Self.defaultFinalRateShare }

    /// The curriculum this run trains with, or nil when it trains at `context` throughout.
    public var contextCurriculum: ContextCurriculum? {
        guard let share = contextWarmup, share > 0 else { return nil }
        let short = warmupContext ?? context / ContextCurriculum.defaultShrink
        return ContextCurriculum(share: share, context: short, batch: batch * context / max(short, 1))
    }

    /// The first setting that cannot train, or nil when they all can.
    public var problem: Problem? {
        if splitProtocol == .seed && context != Dataset.seedContext {
            return .contextFixedBySeedProtocol(context: context, seedContext: Dataset.seedContext)
        }
        if let epochs, epochs < 1 { return .noEpochs(epochs) }
        if let minutes, minutes <= 0 { return .noTime(minutes: minutes) }
        if batch < 1 { return .emptyBatch(batch) }
        if context < 2 { return .contextTooShort(context) }
        if !(learningRate > 0) { return .learningRateNotPositive(learningRate) }
        if let finalLearningRate, !(0...learningRate).contains(finalLearningRate) {
            return .finalLearningRateOutsidePeak(finalLearningRate, peak: learningRate)
        }
        if let transpose, !Self.transpositions.contains(transpose) { return .transpositionOutOfRange(transpose) }
        if let transpose, transpose > 0, tokenizer != .events {
            return .transpositionNeedsEventTokens(transpose: transpose, tokenizer: tokenizer)
        }
        if let tempoStretch, !Self.tempoStretches.contains(tempoStretch) {
            return .tempoStretchOutOfRange(tempoStretch)
        }
        if let tempoStretch, tempoStretch > 0, tokenizer != .events {
            return .tempoStretchNeedsEventTokens(buckets: tempoStretch, tokenizer: tokenizer)
        }
        if let infillShare, !(0...1).contains(infillShare) { return .infillShareOutOfRange(infillShare) }
        if let infillShare, infillShare > 0, tokenizer != .events {
            return .infillNeedsEventTokens(share: infillShare, tokenizer: tokenizer)
        }
        if !(0..<1).contains(dropout) { return .dropoutOutOfRange(dropout) }
        if let weightDecay, !(0..<1).contains(weightDecay) { return .weightDecayOutOfRange(weightDecay) }
        if let checkpointMinutes, !(checkpointMinutes > 0) {
            return .checkpointIntervalNotPositive(minutes: checkpointMinutes)
        }
        if let order, model != .markov { return .orderWithoutMarkovModel(order: order, model: model) }
        if let order, !Self.markovOrders.contains(order) { return .orderOutOfRange(order) }
        if model == .markov && splitProtocol != .piece { return .markovNeedsPieceSplit(splitProtocol) }
        if let share = contextWarmup, !(0..<1).contains(share) { return .contextWarmupOutOfRange(share) }
        if let curriculum = contextCurriculum {
            if model != .transformer || splitProtocol != .piece {
                return .contextWarmupNeedsTransformer(model: model, splitProtocol: splitProtocol)
            }
            if curriculum.context < 2 || curriculum.context >= context || context % curriculum.context != 0 {
                return .warmupContextNotADivisor(warmupContext: curriculum.context, context: context)
            }
        }
        if let share = scheduledSampling, !(0..<1).contains(share) { return .scheduledSamplingOutOfRange(share) }
        if let share = scheduledSampling, share > 0, tokenizer != .events || model == .markov {
            return .scheduledSamplingNeedsEventsNetwork(share: share, model: model, tokenizer: tokenizer)
        }
        return nil
    }

    /// Tempo buckets a training window's tempo may move by, at most.
    public static let tempoStretches = 0...3

    /// The orders a Markov model may have; without one given, each from the second up is
    /// tried on the validation pieces.
    public static let markovOrders = 1...8

    /// Semitones a training window may be moved by, at most.
    public static let transpositions = 0...12

    /// A setting that cannot train, with its value; `description` names the setting.
    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// The seed protocol's windows have a fixed length.
        case contextFixedBySeedProtocol(context: Int, seedContext: Int)
        case noEpochs(Int)
        case noTime(minutes: Double)
        case emptyBatch(Int)
        case contextTooShort(Int)
        case learningRateNotPositive(Float)
        /// The decay runs down from the peak: it ends between 0 and the peak.
        case finalLearningRateOutsidePeak(Float, peak: Float)
        case transpositionOutOfRange(Int)
        /// Only events tokens carry pitches that can be moved one by one.
        case transpositionNeedsEventTokens(transpose: Int, tokenizer: TokenizerKind)
        case tempoStretchOutOfRange(Int)
        /// Only events tokens say the tempo.
        case tempoStretchNeedsEventTokens(buckets: Int, tokenizer: TokenizerKind)
        case infillShareOutOfRange(Double)
        /// Only events tokens have bars to mask.
        case infillNeedsEventTokens(share: Double, tokenizer: TokenizerKind)
        case dropoutOutOfRange(Float)
        case weightDecayOutOfRange(Float)
        case checkpointIntervalNotPositive(minutes: Double)
        /// Only the Markov model has an order.
        case orderWithoutMarkovModel(order: Int, model: ModelConfig.Kind)
        case orderOutOfRange(Int)
        /// The Markov model counts whole training pieces; the seed protocol splits windows.
        case markovNeedsPieceSplit(SplitProtocol)
        case contextWarmupOutOfRange(Double)
        /// The curriculum shortens a Transformer's windows, which the seed protocol fixes.
        case contextWarmupNeedsTransformer(model: ModelConfig.Kind, splitProtocol: SplitProtocol)
        /// Equal tokens per step need a short window that divides the full one.
        case warmupContextNotADivisor(warmupContext: Int, context: Int)
        case scheduledSamplingOutOfRange(Double)
        /// A draw keeps its token's kind, which only events tokens have; the Markov model counts.
        case scheduledSamplingNeedsEventsNetwork(share: Double, model: ModelConfig.Kind, tokenizer: TokenizerKind)

        public var description: String {
            switch self {
            case .contextFixedBySeedProtocol(let context, _):
                "context \(context): \(problem); leave the context at its default or split by piece"
            case .noEpochs(let epochs): "epochs \(epochs): \(problem)"
            case .noTime(let minutes): "time budget \(minutes) minutes: \(problem)"
            case .emptyBatch(let batch): "batch \(batch): \(problem)"
            case .contextTooShort(let context): "context \(context): \(problem)"
            case .learningRateNotPositive(let rate): "learning rate \(rate): \(problem)"
            case .finalLearningRateOutsidePeak(let rate, _): "final learning rate \(rate): \(problem)"
            case .transpositionOutOfRange(let transpose): "transposition \(transpose): \(problem)"
            case .transpositionNeedsEventTokens(let transpose, _):
                "transposition \(transpose): \(problem); use events tokens or no transposition"
            case .tempoStretchOutOfRange(let buckets): "tempo stretch \(buckets): \(problem)"
            case .tempoStretchNeedsEventTokens(let buckets, _):
                "tempo stretch \(buckets): \(problem); use events tokens or no tempo stretch"
            case .infillShareOutOfRange(let share): "infill share \(share): \(problem)"
            case .infillNeedsEventTokens(let share, _):
                "infill share \(share): \(problem); use events tokens or an infill share of 0"
            case .dropoutOutOfRange(let dropout): "dropout \(dropout): \(problem)"
            case .weightDecayOutOfRange(let decay): "weight decay \(decay): \(problem)"
            case .checkpointIntervalNotPositive(let minutes): "checkpoint interval \(minutes) minutes: \(problem)"
            case .orderWithoutMarkovModel(let order, _): "order \(order): \(problem); use the Markov model or no order"
            case .orderOutOfRange(let order): "order \(order): \(problem)"
            case .markovNeedsPieceSplit(let split): "split \(split.rawValue): \(problem); split by piece"
            case .contextWarmupOutOfRange(let share): "context warm-up \(share): \(problem)"
            case .contextWarmupNeedsTransformer(let model, let split):
                "context warm-up with a \(model.rawValue) model split by \(split.rawValue): \(problem); "
                    + "train a Transformer split by piece or leave the warm-up at 0"
            case .warmupContextNotADivisor(let short, let context):
                "warm-up context \(short) for a context of \(context): \(problem)"
            case .scheduledSamplingOutOfRange(let share): "scheduled sampling \(share): \(problem)"
            case .scheduledSamplingNeedsEventsNetwork(let share, _, _):
                "scheduled sampling \(share): \(problem); train a network on events tokens or leave it at 0"
            }
        }

        /// What is wrong with the value, without naming the setting or a remedy.
        public var problem: String {
            switch self {
            case .contextFixedBySeedProtocol(_, let seedContext):
                "the seed protocol uses windows of \(seedContext) tokens"
            case .noEpochs: "train for at least one epoch"
            case .noTime: "give a positive time budget"
            case .emptyBatch: "a batch holds at least one window"
            case .contextTooShort: "a window needs at least two tokens"
            case .learningRateNotPositive: "the learning rate must be positive"
            case .finalLearningRateOutsidePeak(_, let peak): "give 0 to the peak learning rate (\(peak))"
            case .transpositionOutOfRange:
                "give \(TrainingOptions.transpositions.lowerBound) to "
                    + "\(TrainingOptions.transpositions.upperBound) semitones"
            case .transpositionNeedsEventTokens: "only events tokens can be transposed one by one"
            case .tempoStretchOutOfRange:
                "give \(TrainingOptions.tempoStretches.lowerBound) to "
                    + "\(TrainingOptions.tempoStretches.upperBound) tempo buckets"
            case .tempoStretchNeedsEventTokens: "only events tokens carry a tempo"
            case .infillShareOutOfRange: "a share of windows is 0 to 1"
            case .infillNeedsEventTokens: "only events tokens have bars to mask"
            case .dropoutOutOfRange: "a dropout probability is at least 0 and below 1"
            case .weightDecayOutOfRange: "weight decay is at least 0 and below 1"
            case .checkpointIntervalNotPositive: "checkpoints need a positive interval"
            case .orderWithoutMarkovModel(_, let model): "a \(model.rawValue) model has no order"
            case .orderOutOfRange:
                "give \(TrainingOptions.markovOrders.lowerBound) to \(TrainingOptions.markovOrders.upperBound) tokens"
            case .markovNeedsPieceSplit: "the Markov model counts whole training pieces"
            case .contextWarmupOutOfRange: "a share of the run is at least 0 and below 1"
            case .contextWarmupNeedsTransformer: "only a Transformer split by piece trains on shorter windows first"
            case .warmupContextNotADivisor:
                "give a window of at least 2 tokens that divides the context and is shorter than it"
            case .scheduledSamplingOutOfRange: "a share of tokens is at least 0 and below 1"
            case .scheduledSamplingNeedsEventsNetwork(_, let model, let tokenizer):
                model == .markov
                    ? "the Markov model counts tokens and draws none while training"
                    : "only events tokens have kinds a draw can keep (not \(tokenizer.rawValue))"
            }
        }
    }

    public func modelConfig(vocabularySize: Int) -> ModelConfig {
        switch model {
        case .lstm:
            return .lstm(
                vocabularySize: vocabularySize, embedding: width ?? 256, hidden: width ?? 256, layers: layers ?? 2,
                dropout: dropout)
        case .wavenet:
            let channels = width ?? 128
            return .wavenet(
                vocabularySize: vocabularySize, channels: channels, skipChannels: 2 * channels, blocks: layers ?? 8)
        case .transformer:
            let modelWidth = width ?? 128
            return .transformer(
                vocabularySize: vocabularySize, width: modelWidth, layers: layers ?? 4,
                heads: max(1, modelWidth / 64), context: context, dropout: dropout)
        case .markov:
            return .markov(vocabularySize: vocabularySize, order: order ?? Self.markovOrders.upperBound)
        }
    }
}
