import Foundation
import Generation
import Testing

/// Forward values and gradients against the PyTorch dumps in ../shared/fixtures/nn, made by
/// Benchmarks/python/make_nn_fixtures.py (`make nn-fixtures OUT=DIR`; `make nn-fixtures-check`
/// recomputes them from their own inputs and compares).
@Suite struct PyTorchFixtureTests {
    @Test(.enabled(if: Fixtures.available("embedding_ce")))
    func embeddingLinearCrossEntropy() throws {
        let f = try Fixtures.load("embedding_ce")
        let b = f.dimension("B"), t = f.dimension("T"), v = f.dimension("V"), c = f.dimension("C"), n = b * t
        let tokens = f.integers("tokens"), targets = f.integers("targets")
        let wte = Buffer(f.floats("wte")), weight = Buffer(f.floats("w")), bias = Buffer(f.floats("b"))
        let x = Buffer(zeros: n * c), logits = Buffer(zeros: n * v)
        Embedding.forward(out: x.pointer, tokens: tokens, table: wte.pointer, rows: n, channels: c)
        Linear.forward(
            out: logits.pointer, inp: x.pointer, weight: weight.pointer, bias: bias.pointer, rows: n, inputs: c,
            outputs: v)
        expectClose(logits.values, f.floats("logits"), "logits")
        let loss = CrossEntropy.forwardBackward(
            logits: logits.pointer, targets: targets, dlogits: logits.pointer, rows: n, vocabulary: v)
        expectClose([loss], f.floats("loss"), "loss")
        expectClose(logits.values, f.floats("grad.logits"), "grad.logits")

        let dx = Buffer(zeros: n * c), dweight = Buffer(zeros: v * c), dbias = Buffer(zeros: v),
            dwte = Buffer(zeros: v * c)
        Linear.backward(
            dinp: dx.pointer, dweight: dweight.pointer, dbias: dbias.pointer, dout: logits.pointer, inp: x.pointer,
            weight: weight.pointer, rows: n, inputs: c, outputs: v)
        Embedding.backward(dtable: dwte.pointer, dout: dx.pointer, tokens: tokens, rows: n, channels: c)
        expectClose(dweight.values, f.floats("grad.w"), "grad.w")
        expectClose(dbias.values, f.floats("grad.b"), "grad.b")
        expectClose(dwte.values, f.floats("grad.wte"), "grad.wte")
    }

    @Test(.enabled(if: Fixtures.available("lstm2")))
    func twoLayerLSTM() throws {
        let f = try Fixtures.load("lstm2")
        let b = f.dimension("B"), t = f.dimension("T"), inputs = f.dimension("I"), h = f.dimension("H"),
            v = f.dimension("V")
        let n = b * t
        let x = Buffer(swapLeadingAxes(f.floats("x"), b, t))
        let targets = swapLeadingAxes(f.integers("targets"), b, t)
        let layers = [
            LSTMLayer(time: t, batch: b, inputs: inputs, hidden: h), LSTMLayer(time: t, batch: b, inputs: h, hidden: h),
        ]
        let weights = (0..<2).map { l in
            ["weight_ih", "weight_hh", "bias_ih", "bias_hh"].map { Buffer(f.floats("\($0)_l\(l)")) }
        }
        let hidden = (0..<2).map { _ in Buffer(zeros: n * h) }
        let gates = (0..<2).map { _ in Buffer(zeros: n * 4 * h) }
        let cells = (0..<2).map { _ in Buffer(zeros: n * h) }, cellTanh = (0..<2).map { _ in Buffer(zeros: n * h) }
        for l in 0..<2 {
            layers[l].forward(
                h: hidden[l].pointer, gates: gates[l].pointer, cells: cells[l].pointer, cellTanh: cellTanh[l].pointer,
                x: l == 0 ? x.pointer : hidden[0].pointer, weightIH: weights[l][0].pointer,
                weightHH: weights[l][1].pointer, biasIH: weights[l][2].pointer, biasHH: weights[l][3].pointer)
        }
        expectClose(swapLeadingAxes(hidden[1].values, t, b), f.floats("h"), "h")

        let headWeight = Buffer(f.floats("w_out")), headBias = Buffer(f.floats("b_out")), logits = Buffer(zeros: n * v)
        Linear.forward(
            out: logits.pointer, inp: hidden[1].pointer, weight: headWeight.pointer, bias: headBias.pointer,
            rows: n, inputs: h, outputs: v)
        let loss = CrossEntropy.forwardBackward(
            logits: logits.pointer, targets: targets, dlogits: logits.pointer, rows: n, vocabulary: v)
        expectClose([loss], f.floats("loss"), "loss")

        let dheadWeight = Buffer(zeros: v * h), dheadBias = Buffer(zeros: v)
        let dh = (0..<2).map { _ in Buffer(zeros: n * h) }, dx = Buffer(zeros: n * inputs)
        Linear.backward(
            dinp: dh[1].pointer, dweight: dheadWeight.pointer, dbias: dheadBias.pointer, dout: logits.pointer,
            inp: hidden[1].pointer, weight: headWeight.pointer, rows: n, inputs: h, outputs: v)
        expectClose(swapLeadingAxes(dh[1].values, t, b), f.floats("grad.h"), "grad.h")
        expectClose(dheadWeight.values, f.floats("grad.w_out"), "grad.w_out")
        expectClose(dheadBias.values, f.floats("grad.b_out"), "grad.b_out")
        let dgates = Buffer(zeros: n * 4 * h), dcell = Buffer(zeros: b * h)
        let dweights = (0..<2).map { l in weights[l].map { Buffer(zeros: $0.values.count) } }
        for l in [1, 0] {
            layers[l].backward(
                dx: l == 0 ? dx.pointer : dh[0].pointer, dweightIH: dweights[l][0].pointer,
                dweightHH: dweights[l][1].pointer,
                dbiasIH: dweights[l][2].pointer, dbiasHH: dweights[l][3].pointer, dh: dh[l].pointer,
                dgates: dgates.pointer,
                dcell: dcell.pointer, x: l == 0 ? x.pointer : hidden[0].pointer, h: hidden[l].pointer,
                gates: gates[l].pointer,
                cells: cells[l].pointer, cellTanh: cellTanh[l].pointer, weightIH: weights[l][0].pointer,
                weightHH: weights[l][1].pointer)
        }
        expectClose(swapLeadingAxes(dx.values, t, b), f.floats("grad.x"), "grad.x")
        for l in 0..<2 {
            for (index, name) in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"].enumerated() {
                expectClose(dweights[l][index].values, f.floats("grad.\(name)_l\(l)"), "grad.\(name)_l\(l)")
            }
        }
    }

    @Test(.enabled(if: Fixtures.available("wavenet_block")))
    func gatedWaveNetBlock() throws {
        let f = try Fixtures.load("wavenet_block")
        let b = f.dimension("B"), t = f.dimension("T"), c = f.dimension("C"), s = f.dimension("S"), v = f.dimension("V")
        let k = f.dimension("K"), n = b * t
        #expect(k == WaveNetBlock.kernelSize)
        let block = WaveNetBlock(time: t, batch: b, channels: c, skipChannels: s, dilation: f.dimension("D"))
        // Fixture weights are (in, out); the kernel takes (out, in) with filter and gate stacked.
        let filter = f.floats("wf"), gate = f.floats("wg")
        var conv = [Float](repeating: 0, count: k * 2 * c * c)
        for tap in 0..<k {
            for i in 0..<c {
                for o in 0..<c {
                    conv[(tap * 2 * c + o) * c + i] = filter[(tap * c + i) * c + o]
                    conv[(tap * 2 * c + c + o) * c + i] = gate[(tap * c + i) * c + o]
                }
            }
        }
        let convWeight = Buffer(conv), convBias = Buffer(f.floats("bf") + f.floats("bg"))
        let residualWeight = Buffer(transposed(f.floats("wr"), rows: c, columns: c)),
            residualBias = Buffer(f.floats("br"))
        let skipWeight = Buffer(transposed(f.floats("ws"), rows: c, columns: s)), skipBias = Buffer(f.floats("bs"))
        let x = Buffer(swapLeadingAxes(f.floats("x"), b, t))
        let res = Buffer(zeros: n * c), skip = Buffer(zeros: n * s), activated = Buffer(zeros: n * 2 * c),
            z = Buffer(zeros: n * c)
        block.forward(
            res: res.pointer, skip: skip.pointer, activated: activated.pointer, z: z.pointer, x: x.pointer,
            convWeight: convWeight.pointer, convBias: convBias.pointer, residualWeight: residualWeight.pointer,
            residualBias: residualBias.pointer, skipWeight: skipWeight.pointer, skipBias: skipBias.pointer)
        expectClose(swapLeadingAxes(z.values, t, b), f.floats("z"), "z")
        expectClose(swapLeadingAxes(res.values, t, b), f.floats("res"), "res")
        expectClose(swapLeadingAxes(skip.values, t, b), f.floats("skip"), "skip")

        let skipRelu = Buffer(zeros: n * s)
        ReLU.forward(out: skipRelu.pointer, inp: skip.pointer, count: n * s)
        let headWeight = Buffer(transposed(f.floats("w_out"), rows: s, columns: v)),
            headBias = Buffer(f.floats("b_out"))
        let logits = Buffer(zeros: n * v)
        Linear.forward(
            out: logits.pointer, inp: skipRelu.pointer, weight: headWeight.pointer, bias: headBias.pointer,
            rows: n, inputs: s, outputs: v)
        let targets = swapLeadingAxes(f.integers("targets"), b, t)
        var loss = CrossEntropy.forwardBackward(
            logits: logits.pointer, targets: targets, dlogits: logits.pointer, rows: n, vocabulary: v)
        loss += 0.5 * res.values.map { $0 * $0 }.reduce(0, +) / Float(n * c)
        expectClose([loss], f.floats("loss"), "loss")

        let dheadWeight = Buffer(zeros: v * s), dheadBias = Buffer(zeros: v), dskipRelu = Buffer(zeros: n * s),
            dskip = Buffer(zeros: n * s)
        Linear.backward(
            dinp: dskipRelu.pointer, dweight: dheadWeight.pointer, dbias: dheadBias.pointer, dout: logits.pointer,
            inp: skipRelu.pointer, weight: headWeight.pointer, rows: n, inputs: s, outputs: v)
        ReLU.backward(dinp: dskip.pointer, out: skipRelu.pointer, dout: dskipRelu.pointer, count: n * s)
        let dres = Buffer(res.values.map { $0 / Float(n * c) })
        expectClose(swapLeadingAxes(dres.values, t, b), f.floats("grad.res"), "grad.res")
        expectClose(swapLeadingAxes(dskip.values, t, b), f.floats("grad.skip"), "grad.skip")
        expectClose(transposed(dheadWeight.values, rows: v, columns: s), f.floats("grad.w_out"), "grad.w_out")
        expectClose(dheadBias.values, f.floats("grad.b_out"), "grad.b_out")

        let dx = Buffer(zeros: n * c), dz = Buffer(zeros: n * c), dpre = Buffer(zeros: n * 2 * c)
        let dconv = Buffer(zeros: k * 2 * c * c), dconvBias = Buffer(zeros: 2 * c)
        let dresidualWeight = Buffer(zeros: c * c), dresidualBias = Buffer(zeros: c)
        let dskipWeight = Buffer(zeros: s * c), dskipBias = Buffer(zeros: s)
        block.backward(
            dx: dx.pointer, dconvWeight: dconv.pointer, dconvBias: dconvBias.pointer,
            dresidualWeight: dresidualWeight.pointer, dresidualBias: dresidualBias.pointer,
            dskipWeight: dskipWeight.pointer, dskipBias: dskipBias.pointer, dz: dz.pointer, dpre: dpre.pointer,
            dres: dres.pointer, dskip: dskip.pointer, x: x.pointer, activated: activated.pointer, z: z.pointer,
            convWeight: convWeight.pointer, residualWeight: residualWeight.pointer, skipWeight: skipWeight.pointer)
        expectClose(swapLeadingAxes(dz.values, t, b), f.floats("grad.z"), "grad.z")
        expectClose(swapLeadingAxes(dx.values, t, b), f.floats("grad.x"), "grad.x")
        let dconvValues = dconv.values
        var dfilter = [Float](repeating: 0, count: k * c * c), dgate = dfilter
        for tap in 0..<k {
            for i in 0..<c {
                for o in 0..<c {
                    dfilter[(tap * c + i) * c + o] = dconvValues[(tap * 2 * c + o) * c + i]
                    dgate[(tap * c + i) * c + o] = dconvValues[(tap * 2 * c + c + o) * c + i]
                }
            }
        }
        expectClose(dfilter, f.floats("grad.wf"), "grad.wf")
        expectClose(dgate, f.floats("grad.wg"), "grad.wg")
        expectClose(Array(dconvBias.values[0..<c]), f.floats("grad.bf"), "grad.bf")
        expectClose(Array(dconvBias.values[c...]), f.floats("grad.bg"), "grad.bg")
        expectClose(transposed(dresidualWeight.values, rows: c, columns: c), f.floats("grad.wr"), "grad.wr")
        expectClose(dresidualBias.values, f.floats("grad.br"), "grad.br")
        expectClose(transposed(dskipWeight.values, rows: s, columns: c), f.floats("grad.ws"), "grad.ws")
        expectClose(dskipBias.values, f.floats("grad.bs"), "grad.bs")
    }

    @Test(.enabled(if: Fixtures.available("transformer_block")))
    func preLayerNormTransformerBlock() throws {
        let f = try Fixtures.load("transformer_block")
        let b = f.dimension("B"), t = f.dimension("T"), c = f.dimension("C"), v = f.dimension("V"),
            heads = f.dimension("NH")
        let n = b * t
        let block = TransformerBlock(batch: b, time: t, channels: c, heads: heads)
        // Fixture matrices are (in, out); the block takes (out, in).
        let fixtureNames = [
            "ln1.weight": "ln1_g", "ln1.bias": "ln1_b", "attn.qkv.weight": "w_qkv", "attn.qkv.bias": "b_qkv",
            "attn.proj.weight": "w_proj", "attn.proj.bias": "b_proj", "ln2.weight": "ln2_g", "ln2.bias": "ln2_b",
            "mlp.fc.weight": "w_fc", "mlp.fc.bias": "b_fc", "mlp.proj.weight": "w_fc2", "mlp.proj.bias": "b_fc2",
        ]
        var parameters: [String: Buffer] = [:], gradients: [String: Buffer] = [:]
        for (name, shape) in TransformerBlock.Weights.shapes(channels: c) {
            let values = f.floats(fixtureNames[name]!)
            parameters[name] = Buffer(shape.count == 2 ? transposed(values, rows: shape[1], columns: shape[0]) : values)
            gradients[name] = Buffer(zeros: values.count)
        }
        var saved: [String: Buffer] = [:]
        for (name, shape) in TransformerBlock.Activations.shapes(batch: b, time: t, channels: c, heads: heads) {
            saved[name] = Buffer(zeros: shape.reduce(1, *))
        }
        var scratch: [String: Buffer] = [:]
        for (name, shape) in TransformerBlock.Scratch.shapes(batch: b, time: t, channels: c, heads: heads) {
            scratch[name] = Buffer(zeros: shape.reduce(1, *))
        }
        let weights = TransformerBlock.Weights({ parameters[$0]!.pointer }, prefix: "")
        let activations = TransformerBlock.Activations({ saved[$0]!.pointer }, prefix: "")
        let x = Buffer(f.floats("x")), y = Buffer(zeros: n * c)
        var random = SeededRandom(seed: 0)
        block.forward(y: y.pointer, x: x.pointer, weights: weights, saving: activations, random: &random)
        expectClose(saved["residual"]!.values, f.floats("a"), "a")
        expectClose(y.values, f.floats("y"), "y")

        let headWeight = Buffer(transposed(f.floats("w_out"), rows: c, columns: v)),
            headBias = Buffer(f.floats("b_out"))
        let logits = Buffer(zeros: n * v)
        Linear.forward(
            out: logits.pointer, inp: y.pointer, weight: headWeight.pointer, bias: headBias.pointer, rows: n, inputs: c,
            outputs: v)
        let loss = CrossEntropy.forwardBackward(
            logits: logits.pointer, targets: f.integers("targets"), dlogits: logits.pointer,
            rows: n, vocabulary: v)
        expectClose([loss], f.floats("loss"), "loss")
        let dy = Buffer(zeros: n * c), dheadWeight = Buffer(zeros: v * c), dheadBias = Buffer(zeros: v)
        Linear.backward(
            dinp: dy.pointer, dweight: dheadWeight.pointer, dbias: dheadBias.pointer, dout: logits.pointer,
            inp: y.pointer, weight: headWeight.pointer, rows: n, inputs: c, outputs: v)
        expectClose(dy.values, f.floats("grad.y"), "grad.y")
        expectClose(transposed(dheadWeight.values, rows: v, columns: c), f.floats("grad.w_out"), "grad.w_out")
        expectClose(dheadBias.values, f.floats("grad.b_out"), "grad.b_out")
        block.backward(
            dresidual: dy.pointer, grads: .init({ gradients[$0]!.pointer }, prefix: ""),
            scratch: .init({ scratch[$0]!.pointer }), x: x.pointer, weights: weights, saved: activations)
        expectClose(dy.values, f.floats("grad.x"), "grad.x")
        for (name, shape) in TransformerBlock.Weights.shapes(channels: c) {
            let values = gradients[name]!.values
            expectClose(
                shape.count == 2 ? transposed(values, rows: shape[0], columns: shape[1]) : values,
                f.floats("grad." + fixtureNames[name]!), "grad.\(name)")
        }
    }

    @Test(.enabled(if: Fixtures.available("adamw_steps")))
    func threeAdamWSteps() throws {
        let f = try Fixtures.load("adamw_steps")
        let p0 = f.floats("p0"), count = p0.count
        let optimizer = AdamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1)
        let fast = Buffer(p0), m = Buffer(zeros: count), v = Buffer(zeros: count)
        let reference = Buffer(p0), mReference = Buffer(zeros: count), vReference = Buffer(zeros: count)
        for step in 1...3 {
            let gradient = Buffer(f.floats("g\(step)"))
            optimizer.update(
                params: fast.pointer, grads: gradient.pointer, m: m.pointer, v: v.pointer, count: count,
                learningRate: 0.01, step: step)
            optimizer.updateReference(
                params: reference.pointer, grads: gradient.pointer, m: mReference.pointer,
                v: vReference.pointer, count: count, learningRate: 0.01, step: step)
        }
        expectClose(fast.values, f.floats("p3"), relative: 1e-5, "p3")
        expectClose(reference.values, f.floats("p3"), relative: 1e-5, "p3 (reference)")
    }
}
