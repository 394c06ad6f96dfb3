/// Which network and its sizes; stored in every checkpoint's config.json.
public struct ModelConfig: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case lstm, wavenet, transformer, markov }

    public var kind: Kind
    public var vocabularySize: Int
    /// Embedding width (LSTM), residual channels (WaveNet) or model width (Transformer).
    public var channels: Int
    /// LSTM hidden size, WaveNet skip channels, unused by the Transformer (4 × channels MLP).
    public var hidden: Int
    /// LSTM layers, WaveNet blocks, Transformer blocks; the Markov model's order (its levels of n-grams).
    public var layers: Int
    /// Transformer attention heads.
    public var heads: Int
    /// Longest sequence the model accepts (Transformer position table size).
    public var context: Int
    /// Dropout between LSTM layers, as nn.LSTM's `dropout`; in each Transformer block, on the
    /// heads' outputs and the MLP's hidden units.
    public var dropout: Float
    /// How the Transformer tells positions apart; nil for the other kinds and in checkpoints written
    /// before rotary positions existed, which all learned theirs (see `positionEncoding`).
    public var positions: PositionEncoding?

    public enum PositionEncoding: String, Codable, Sendable, CaseIterable {
        /// A learned table of `context` rows added to the token embedding: no position past it exists.
        case learned
        /// Queries and keys turned by their position (RoPE): attention sees only offsets between
        /// tokens, so generation can run past the training context.
        case rotary
    }

    public init(
        kind: Kind, vocabularySize: Int, channels: Int, hidden: Int, layers: Int, heads: Int = 1,
        context: Int = 4096, dropout: Float = 0, positions: PositionEncoding? = nil
    ) {
        self.kind = kind
        self.vocabularySize = vocabularySize
        self.channels = channels
        self.hidden = hidden
        self.layers = layers
        self.heads = heads
        self.context = context
        self.dropout = dropout
        self.positions = positions
    }

    public var positionEncoding: PositionEncoding { positions ?? .learned }

    /// The original project's best: 2 × 512.
    public static func lstm(
        vocabularySize: Int, embedding: Int = 512, hidden: Int = 512, layers: Int = 2, dropout: Float = 0
    ) -> ModelConfig {
        ModelConfig(
            kind: .lstm, vocabularySize: vocabularySize, channels: embedding, hidden: hidden, layers: layers,
            dropout: dropout)
    }

    /// Dilations 1, 2, …, 128 repeated: one cycle of eight blocks sees 256 tokens.
    public static func wavenet(vocabularySize: Int, channels: Int = 128, skipChannels: Int = 256, blocks: Int = 8)
        -> ModelConfig
    {
        ModelConfig(
            kind: .wavenet, vocabularySize: vocabularySize, channels: channels, hidden: skipChannels, layers: blocks)
    }

    public static func transformer(
        vocabularySize: Int, width: Int = 256, layers: Int = 4, heads: Int = 4, context: Int = 512,
        dropout: Float = 0, positions: PositionEncoding = .rotary
    ) -> ModelConfig {
        ModelConfig(
            kind: .transformer, vocabularySize: vocabularySize, channels: width, hidden: 4 * width, layers: layers,
            heads: heads, context: context, dropout: dropout, positions: positions)
    }

    /// The n-gram baseline: n-grams of `order` tokens, nothing to size beyond that.
    public static func markov(vocabularySize: Int, order: Int) -> ModelConfig {
        ModelConfig(kind: .markov, vocabularySize: vocabularySize, channels: 0, hidden: 0, layers: order)
    }

    /// Tokens the model can see back in time; the WaveNet's is limited by its dilations.
    public var receptiveField: Int {
        switch kind {
        case .lstm: return Int.max
        case .transformer: return context
        case .markov: return layers - 1
        case .wavenet: return 1 + (0..<layers).map { WaveNetModel.dilation(ofBlock: $0) }.reduce(0, +)
        }
    }

    /// Most tokens one forward pass accepts: the position table's length with learned positions;
    /// nil when any length works (recurrent, convolutional, rotary).
    public var longestWindow: Int? {
        kind == .transformer && positionEncoding == .learned ? context : nil
    }
}
