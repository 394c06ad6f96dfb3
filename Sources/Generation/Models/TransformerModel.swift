/// Decoder-only, pre-LayerNorm GPT: token embedding (+ learned position embedding) → blocks
/// (rotary positions turn q and k inside attention instead) → final LayerNorm → linear head
/// (no bias). Batch-major: N = B·T rows ordered (b, t).
/// Parameter names and (out, in) layouts match a PyTorch module with submodules wte, wpe,
/// h[i].{ln1, attn.{qkv, proj}, ln2, mlp.{fc, proj}}, ln_f, head (see Benchmarks/torch_bench.py);
/// a rotary model has no wpe.
///
/// A rotary model accepts windows longer than its context (generation past it): each query then
/// attends to the last `context` keys only, the distances it was trained on.
public final class TransformerModel: SequenceModel {
    public let config: ModelConfig
    public let parameters: ParameterSet
    public let batch: Int, time: Int
    public var random: SeededRandom

    private let block: TransformerBlock
    private let activations: FloatBuffer
    private let gradients: FloatBuffer
    private var offsets: [String: Int] = [:]
    private var gradientOffsets: [String: Int] = [:]
    private var tokens: [Int32]
    /// Whether the last forward drew dropout masks, so backward applies them.
    private var dropoutActive = false

    public init(config: ModelConfig, batch: Int, time: Int, seed: UInt64) {
        precondition(config.kind == .transformer)
        precondition(
            time <= config.longestWindow ?? time,
            "window of \(time) tokens exceeds the model's context of \(config.context)")
        self.config = config
        self.batch = batch
        self.time = time
        let v = config.vocabularySize, c = config.channels, n = batch * time
        var layout = TensorLayout()
        layout.add("wte.weight", [v, c])
        if config.positionEncoding == .learned { layout.add("wpe.weight", [config.context, c]) }
        for l in 0..<config.layers {
            for (name, shape) in TransformerBlock.Weights.shapes(channels: c) { layout.add("h.\(l).\(name)", shape) }
        }
        layout.add("ln_f.weight", [c])
        layout.add("ln_f.bias", [c])
        layout.add("head.weight", [v, c])
        parameters = ParameterSet(layout: layout)
        block = TransformerBlock(
            batch: batch, time: time, channels: c, heads: config.heads,
            rotary: config.positionEncoding == .rotary, window: config.context)

        var acts = TensorLayout()
        for l in 0...config.layers { acts.add("x\(l)", [n, c]) }  // (B, T, C) residual stream
        for l in 0..<config.layers {
            for (name, shape) in TransformerBlock.Activations.shapes(
                batch: batch, time: time, channels: c, heads: config.heads)
            {
                acts.add("h.\(l).\(name)", shape)
            }
        }
        acts.add("lnf", [n, c])  // (B, T, C)
        acts.add("lnfMean", [n])  // (B, T)
        acts.add("lnfRstd", [n])  // (B, T)
        acts.add("logits", [n, v])  // (B, T, V)
        activations = FloatBuffer(count: acts.totalCount)
        for entry in acts.entries { offsets[entry.name] = entry.offset }

        var grads = TensorLayout()
        grads.add("dresidual", [n, c])  // (B, T, C)
        for (name, shape) in TransformerBlock.Scratch.shapes(batch: batch, time: time, channels: c, heads: config.heads)
        {
            grads.add(name, shape)
        }
        gradients = FloatBuffer(count: grads.totalCount)
        for entry in grads.entries { gradientOffsets[entry.name] = entry.offset }
        tokens = [Int32](repeating: 0, count: n)

        random = SeededRandom(seed: seed)
        let residualScale = 1 / Float(2 * config.layers).squareRoot()
        for entry in layout.entries {
            if entry.name.hasSuffix("ln1.weight") || entry.name.hasSuffix("ln2.weight") || entry.name == "ln_f.weight" {
                parameters.fill(entry.name, with: 1)
            } else if entry.shape.count >= 2 {
                let projection = entry.name.hasSuffix("attn.proj.weight") || entry.name.hasSuffix("mlp.proj.weight")
                parameters.fillGaussian(entry.name, deviation: 0.02 * (projection ? residualScale : 1), random: &random)
            }
        }
    }

    private func act(_ name: String) -> UnsafeMutablePointer<Float> { activations.base + offsets[name]! }
    private func grad(_ name: String) -> UnsafeMutablePointer<Float> { gradients.base + gradientOffsets[name]! }
    private func p(_ name: String) -> UnsafeMutablePointer<Float> { parameters.value(name) }
    private func dp(_ name: String) -> UnsafeMutablePointer<Float> { parameters.grad(name) }
    /// wpe (context, C), nil with rotary positions.
    private var learnedPositions: UnsafeMutablePointer<Float>? {
        config.positionEncoding == .learned ? p("wpe.weight") : nil
    }

    @discardableResult
    public func forward(tokens input: UnsafePointer<Int32>, targets: UnsafePointer<Int32>?, training: Bool) -> Float? {
        let n = batch * time, c = config.channels, v = config.vocabularySize, layers = config.layers
        tokens.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: input, count: n) }
        Embedding.forward(
            out: act("x0"), tokens: input, table: p("wte.weight"), positions: learnedPositions, rows: n,
            time: time, channels: c)
        dropoutActive = training && config.dropout > 0
        for l in 0..<layers {
            block.forward(
                y: act("x\(l + 1)"), x: act("x\(l)"), weights: .init(p, prefix: "h.\(l)."),
                saving: .init(act, prefix: "h.\(l)."), dropout: dropoutActive ? config.dropout : 0,
                random: &random)
        }
        LayerNorm.forward(
            out: act("lnf"), mean: act("lnfMean"), rstd: act("lnfRstd"), inp: act("x\(layers)"),
            gain: p("ln_f.weight"), bias: p("ln_f.bias"), rows: n, channels: c)
        Linear.forward(
            out: act("logits"), inp: act("lnf"), weight: p("head.weight"), bias: nil, rows: n, inputs: c, outputs: v)
        guard let targets else { return nil }
        return CrossEntropy.forwardBackward(
            logits: act("logits"), targets: targets, dlogits: training ? act("logits") : nil,
            rows: n, vocabulary: v)
    }

    public func backward() {
        let n = batch * time, c = config.channels, layers = config.layers
        Linear.backward(
            dinp: grad("dln"), dweight: dp("head.weight"), dbias: nil, dout: act("logits"), inp: act("lnf"),
            weight: p("head.weight"), rows: n, inputs: c, outputs: config.vocabularySize, overwriteInputGradient: true)
        let dresidual = grad("dresidual")
        dresidual.update(repeating: 0, count: n * c)
        LayerNorm.backward(
            dinp: dresidual, dgain: dp("ln_f.weight"), dbias: dp("ln_f.bias"), dout: grad("dln"),
            inp: act("x\(layers)"), gain: p("ln_f.weight"), mean: act("lnfMean"), rstd: act("lnfRstd"),
            rows: n, channels: c)
        let scratch = TransformerBlock.Scratch(grad)
        for l in stride(from: layers - 1, through: 0, by: -1) {
            block.backward(
                dresidual: dresidual, grads: .init(dp, prefix: "h.\(l)."), scratch: scratch, x: act("x\(l)"),
                weights: .init(p, prefix: "h.\(l)."), saved: .init(act, prefix: "h.\(l)."),
                dropped: dropoutActive)
        }
        tokens.withUnsafeBufferPointer {
            Embedding.backward(
                dtable: dp("wte.weight"), dpositions: learnedPositions == nil ? nil : dp("wpe.weight"),
                dout: dresidual, tokens: $0.baseAddress!, rows: n, time: time, channels: c)
        }
    }

    public func logits(sequence: Int, position: Int) -> [Float] {
        let v = config.vocabularySize
        return Array(UnsafeBufferPointer(start: act("logits") + (sequence * time + position) * v, count: v))
    }
}
