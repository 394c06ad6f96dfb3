import Foundation
import Generation
import Testing

/// Fast kernels (BLAS, SIMD, threads) against their naive references on ragged sizes.
@Suite struct KernelReferenceTests {
    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var generator = SeededRandom(seed: seed)
        return (0..<count).map { _ in generator.nextGaussian() * scale }
    }

    @Test func linearForwardAndBackward() {
        let rows = 37, inputs = 19, outputs = 23
        let x = Buffer(Self.random(rows * inputs, seed: 1)), w = Buffer(Self.random(outputs * inputs, seed: 2))
        let bias = Buffer(Self.random(outputs, seed: 3)), dout = Buffer(Self.random(rows * outputs, seed: 4))
        let fast = Buffer(zeros: rows * outputs), reference = Buffer(zeros: rows * outputs)
        Linear.forward(
            out: fast.pointer, inp: x.pointer, weight: w.pointer, bias: bias.pointer, rows: rows, inputs: inputs,
            outputs: outputs)
        Linear.forwardReference(
            out: reference.pointer, inp: x.pointer, weight: w.pointer, bias: bias.pointer, rows: rows, inputs: inputs,
            outputs: outputs)
        expectClose(fast.values, reference.values, relative: 1e-5, "out")
        let grads = (0..<3).map { _ in
            [Buffer(zeros: rows * inputs), Buffer(zeros: outputs * inputs), Buffer(zeros: outputs)]
        }
        Linear.backward(
            dinp: grads[0][0].pointer, dweight: grads[0][1].pointer, dbias: grads[0][2].pointer, dout: dout.pointer,
            inp: x.pointer, weight: w.pointer, rows: rows, inputs: inputs, outputs: outputs)
        Linear.backwardReference(
            dinp: grads[1][0].pointer, dweight: grads[1][1].pointer, dbias: grads[1][2].pointer, dout: dout.pointer,
            inp: x.pointer, weight: w.pointer, rows: rows, inputs: inputs, outputs: outputs)
        for (name, index) in [("dinp", 0), ("dweight", 1), ("dbias", 2)] {
            expectClose(grads[0][index].values, grads[1][index].values, relative: 1e-5, name)
        }
    }

    @Test func crossEntropyFusedEqualsSeparate() {
        let rows = 29, vocabulary = 45
        var generator = SeededRandom(seed: 5)
        let targets = (0..<rows).map { _ in Int32(generator.next() % UInt64(vocabulary)) }
        let logits = Buffer(Self.random(rows * vocabulary, seed: 6, scale: 4))
        let reference = Buffer(zeros: rows * vocabulary)
        let expectedLoss = CrossEntropy.forwardBackwardReference(
            logits: logits.pointer, targets: targets, dlogits: reference.pointer,
            rows: rows, vocabulary: vocabulary)
        let loss = CrossEntropy.forwardBackward(
            logits: logits.pointer, targets: targets, dlogits: logits.pointer, rows: rows, vocabulary: vocabulary)
        expectClose([loss], [expectedLoss], relative: 1e-5, "loss")
        expectClose(logits.values, reference.values, relative: 1e-5, "dlogits")
    }

    @Test func layerNormAndGELU() {
        let rows = 21, channels = 27
        let x = Buffer(Self.random(rows * channels, seed: 7, scale: 3)), gain = Buffer(Self.random(channels, seed: 8))
        let bias = Buffer(Self.random(channels, seed: 9))
        let fast = Buffer(zeros: rows * channels), reference = Buffer(zeros: rows * channels)
        let mean = Buffer(zeros: rows), rstd = Buffer(zeros: rows)
        LayerNorm.forward(
            out: fast.pointer, mean: mean.pointer, rstd: rstd.pointer, inp: x.pointer, gain: gain.pointer,
            bias: bias.pointer,
            rows: rows, channels: channels)
        LayerNorm.forwardReference(
            out: reference.pointer, inp: x.pointer, gain: gain.pointer, bias: bias.pointer, rows: rows,
            channels: channels)
        expectClose(fast.values, reference.values, relative: 1e-5, "layernorm")

        let count = 1000, u = Buffer(Self.random(count, seed: 10, scale: 3)),
            dout = Buffer(Self.random(count, seed: 11))
        let geluFast = Buffer(zeros: count), geluReference = Buffer(zeros: count)
        GELU.forward(out: geluFast.pointer, inp: u.pointer, count: count)
        GELU.forwardReference(out: geluReference.pointer, inp: u.pointer, count: count)
        expectClose(geluFast.values, geluReference.values, relative: 1e-5, "gelu")
        GELU.backward(dinp: geluFast.pointer, inp: u.pointer, dout: dout.pointer, count: count)
        geluReference.storage.zero()
        GELU.backwardReference(dinp: geluReference.pointer, inp: u.pointer, dout: dout.pointer, count: count)
        expectClose(geluFast.values, geluReference.values, relative: 3e-4, "gelu backward")
    }

    /// 13 steps fit one causal block; 150 span three, including a ragged last one.
    @Test(arguments: [13, 150])
    func causalAttention(time: Int) {
        let batch = 2, channels = 12, heads = 3, n = batch * time
        let attention = CausalAttention(batch: batch, time: time, channels: channels, heads: heads)
        let qkv = Buffer(Self.random(n * 3 * channels, seed: 12))
        let fast = Buffer(zeros: n * channels), reference = Buffer(zeros: n * channels)
        let att = Buffer(Self.random(batch * heads * time * time, seed: 29))
        attention.forward(out: fast.pointer, att: att.pointer, qkv: qkv.pointer)
        attention.forwardReference(out: reference.pointer, qkv: qkv.pointer)
        expectClose(fast.values, reference.values, relative: 1e-5, "attention")
        let probabilities = att.values
        for row in 0..<(batch * heads * time) {
            let i = row % time
            let line = probabilities[(row * time)..<(row * time + time)]
            #expect(abs(line.reduce(0, +) - 1) < 1e-5)
            #expect(line.dropFirst(i + 1).allSatisfy { $0 == 0 }, "row \(row) attends to the future")
        }
        let dout = Buffer(Self.random(n * channels, seed: 30))
        let dqkv = Buffer(Self.random(n * 3 * channels, seed: 31)), dqkvReference = Buffer(zeros: n * 3 * channels)
        let datt = Buffer(Self.random(batch * heads * time * time, seed: 32))
        attention.backward(
            dqkv: dqkv.pointer, datt: datt.pointer, dout: dout.pointer, qkv: qkv.pointer, att: att.pointer)
        attention.backwardReference(dqkv: dqkvReference.pointer, dout: dout.pointer, qkv: qkv.pointer, att: att.pointer)
        expectClose(dqkv.values, dqkvReference.values, relative: 1e-4, "dqkv")
    }

    @Test func lstmLayer() {
        let layer = LSTMLayer(time: 9, batch: 5, inputs: 7, hidden: 13)
        let n = 45, h = 13
        let x = Buffer(Self.random(n * 7, seed: 13)), wih = Buffer(Self.random(4 * h * 7, seed: 14, scale: 0.4))
        let whh = Buffer(Self.random(4 * h * h, seed: 15, scale: 0.4))
        let bih = Buffer(Self.random(4 * h, seed: 16, scale: 0.4)),
            bhh = Buffer(Self.random(4 * h, seed: 17, scale: 0.4))
        let fast = Buffer(zeros: n * h), reference = Buffer(zeros: n * h)
        let gates = Buffer(zeros: n * 4 * h), cells = Buffer(zeros: n * h), cellTanh = Buffer(zeros: n * h)
        layer.forward(
            h: fast.pointer, gates: gates.pointer, cells: cells.pointer, cellTanh: cellTanh.pointer, x: x.pointer,
            weightIH: wih.pointer, weightHH: whh.pointer, biasIH: bih.pointer, biasHH: bhh.pointer)
        layer.forwardReference(
            h: reference.pointer, x: x.pointer, weightIH: wih.pointer, weightHH: whh.pointer,
            biasIH: bih.pointer, biasHH: bhh.pointer)
        expectClose(fast.values, reference.values, relative: 5e-5, "h")
    }

    @Test(arguments: [1, 2, 4, 16])
    func waveNetBlock(dilation: Int) {
        let t = 11, b = 3, c = 10, s = 6, n = t * b
        let block = WaveNetBlock(time: t, batch: b, channels: c, skipChannels: s, dilation: dilation)
        let x = Buffer(Self.random(n * c, seed: 18))
        let conv = Buffer(Self.random(2 * 2 * c * c, seed: 19, scale: 0.3)),
            convBias = Buffer(Self.random(2 * c, seed: 20))
        let wr = Buffer(Self.random(c * c, seed: 21, scale: 0.3)), br = Buffer(Self.random(c, seed: 22))
        let ws = Buffer(Self.random(s * c, seed: 23, scale: 0.3)), bs = Buffer(Self.random(s, seed: 24))
        let res = Buffer(zeros: n * c), skip = Buffer(Self.random(n * s, seed: 25))
        let resReference = Buffer(zeros: n * c), skipReference = Buffer(skip.values)
        let activated = Buffer(zeros: n * 2 * c), z = Buffer(zeros: n * c)
        block.forward(
            res: res.pointer, skip: skip.pointer, activated: activated.pointer, z: z.pointer,
            x: x.pointer, convWeight: conv.pointer, convBias: convBias.pointer, residualWeight: wr.pointer,
            residualBias: br.pointer, skipWeight: ws.pointer, skipBias: bs.pointer)
        block.forwardReference(
            res: resReference.pointer, skip: skipReference.pointer, x: x.pointer, convWeight: conv.pointer,
            convBias: convBias.pointer, residualWeight: wr.pointer, residualBias: br.pointer,
            skipWeight: ws.pointer, skipBias: bs.pointer)
        expectClose(res.values, resReference.values, relative: 1e-5, "res")
        expectClose(skip.values, skipReference.values, relative: 1e-5, "skip")
    }

    @Test func embeddingWithPositions() {
        let rows = 12, time = 4, channels = 9
        let tokens: [Int32] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8]
        let table = Buffer(Self.random(10 * channels, seed: 26)),
            positions = Buffer(Self.random(time * channels, seed: 27))
        let fast = Buffer(zeros: rows * channels), reference = Buffer(zeros: rows * channels)
        Embedding.forward(
            out: fast.pointer, tokens: tokens, table: table.pointer, positions: positions.pointer, rows: rows,
            time: time, channels: channels)
        Embedding.forwardReference(
            out: reference.pointer, tokens: tokens, table: table.pointer, positions: positions.pointer,
            rows: rows, time: time, channels: channels)
        #expect(fast.values == reference.values)
    }

    @Test func adamWMatchesReferenceOverManySteps() {
        let count = 1003
        let optimizer = AdamW(weightDecay: 0.05)
        let fast = Buffer(Self.random(count, seed: 28)), reference = Buffer(fast.values)
        let moments = (0..<4).map { _ in Buffer(zeros: count) }
        for step in 1...20 {
            let gradient = Buffer(Self.random(count, seed: 100 + UInt64(step)))
            optimizer.update(
                params: fast.pointer, grads: gradient.pointer, m: moments[0].pointer, v: moments[1].pointer,
                count: count, learningRate: 3e-3, step: step, decay: step % 2 == 0)
            optimizer.updateReference(
                params: reference.pointer, grads: gradient.pointer, m: moments[2].pointer, v: moments[3].pointer,
                count: count, learningRate: 3e-3, step: step, decay: step % 2 == 0)
        }
        expectClose(fast.values, reference.values, relative: 1e-5, "params")
    }
}
