/// embedding → stacked LSTM (dropout between layers) → linear head. Parameter names follow
/// PyTorch's nn.Embedding / nn.LSTM / nn.Linear, so a state dict loads directly.
/// Internally time-major: N = T·B rows ordered (t, b).
public final class LSTMModel: SequenceModel {
    public let config: ModelConfig
    public let parameters: ParameterSet
    public let batch: Int, time: Int
    public var random: SeededRandom

    private let layers: [LSTMLayer]
    private let activations: FloatBuffer
    private let gradients: FloatBuffer
    private var tokenRows: [Int32], targetRows: [Int32]
    private var offsets: [String: Int] = [:]
    private var gradientOffsets: [String: Int] = [:]
    private var dropoutActive = false

    public init(config: ModelConfig, batch: Int, time: Int, seed: UInt64) {
        precondition(config.kind == .lstm)
        self.config = config
        self.batch = batch
        self.time = time
        let v = config.vocabularySize, e = config.channels, h = config.hidden, n = batch * time
        var layout = TensorLayout()
        layout.add("embedding.weight", [v, e])
        for l in 0..<config.layers {
            let inputs = l == 0 ? e : h
            layout.add("lstm.weight_ih_l\(l)", [4 * h, inputs])
            layout.add("lstm.weight_hh_l\(l)", [4 * h, h])
            layout.add("lstm.bias_ih_l\(l)", [4 * h])
            layout.add("lstm.bias_hh_l\(l)", [4 * h])
        }
        layout.add("head.weight", [v, h])
        layout.add("head.bias", [v])
        parameters = ParameterSet(layout: layout)
        layers = (0..<config.layers).map { LSTMLayer(time: time, batch: batch, inputs: $0 == 0 ? e : h, hidden: h) }

        var acts = TensorLayout()
        acts.add("embedded", [n, e])  // (T, B, E)
        for l in 0..<config.layers {
            acts.add("gates\(l)", [n, 4 * h])  // (T, B, 4H)
            acts.add("cells\(l)", [n, h])  // (T, B, H)
            acts.add("cellTanh\(l)", [n, h])  // (T, B, H)
            acts.add("h\(l)", [n, h])  // (T, B, H)
            if l + 1 < config.layers {
                acts.add("mask\(l)", [n, h])  // (T, B, H)
                acts.add("dropped\(l)", [n, h])  // (T, B, H)
            }
        }
        acts.add("logits", [n, v])  // (T, B, V)
        activations = FloatBuffer(count: acts.totalCount)
        for entry in acts.entries { offsets[entry.name] = entry.offset }

        var grads = TensorLayout()
        grads.add("embedded", [n, e])  // (T, B, E)
        for l in 0..<config.layers { grads.add("h\(l)", [n, h]) }  // (T, B, H)
        grads.add("dropped", [n, h])  // (T, B, H)
        grads.add("gates", [n, 4 * h])  // (T, B, 4H)
        grads.add("cell", [batch, h])  // (B, H)
        gradients = FloatBuffer(count: grads.totalCount)
        for entry in grads.entries { gradientOffsets[entry.name] = entry.offset }

        tokenRows = [Int32](repeating: 0, count: n)
        targetRows = [Int32](repeating: 0, count: n)
        random = SeededRandom(seed: seed)
        initialise()
    }

    private func initialise() {
        let bound = 1 / Float(config.hidden).squareRoot()
        parameters.fillGaussian("embedding.weight", deviation: 1, random: &random)
        for entry in parameters.layout.entries where entry.name.hasPrefix("lstm.") {
            parameters.fillUniform(entry.name, bound: bound, random: &random)
        }
        parameters.fillUniform("head.weight", bound: bound, random: &random)
        parameters.fillUniform("head.bias", bound: bound, random: &random)
    }

    private func act(_ name: String) -> UnsafeMutablePointer<Float> { activations.base + offsets[name]! }
    private func grad(_ name: String) -> UnsafeMutablePointer<Float> { gradients.base + gradientOffsets[name]! }
    private func p(_ name: String) -> UnsafeMutablePointer<Float> { parameters.value(name) }
    private func dp(_ name: String) -> UnsafeMutablePointer<Float> { parameters.grad(name) }

    private func layerInput(_ l: Int) -> UnsafeMutablePointer<Float> {
        l == 0 ? act("embedded") : (dropoutActive ? act("dropped\(l - 1)") : act("h\(l - 1)"))
    }

    @discardableResult
    public func forward(tokens: UnsafePointer<Int32>, targets: UnsafePointer<Int32>?, training: Bool) -> Float? {
        let n = batch * time, h = config.hidden
        dropoutActive = training && config.dropout > 0
        tokenRows.withUnsafeMutableBufferPointer {
            transposeToTimeMajor(tokens, into: $0.baseAddress!, batch: batch, time: time)
        }
        tokenRows.withUnsafeBufferPointer {
            Embedding.forward(
                out: act("embedded"), tokens: $0.baseAddress!, table: p("embedding.weight"),
                rows: n, channels: config.channels)
        }
        for (l, layer) in layers.enumerated() {
            layer.forward(
                h: act("h\(l)"), gates: act("gates\(l)"), cells: act("cells\(l)"), cellTanh: act("cellTanh\(l)"),
                x: layerInput(l), weightIH: p("lstm.weight_ih_l\(l)"), weightHH: p("lstm.weight_hh_l\(l)"),
                biasIH: p("lstm.bias_ih_l\(l)"), biasHH: p("lstm.bias_hh_l\(l)"))
            if dropoutActive && l + 1 < layers.count {
                Dropout.forward(
                    out: act("dropped\(l)"), mask: act("mask\(l)"), inp: act("h\(l)"), count: n * h,
                    probability: config.dropout, random: &random)
            }
        }
        let v = config.vocabularySize
        Linear.forward(
            out: act("logits"), inp: act("h\(layers.count - 1)"), weight: p("head.weight"), bias: p("head.bias"),
            rows: n, inputs: h, outputs: v)
        guard let targets else { return nil }
        return timeMajorCrossEntropy(
            logits: act("logits"), targets: targets, rows: &targetRows,
            batch: batch, time: time, vocabulary: v, training: training)
    }

    public func backward() {
        let n = batch * time, h = config.hidden
        gradients.zero()
        let top = layers.count - 1
        Linear.backward(
            dinp: grad("h\(top)"), dweight: dp("head.weight"), dbias: dp("head.bias"),
            dout: act("logits"), inp: act("h\(top)"), weight: p("head.weight"),
            rows: n, inputs: h, outputs: config.vocabularySize)
        for l in stride(from: top, through: 0, by: -1) {
            let inputGradient = l == 0 ? grad("embedded") : (dropoutActive ? grad("dropped") : grad("h\(l - 1)"))
            if l > 0 && dropoutActive { grad("dropped").update(repeating: 0, count: n * h) }
            layers[l].backward(
                dx: inputGradient, dweightIH: dp("lstm.weight_ih_l\(l)"), dweightHH: dp("lstm.weight_hh_l\(l)"),
                dbiasIH: dp("lstm.bias_ih_l\(l)"), dbiasHH: dp("lstm.bias_hh_l\(l)"),
                dh: grad("h\(l)"), dgates: grad("gates"), dcell: grad("cell"),
                x: layerInput(l), h: act("h\(l)"), gates: act("gates\(l)"), cells: act("cells\(l)"),
                cellTanh: act("cellTanh\(l)"), weightIH: p("lstm.weight_ih_l\(l)"), weightHH: p("lstm.weight_hh_l\(l)"))
            if l > 0 && dropoutActive {
                Dropout.backward(
                    dinp: grad("h\(l - 1)"), mask: act("mask\(l - 1)"), dout: grad("dropped"), count: n * h)
            }
        }
        tokenRows.withUnsafeBufferPointer {
            Embedding.backward(
                dtable: dp("embedding.weight"), dout: grad("embedded"), tokens: $0.baseAddress!,
                rows: n, channels: config.channels)
        }
    }

    public func logits(sequence: Int, position: Int) -> [Float] {
        timeMajorLogits(
            act("logits"), sequence: sequence, position: position, batch: batch, vocabulary: config.vocabularySize)
    }
}
