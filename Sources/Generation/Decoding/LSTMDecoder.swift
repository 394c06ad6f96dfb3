/// Incremental decoding for the LSTM: each layer's hidden and cell state carried from one
/// token to the next, one step per token.
final class LSTMDecoder: TokenDecoder {
    let model: LSTMModel
    private let layers: [LSTMLayer]
    private let buffers: FloatBuffer
    private var offsets: [String: Int] = [:]

    init(model: LSTMModel) {
        precondition(model.batch == 1, "generation runs one sequence at a time")
        self.model = model
        let config = model.config, e = config.channels, h = config.hidden
        layers = (0..<config.layers).map { LSTMLayer(time: 1, batch: 1, inputs: $0 == 0 ? e : h, hidden: h) }
        var layout = TensorLayout()
        layout.add("embedded", [e])  // (E)
        for l in 0..<config.layers {
            layout.add("h\(l)", [h])  // (H) carried
            layout.add("cells\(l)", [h])  // (H) carried
        }
        layout.add("gates", [4 * h])  // (4H) scratch
        layout.add("cellTanh", [h])  // (H) scratch
        layout.add("logits", [config.vocabularySize])  // (V)
        buffers = FloatBuffer(count: layout.totalCount)
        for entry in layout.entries { offsets[entry.name] = entry.offset }
    }

    private func buffer(_ name: String) -> UnsafeMutablePointer<Float> { buffers.base + offsets[name]! }
    private func p(_ name: String) -> UnsafeMutablePointer<Float> { model.parameters.value(name) }

    func append(_ tokens: [Int32]) -> [Float] {
        let config = model.config, v = config.vocabularySize, top = layers.count - 1
        for token in tokens {
            [token].withUnsafeBufferPointer {
                Embedding.forward(
                    out: buffer("embedded"), tokens: $0.baseAddress!, table: p("embedding.weight"),
                    rows: 1, channels: config.channels)
            }
            for (l, layer) in layers.enumerated() {
                layer.step(
                    h: buffer("h\(l)"), cells: buffer("cells\(l)"), gates: buffer("gates"),
                    cellTanh: buffer("cellTanh"), x: l == 0 ? buffer("embedded") : buffer("h\(l - 1)"),
                    weightIH: p("lstm.weight_ih_l\(l)"), weightHH: p("lstm.weight_hh_l\(l)"),
                    biasIH: p("lstm.bias_ih_l\(l)"), biasHH: p("lstm.bias_hh_l\(l)"))
            }
        }
        Linear.forward(
            out: buffer("logits"), inp: buffer("h\(top)"), weight: p("head.weight"), bias: p("head.bias"),
            rows: 1, inputs: config.hidden, outputs: v)
        return Array(UnsafeBufferPointer(start: buffer("logits"), count: v))
    }
}
