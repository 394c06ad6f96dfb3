/// Incremental decoding for the WaveNet ("fast WaveNet", Paine et al. 2016): block i keeps
/// a queue of its last D_i inputs, so the tap D_i steps back is read, not recomputed, and
/// one token costs one step through every block.
final class WaveNetDecoder: TokenDecoder {
    let model: WaveNetModel
    private let blocks: [WaveNetBlock]
    private let buffers: FloatBuffer
    private var offsets: [String: Int] = [:]
    /// Tokens seen so far; token t's input to block i sits in slot t mod D_i of its queue.
    private var position = 0

    init(model: WaveNetModel) {
        precondition(model.batch == 1, "generation runs one sequence at a time")
        self.model = model
        let config = model.config, c = config.channels, s = config.hidden
        blocks = (0..<config.layers).map {
            WaveNetBlock(time: 1, batch: 1, channels: c, skipChannels: s, dilation: WaveNetModel.dilation(ofBlock: $0))
        }
        var layout = TensorLayout()
        for (i, block) in blocks.enumerated() {
            layout.add("queue\(i)", [block.dilation, c])  // (D_i, C) block i's last D_i inputs, zeros at first
        }
        for i in -1..<config.layers { layout.add("res\(i)", [c]) }  // (C) embedding, then each block's output
        layout.add("past", [c])  // (C) the input D_i steps back
        layout.add("activated", [2 * c])  // (2C) scratch
        layout.add("z", [c])  // (C) scratch
        layout.add("skip", [s])  // (S)
        layout.add("hidden", [s])  // (S)
        layout.add("logits", [config.vocabularySize])  // (V)
        buffers = FloatBuffer(count: layout.totalCount)
        for entry in layout.entries { offsets[entry.name] = entry.offset }
    }

    private func buffer(_ name: String) -> UnsafeMutablePointer<Float> { buffers.base + offsets[name]! }
    private func p(_ name: String) -> UnsafeMutablePointer<Float> { model.parameters.value(name) }

    func append(_ tokens: [Int32]) -> [Float] {
        let config = model.config, c = config.channels, s = config.hidden, v = config.vocabularySize
        for token in tokens {
            [token].withUnsafeBufferPointer {
                Embedding.forward(
                    out: buffer("res-1"), tokens: $0.baseAddress!, table: p("embedding.weight"),
                    rows: 1, channels: c)
            }
            buffer("skip").update(repeating: 0, count: s)
            for (i, block) in blocks.enumerated() {
                let slot = buffer("queue\(i)") + (position % block.dilation) * c, input = buffer("res\(i - 1)")
                buffer("past").update(from: slot, count: c)
                slot.update(from: input, count: c)
                block.step(
                    res: buffer("res\(i)"), skip: buffer("skip"), activated: buffer("activated"), z: buffer("z"),
                    x: input, past: buffer("past"), convWeight: p("blocks.\(i).conv.weight"),
                    convBias: p("blocks.\(i).conv.bias"), residualWeight: p("blocks.\(i).residual.weight"),
                    residualBias: p("blocks.\(i).residual.bias"), skipWeight: p("blocks.\(i).skip.weight"),
                    skipBias: p("blocks.\(i).skip.bias"))
            }
            position += 1
        }
        ReLU.forward(out: buffer("skip"), inp: buffer("skip"), count: s)
        Linear.forward(
            out: buffer("hidden"), inp: buffer("skip"), weight: p("output.weight"), bias: p("output.bias"),
            rows: 1, inputs: s, outputs: s)
        ReLU.forward(out: buffer("hidden"), inp: buffer("hidden"), count: s)
        Linear.forward(
            out: buffer("logits"), inp: buffer("hidden"), weight: p("head.weight"), bias: p("head.bias"),
            rows: 1, inputs: s, outputs: v)
        return Array(UnsafeBufferPointer(start: buffer("logits"), count: v))
    }
}
