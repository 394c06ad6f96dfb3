/// Next-token logits for a sequence that grows one token at a time.
public protocol TokenDecoder: AnyObject {
    /// Appends `tokens` (at least one) to the sequence and returns the logits (V) for the token after them.
    func append(_ tokens: [Int32]) -> [Float]
}

public enum Decoders {
    /// Incremental decoding: one step per token, with the state each network needs carried
    /// between steps (key/value cache, LSTM state, WaveNet queues). A network without such a
    /// path falls back to the full-window reference.
    public static func cached(_ model: any SequenceModel, capacity: Int) -> any TokenDecoder {
        switch model {
        case let transformer as TransformerModel: TransformerDecoder(model: transformer)
        case let lstm as LSTMModel: LSTMDecoder(model: lstm)
        case let wavenet as WaveNetModel: WaveNetDecoder(model: wavenet)
        case let markov as MarkovModel: MarkovDecoder(model: markov)
        default: WindowDecoder(model: model, capacity: capacity)
        }
    }
}

/// The reference (`generate --no-cache`): every token runs the whole visible sequence through
/// the model's full forward. The visible sequence is all of it when the network takes any length
/// (LSTM, WaveNet, rotary Transformer) and the last `context` tokens with learned positions,
/// whose table ends there. The cached decoders must give the same logits.
public final class WindowDecoder: TokenDecoder {
    let model: any SequenceModel
    private var sequence: [Int32] = []
    private var window: [Int32]  // (T)

    /// `capacity`: the most tokens the sequence will hold (prompt and continuation).
    public init(model: any SequenceModel, capacity: Int) {
        precondition(model.batch == 1, "generation runs one sequence at a time")
        let time = min(capacity, model.config.longestWindow ?? capacity)
        self.model = model.time == time ? model : Models.make(sameAs: model, time: time)
        window = [Int32](repeating: 0, count: time)
    }

    public func append(_ tokens: [Int32]) -> [Float] {
        precondition(!tokens.isEmpty, "a step needs at least one token")
        sequence += tokens
        let time = model.time
        precondition(
            model.config.longestWindow != nil || sequence.count <= time,
            "sequence of \(sequence.count) tokens outgrew the \(time) it was sized for")
        // Shorter sequences sit at the start of the window: the models are causal, so what
        // follows position n cannot change its logits.
        let visible = sequence.suffix(time)
        for (offset, token) in visible.enumerated() { window[offset] = token }
        for offset in visible.count..<time { window[offset] = 0 }
        window.withUnsafeBufferPointer { _ = model.forward(tokens: $0.baseAddress!, targets: nil, training: false) }
        return model.logits(sequence: 0, position: visible.count - 1)
    }
}
