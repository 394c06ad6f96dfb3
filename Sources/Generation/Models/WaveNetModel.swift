/// embedding → gated residual blocks with dilations 1, 2, 4, …, 128 (repeating) whose skip
/// outputs are summed → ReLU → 1×1 → ReLU → linear head. Time-major: N = T·B rows (t, b).
public final class WaveNetModel: SequenceModel {
    public let config: ModelConfig
    public let parameters: ParameterSet
    public let batch: Int, time: Int
    public var random: SeededRandom

    private let blocks: [WaveNetBlock]
    private let activations: FloatBuffer
    private let gradients: FloatBuffer
    private var tokenRows: [Int32], targetRows: [Int32]
    private var offsets: [String: Int] = [:]
    private var gradientOffsets: [String: Int] = [:]

    public static func dilation(ofBlock block: Int) -> Int { 1 << (block % 8) }

    public init(config: ModelConfig, batch: Int, time: Int, seed: UInt64) {
        precondition(config.kind == .wavenet)
        self.config = config
        self.batch = batch
        self.time = time
        let v = config.vocabularySize, c = config.channels, s = config.hidden, n = batch * time
        let k = WaveNetBlock.kernelSize
        var layout = TensorLayout()
        layout.add("embedding.weight", [v, c])
        for i in 0..<config.layers {
            layout.add("blocks.\(i).conv.weight", [k, 2 * c, c])
            layout.add("blocks.\(i).conv.bias", [2 * c])
            layout.add("blocks.\(i).residual.weight", [c, c])
            layout.add("blocks.\(i).residual.bias", [c])
            layout.add("blocks.\(i).skip.weight", [s, c])
            layout.add("blocks.\(i).skip.bias", [s])
        }
        layout.add("output.weight", [s, s])
        layout.add("output.bias", [s])
        layout.add("head.weight", [v, s])
        layout.add("head.bias", [v])
        parameters = ParameterSet(layout: layout)
        blocks = (0..<config.layers).map {
            WaveNetBlock(time: time, batch: batch, channels: c, skipChannels: s, dilation: Self.dilation(ofBlock: $0))
        }

        var acts = TensorLayout()
        acts.add("res-1", [n, c])  // (T, B, C) the embedding
        for i in 0..<config.layers {
            acts.add("activated\(i)", [n, 2 * c])  // (T, B, 2C)
            acts.add("z\(i)", [n, c])  // (T, B, C)
            acts.add("res\(i)", [n, c])  // (T, B, C)
        }
        acts.add("skip", [n, s])  // (T, B, S) sum over blocks, then ReLU in place
        acts.add("hidden", [n, s])  // (T, B, S) after output 1×1 and ReLU
        acts.add("logits", [n, v])  // (T, B, V)
        activations = FloatBuffer(count: acts.totalCount)
        for entry in acts.entries { offsets[entry.name] = entry.offset }

        var grads = TensorLayout()
        grads.add("resA", [n, c])  // (T, B, C)
        grads.add("resB", [n, c])  // (T, B, C)
        grads.add("z", [n, c])  // (T, B, C)
        grads.add("pre", [n, 2 * c])  // (T, B, 2C)
        grads.add("skip", [n, s])  // (T, B, S)
        grads.add("hidden", [n, s])  // (T, B, S)
        gradients = FloatBuffer(count: grads.totalCount)
        for entry in grads.entries { gradientOffsets[entry.name] = entry.offset }

        tokenRows = [Int32](repeating: 0, count: n)
        targetRows = [Int32](repeating: 0, count: n)
        random = SeededRandom(seed: seed)
        for entry in layout.entries {
            if entry.name == "embedding.weight" {
                parameters.fillGaussian(entry.name, deviation: 1, random: &random)
            } else {
                let fanIn = entry.name.hasSuffix("conv.weight") ? k * c : (entry.name.hasPrefix("blocks") ? c : s)
                parameters.fillUniform(entry.name, bound: 1 / Float(fanIn).squareRoot(), random: &random)
            }
        }
    }

    private func act(_ name: String) -> UnsafeMutablePointer<Float> { activations.base + offsets[name]! }
    private func grad(_ name: String) -> UnsafeMutablePointer<Float> { gradients.base + gradientOffsets[name]! }
    private func p(_ name: String) -> UnsafeMutablePointer<Float> { parameters.value(name) }
    private func dp(_ name: String) -> UnsafeMutablePointer<Float> { parameters.grad(name) }

    @discardableResult
    public func forward(tokens: UnsafePointer<Int32>, targets: UnsafePointer<Int32>?, training: Bool) -> Float? {
        let n = batch * time, s = config.hidden, v = config.vocabularySize
        tokenRows.withUnsafeMutableBufferPointer {
            transposeToTimeMajor(tokens, into: $0.baseAddress!, batch: batch, time: time)
        }
        tokenRows.withUnsafeBufferPointer {
            Embedding.forward(
                out: act("res-1"), tokens: $0.baseAddress!, table: p("embedding.weight"), rows: n,
                channels: config.channels)
        }
        act("skip").update(repeating: 0, count: n * s)
        for (i, block) in blocks.enumerated() {
            block.forward(
                res: act("res\(i)"), skip: act("skip"), activated: act("activated\(i)"), z: act("z\(i)"),
                x: act("res\(i - 1)"), convWeight: p("blocks.\(i).conv.weight"), convBias: p("blocks.\(i).conv.bias"),
                residualWeight: p("blocks.\(i).residual.weight"), residualBias: p("blocks.\(i).residual.bias"),
                skipWeight: p("blocks.\(i).skip.weight"), skipBias: p("blocks.\(i).skip.bias"))
        }
        ReLU.forward(out: act("skip"), inp: act("skip"), count: n * s)
        Linear.forward(
            out: act("hidden"), inp: act("skip"), weight: p("output.weight"), bias: p("output.bias"),
            rows: n, inputs: s, outputs: s)
        ReLU.forward(out: act("hidden"), inp: act("hidden"), count: n * s)
        Linear.forward(
            out: act("logits"), inp: act("hidden"), weight: p("head.weight"), bias: p("head.bias"),
            rows: n, inputs: s, outputs: v)
        guard let targets else { return nil }
        return timeMajorCrossEntropy(
            logits: act("logits"), targets: targets, rows: &targetRows,
            batch: batch, time: time, vocabulary: v, training: training)
    }

    public func backward() {
        let n = batch * time, c = config.channels, s = config.hidden
        Linear.backward(
            dinp: grad("hidden"), dweight: dp("head.weight"), dbias: dp("head.bias"), dout: act("logits"),
            inp: act("hidden"), weight: p("head.weight"), rows: n, inputs: s, outputs: config.vocabularySize,
            overwriteInputGradient: true)
        zeroWhereInactive(grad("hidden"), act("hidden"), count: n * s)
        Linear.backward(
            dinp: grad("skip"), dweight: dp("output.weight"), dbias: dp("output.bias"), dout: grad("hidden"),
            inp: act("skip"), weight: p("output.weight"), rows: n, inputs: s, outputs: s,
            overwriteInputGradient: true)
        zeroWhereInactive(grad("skip"), act("skip"), count: n * s)
        var dres = grad("resA"), dx = grad("resB")
        dres.update(repeating: 0, count: n * c)
        for (i, block) in blocks.enumerated().reversed() {
            dx.update(repeating: 0, count: n * c)
            block.backward(
                dx: dx, dconvWeight: dp("blocks.\(i).conv.weight"), dconvBias: dp("blocks.\(i).conv.bias"),
                dresidualWeight: dp("blocks.\(i).residual.weight"), dresidualBias: dp("blocks.\(i).residual.bias"),
                dskipWeight: dp("blocks.\(i).skip.weight"), dskipBias: dp("blocks.\(i).skip.bias"),
                dz: grad("z"), dpre: grad("pre"), dres: dres, dskip: grad("skip"),
                x: act("res\(i - 1)"), activated: act("activated\(i)"), z: act("z\(i)"),
                convWeight: p("blocks.\(i).conv.weight"), residualWeight: p("blocks.\(i).residual.weight"),
                skipWeight: p("blocks.\(i).skip.weight"))
            swap(&dres, &dx)
        }
        tokenRows.withUnsafeBufferPointer {
            Embedding.backward(
                dtable: dp("embedding.weight"), dout: dres, tokens: $0.baseAddress!, rows: n, channels: c)
        }
    }

    /// ReLU backward in place: the gradient survives only where the (saved) output is positive.
    private func zeroWhereInactive(_ gradient: UnsafeMutablePointer<Float>, _ output: UnsafePointer<Float>, count: Int)
    {
        for j in 0..<count where output[j] <= 0 { gradient[j] = 0 }
    }

    public func logits(sequence: Int, position: Int) -> [Float] {
        timeMajorLogits(
            act("logits"), sequence: sequence, position: position, batch: batch, vocabulary: config.vocabularySize)
    }
}
