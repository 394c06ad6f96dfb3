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

    public init(corpus: [String], model: ModelConfig.Kind, tokenizer: TokenizerKind, splitProtocol: SplitProtocol = .piece,
                epochs: Int? = nil, minutes: Double? = nil, batch: Int = 32, context: Int? = nil, learningRate: Float = 2e-3,
                seed: UInt64 = 1, patience: Int = 3, validationWindows: Int = 4096, width: Int? = nil, layers: Int? = nil, dropout: Float = 0.1, transpose: Int? = nil) {
        self.corpus = corpus
        self.model = model
        self.tokenizer = tokenizer
        self.splitProtocol = splitProtocol
        self.epochs = epochs ?? (minutes == nil ? 10 : nil)
        self.minutes = minutes
        self.batch = batch
        self.context = context ?? (splitProtocol == .seed ? Dataset.seedContext : 64)
        self.learningRate = learningRate
        self.seed = seed
        self.patience = patience
        self.validationWindows = validationWindows
        self.width = width
        self.layers = layers
        self.dropout = dropout
        self.transpose = transpose
    }

    /// The problem with these options, in words naming the option, or nil when they work.
    public var problem: String? {
        if splitProtocol == .seed && context != Dataset.seedContext {
            return "--context \(context): the seed protocol uses windows of \(Dataset.seedContext) tokens; leave --context out or use --protocol piece"
        }
        if let epochs, epochs < 1 { return "--epochs \(epochs): train for at least one epoch" }
        if let minutes, minutes <= 0 { return "--minutes \(minutes): give a positive time budget" }
        if batch < 1 { return "--batch \(batch): a batch holds at least one window" }
        if context < 2 { return "--context \(context): a window needs at least two tokens" }
        if !(learningRate > 0) { return "--lr \(learningRate): the learning rate must be positive" }
        if let transpose, transpose < 0 || transpose > 12 { return "--transpose \(transpose): give 0 to 12 semitones" }
        if let transpose, transpose > 0, tokenizer != .events {
            return "--transpose \(transpose): only events tokens can be transposed one by one; use --tokenizer events or leave --transpose out"
        }
        return nil
    }

    public func modelConfig(vocabularySize: Int) -> ModelConfig {
        switch model {
        case .lstm:
            return .lstm(vocabularySize: vocabularySize, embedding: width ?? 256, hidden: width ?? 256, layers: layers ?? 2, dropout: dropout)
        case .wavenet:
            let channels = width ?? 128
            return .wavenet(vocabularySize: vocabularySize, channels: channels, skipChannels: 2 * channels, blocks: layers ?? 8)
        case .transformer:
            let modelWidth = width ?? 128
            return .transformer(vocabularySize: vocabularySize, width: modelWidth, layers: layers ?? 4, heads: max(1, modelWidth / 64), context: context)
        }
    }
}
