/// Incremental decoding for the Transformer (llm.c style buffers, one row per step): a key/value
/// cache per layer, so one new token costs one row through every matrix and one pass of
/// attention over the cached keys, O(context), instead of a forward over the whole window.
///
/// At the context limit:
/// - Rotary positions: the cache is a ring of the last `context` tokens' keys and values, turned
///   at their absolute positions. Past the context the oldest slot is overwritten, so every
///   layer's query attends to the last `context` keys, at the distances training saw; keys of
///   deeper layers were computed while their own window reached further back, so information
///   from up to layers × context tokens ago can still flow in (as in sliding-window attention).
///   Generation never has to stop or re-encode.
/// - Learned positions: position `context` has no embedding, so from there on every token
///   re-encodes the last `context` tokens through the model, as `--no-cache` does.
final class TransformerDecoder: TokenDecoder {
    let model: TransformerModel
    private let buffers: FloatBuffer
    private var offsets: [String: Int] = [:]
    /// Tokens seen so far: the position of the next one.
    private var position = 0
    /// Every token so far, for re-encoding past a learned position table.
    private var sequence: [Int32] = []
    private lazy var window = WindowDecoder(model: model, capacity: model.config.context)

    init(model: TransformerModel) {
        precondition(model.batch == 1, "generation runs one sequence at a time")
        self.model = model
        let config = model.config, c = config.channels, w = config.context
        var layout = TensorLayout()
        for l in 0..<config.layers {
            layout.add("keys\(l)", [w, c])                       // (W, C) ring: token t in slot t mod W
            layout.add("values\(l)", [w, c])                     // (W, C) ring: token t in slot t mod W
        }
        layout.add("x", [c])                                     // (C) residual stream
        layout.add("ln", [c])                                    // (C) LayerNorm output
        layout.add("mean", [1])                                  // (1)
        layout.add("rstd", [1])                                  // (1)
        layout.add("qkv", [3 * c])                               // (3C)
        layout.add("attended", [c])                              // (C)
        layout.add("scores", [config.heads, w])                  // (NH, W)
        layout.add("fc", [4 * c])                                // (4C) MLP hidden, GELU in place
        layout.add("cos", [c / config.heads / 2])                // (hs/2) rotary angles of this position
        layout.add("sin", [c / config.heads / 2])                // (hs/2)
        layout.add("logits", [config.vocabularySize])            // (V)
        buffers = FloatBuffer(count: layout.totalCount)
        for entry in layout.entries { offsets[entry.name] = entry.offset }
    }

    private func buffer(_ name: String) -> UnsafeMutablePointer<Float> { buffers.base + offsets[name]! }
    private func p(_ name: String) -> UnsafeMutablePointer<Float> { model.parameters.value(name) }

    func append(_ tokens: [Int32]) -> [Float] {
        let config = model.config
        if config.positionEncoding == .learned {
            let handedOver = sequence.count > config.context
            sequence += tokens
            if sequence.count > config.context { return window.append(handedOver ? tokens : sequence) }
        }
        for token in tokens { step(token) }
        return Array(UnsafeBufferPointer(start: buffer("logits"), count: config.vocabularySize))
    }

    /// Runs `token` at `position` through every layer, caching its keys and values, and
    /// leaves the logits for the next token in `logits`.
    private func step(_ token: Int32) {
        let config = model.config, c = config.channels, w = config.context, v = config.vocabularySize
        let x = buffer("x"), ln = buffer("ln"), qkv = buffer("qkv")
        x.update(from: p("wte.weight") + Int(token) * c, count: c)
        if config.positionEncoding == .learned {
            let row = p("wpe.weight") + position * c
            for j in 0..<c { x[j] += row[j] }
        }
        let slot = position % w, visible = min(position + 1, w)
        for l in 0..<config.layers {
            let weights = TransformerBlock.Weights(p, prefix: "h.\(l).")
            LayerNorm.forward(out: ln, mean: buffer("mean"), rstd: buffer("rstd"), inp: x, gain: weights.ln1Gain,
                              bias: weights.ln1Bias, rows: 1, channels: c)
            Linear.forward(out: qkv, inp: ln, weight: weights.qkvWeight, bias: weights.qkvBias, rows: 1, inputs: c, outputs: 3 * c)
            if config.positionEncoding == .rotary {
                Rotary.forward(row: qkv, position: position, channels: c, heads: config.heads, cos: buffer("cos"),
                               sin: buffer("sin"))
            }
            let keys = buffer("keys\(l)"), values = buffer("values\(l)")
            (keys + slot * c).update(from: qkv + c, count: c)
            (values + slot * c).update(from: qkv + 2 * c, count: c)
            CachedAttention.forward(out: buffer("attended"), scores: buffer("scores"), query: qkv, keys: keys, values: values,
                                    visible: visible, channels: c, heads: config.heads)
            Linear.forward(out: x, inp: buffer("attended"), weight: weights.projWeight, bias: weights.projBias, rows: 1,
                           inputs: c, outputs: c, accumulate: true)
            LayerNorm.forward(out: ln, mean: buffer("mean"), rstd: buffer("rstd"), inp: x, gain: weights.ln2Gain,
                              bias: weights.ln2Bias, rows: 1, channels: c)
            Linear.forward(out: buffer("fc"), inp: ln, weight: weights.fcWeight, bias: weights.fcBias, rows: 1, inputs: c,
                           outputs: 4 * c)
            GELU.forward(out: buffer("fc"), inp: buffer("fc"), count: 4 * c)
            Linear.forward(out: x, inp: buffer("fc"), weight: weights.fc2Weight, bias: weights.fc2Bias, rows: 1, inputs: 4 * c,
                           outputs: c, accumulate: true)
        }
        LayerNorm.forward(out: ln, mean: buffer("mean"), rstd: buffer("rstd"), inp: x, gain: p("ln_f.weight"), bias: p("ln_f.bias"),
                          rows: 1, channels: c)
        Linear.forward(out: buffer("logits"), inp: ln, weight: p("head.weight"), bias: nil, rows: 1, inputs: c, outputs: v)
        position += 1
    }
}
