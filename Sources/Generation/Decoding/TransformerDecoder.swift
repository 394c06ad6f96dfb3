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
    private let keys: [UnsafeMutablePointer<Float>]  // per layer (W, C) ring: token t in slot t mod W
    private let values: [UnsafeMutablePointer<Float>]  // per layer (W, C) ring: token t in slot t mod W
    private let x: UnsafeMutablePointer<Float>  // (C) residual stream
    private let ln: UnsafeMutablePointer<Float>  // (C) LayerNorm output
    private let mean, rstd: UnsafeMutablePointer<Float>  // (1), (1)
    private let qkv: UnsafeMutablePointer<Float>  // (3C)
    private let attended: UnsafeMutablePointer<Float>  // (C)
    private let scores: UnsafeMutablePointer<Float>  // (NH, W)
    private let fc: UnsafeMutablePointer<Float>  // (4C) MLP hidden, GELU in place
    private let cos, sin: UnsafeMutablePointer<Float>  // (hs/2), (hs/2) rotary angles of this position
    private let logits: UnsafeMutablePointer<Float>  // (V)
    /// Each block's weights, looked up once rather than by name for every token.
    private let blocks: [TransformerBlock.Weights]
    /// Tokens seen so far: the position of the next one.
    private var position = 0
    /// Every token so far, for re-encoding past a learned position table.
    private var sequence: [Int32] = []
    private lazy var window = WindowDecoder(model: model, capacity: model.config.context)

    init(model: TransformerModel) {
        precondition(model.batch == 1, "generation runs one sequence at a time")
        self.model = model
        let config = model.config, c = config.channels, w = config.context, v = config.vocabularySize
        let pairs = c / config.heads / 2
        buffers = FloatBuffer(count: 2 * config.layers * w * c + 10 * c + 2 + config.heads * w + 2 * pairs + v)
        var next = buffers.base
        func carve(_ count: Int) -> UnsafeMutablePointer<Float> {
            defer { next += count }
            return next
        }
        keys = (0..<config.layers).map { _ in carve(w * c) }
        values = (0..<config.layers).map { _ in carve(w * c) }
        x = carve(c)
        ln = carve(c)
        mean = carve(1)
        rstd = carve(1)
        qkv = carve(3 * c)
        attended = carve(c)
        scores = carve(config.heads * w)
        fc = carve(4 * c)
        cos = carve(pairs)
        sin = carve(pairs)
        logits = carve(v)
        precondition(next == buffers.base + buffers.count, "every buffer carved, none overlapping")
        blocks = (0..<config.layers).map { TransformerBlock.Weights(model.parameters.value, prefix: "h.\($0).") }
    }

    private func p(_ name: String) -> UnsafeMutablePointer<Float> { model.parameters.value(name) }

    func append(_ tokens: [Int32]) -> [Float] {
        let config = model.config
        if config.positionEncoding == .learned {
            let handedOver = sequence.count > config.context
            sequence += tokens
            if sequence.count > config.context { return window.append(handedOver ? tokens : sequence) }
        }
        for token in tokens { step(token) }
        return Array(UnsafeBufferPointer(start: logits, count: config.vocabularySize))
    }

    /// Runs `token` at `position` through every layer, caching its keys and values, and
    /// leaves the logits for the next token in `logits`.
    private func step(_ token: Int32) {
        let config = model.config, c = config.channels, w = config.context, v = config.vocabularySize
        x.update(from: p("wte.weight") + Int(token) * c, count: c)
        if config.positionEncoding == .learned {
            let row = p("wpe.weight") + position * c
            for j in 0..<c { x[j] += row[j] }
        }
        let slot = position % w, visible = min(position + 1, w)
        for (l, weights) in blocks.enumerated() {
            LayerNorm.forward(
                out: ln, mean: mean, rstd: rstd, inp: x, gain: weights.ln1Gain, bias: weights.ln1Bias,
                rows: 1, channels: c)
            Linear.forward(
                out: qkv, inp: ln, weight: weights.qkvWeight, bias: weights.qkvBias, rows: 1, inputs: c,
                outputs: 3 * c)
            if config.positionEncoding == .rotary {
                Rotary.forward(row: qkv, position: position, channels: c, heads: config.heads, cos: cos, sin: sin)
            }
            (keys[l] + slot * c).update(from: qkv + c, count: c)
            (values[l] + slot * c).update(from: qkv + 2 * c, count: c)
            CachedAttention.forward(
                out: attended, scores: scores, query: qkv, keys: keys[l], values: values[l],
                visible: visible, channels: c, heads: config.heads)
            Linear.forward(
                out: x, inp: attended, weight: weights.projWeight, bias: weights.projBias, rows: 1,
                inputs: c, outputs: c, accumulate: true)
            LayerNorm.forward(
                out: ln, mean: mean, rstd: rstd, inp: x, gain: weights.ln2Gain, bias: weights.ln2Bias,
                rows: 1, channels: c)
            Linear.forward(
                out: fc, inp: ln, weight: weights.fcWeight, bias: weights.fcBias, rows: 1, inputs: c,
                outputs: 4 * c)
            GELU.forward(out: fc, inp: fc, count: 4 * c)
            Linear.forward(
                out: x, inp: fc, weight: weights.fc2Weight, bias: weights.fc2Bias, rows: 1, inputs: 4 * c,
                outputs: c, accumulate: true)
        }
        LayerNorm.forward(
            out: ln, mean: mean, rstd: rstd, inp: x, gain: p("ln_f.weight"), bias: p("ln_f.bias"),
            rows: 1, channels: c)
        Linear.forward(out: logits, inp: ln, weight: p("head.weight"), bias: nil, rows: 1, inputs: c, outputs: v)
        position += 1
    }
}
