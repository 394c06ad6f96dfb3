/// One pre-LayerNorm GPT block, batch-major (N = B·T rows ordered (b, t)):
/// a = x + proj(drop(attn(ln1(x)))); y = a + fc2(drop(gelu(fc(ln2(a))))). Weights in (out, in)
/// layout. With `rotary`, q and k are turned by their positions between the qkv product and
/// attention. Dropout, when training asks for it, falls on the heads' outputs and the MLP's
/// hidden units, in place, so the saved activations are what the projections saw.
public struct TransformerBlock: Sendable {
    public let batch: Int, time: Int, channels: Int, heads: Int
    public let rotary: Rotary?
    /// Keys a query sees (nil: all earlier ones); see CausalAttention.window.
    public let window: Int?

    public init(batch: Int, time: Int, channels: Int, heads: Int, rotary: Bool = false, window: Int? = nil) {
        self.batch = batch
        self.time = time
        self.channels = channels
        self.heads = heads
        self.rotary = rotary ? Rotary(time: time, channels: channels, heads: heads) : nil
        self.window = window
    }

    public struct Weights {
        public var ln1Gain, ln1Bias: UnsafeMutablePointer<Float>  // (C)
        public var qkvWeight, qkvBias: UnsafeMutablePointer<Float>  // (3C, C), (3C)
        public var projWeight, projBias: UnsafeMutablePointer<Float>  // (C, C), (C)
        public var ln2Gain, ln2Bias: UnsafeMutablePointer<Float>  // (C)
        public var fcWeight, fcBias: UnsafeMutablePointer<Float>  // (4C, C), (4C)
        public var fc2Weight, fc2Bias: UnsafeMutablePointer<Float>  // (C, 4C), (C)

        /// Pointers to the tensors named `prefix`ln1.weight … in `storage`.
        public init(_ storage: (String) -> UnsafeMutablePointer<Float>, prefix: String) {
            ln1Gain = storage(prefix + "ln1.weight")
            ln1Bias = storage(prefix + "ln1.bias")
            qkvWeight = storage(prefix + "attn.qkv.weight")
            qkvBias = storage(prefix + "attn.qkv.bias")
            projWeight = storage(prefix + "attn.proj.weight")
            projBias = storage(prefix + "attn.proj.bias")
            ln2Gain = storage(prefix + "ln2.weight")
            ln2Bias = storage(prefix + "ln2.bias")
            fcWeight = storage(prefix + "mlp.fc.weight")
            fcBias = storage(prefix + "mlp.fc.bias")
            fc2Weight = storage(prefix + "mlp.proj.weight")
            fc2Bias = storage(prefix + "mlp.proj.bias")
        }

        public static func shapes(channels c: Int) -> [(String, [Int])] {
            [
                ("ln1.weight", [c]), ("ln1.bias", [c]), ("attn.qkv.weight", [3 * c, c]), ("attn.qkv.bias", [3 * c]),
                ("attn.proj.weight", [c, c]), ("attn.proj.bias", [c]), ("ln2.weight", [c]), ("ln2.bias", [c]),
                ("mlp.fc.weight", [4 * c, c]), ("mlp.fc.bias", [4 * c]), ("mlp.proj.weight", [c, 4 * c]),
                ("mlp.proj.bias", [c]),
            ]
        }
    }

    /// What forward saves for backward.
    public struct Activations {
        public var ln1, ln1Mean, ln1Rstd: UnsafeMutablePointer<Float>  // (N, C), (N), (N)
        public var qkv: UnsafeMutablePointer<Float>  // (N, 3C)
        public var att: UnsafeMutablePointer<Float>  // (B, NH, T, T)
        public var attended: UnsafeMutablePointer<Float>  // (N, C)
        public var residual: UnsafeMutablePointer<Float>  // (N, C) a
        public var ln2, ln2Mean, ln2Rstd: UnsafeMutablePointer<Float>  // (N, C), (N), (N)
        public var fc, gelu: UnsafeMutablePointer<Float>  // (N, 4C)
        public var attendedMask: UnsafeMutablePointer<Float>  // (N, C)
        public var geluMask: UnsafeMutablePointer<Float>  // (N, 4C)

        public init(_ storage: (String) -> UnsafeMutablePointer<Float>, prefix: String) {
            ln1 = storage(prefix + "ln1")
            ln1Mean = storage(prefix + "ln1Mean")
            ln1Rstd = storage(prefix + "ln1Rstd")
            qkv = storage(prefix + "qkv")
            att = storage(prefix + "att")
            attended = storage(prefix + "attended")
            residual = storage(prefix + "residual")
            ln2 = storage(prefix + "ln2")
            ln2Mean = storage(prefix + "ln2Mean")
            ln2Rstd = storage(prefix + "ln2Rstd")
            fc = storage(prefix + "fc")
            gelu = storage(prefix + "gelu")
            attendedMask = storage(prefix + "attendedMask")
            geluMask = storage(prefix + "geluMask")
        }

        public static func shapes(batch: Int, time: Int, channels c: Int, heads: Int) -> [(String, [Int])] {
            let n = batch * time
            return [
                ("ln1", [n, c]), ("ln1Mean", [n]), ("ln1Rstd", [n]), ("qkv", [n, 3 * c]),
                ("att", [batch, heads, time, time]), ("attended", [n, c]), ("residual", [n, c]),
                ("ln2", [n, c]), ("ln2Mean", [n]), ("ln2Rstd", [n]), ("fc", [n, 4 * c]), ("gelu", [n, 4 * c]),
                ("attendedMask", [n, c]), ("geluMask", [n, 4 * c]),
            ]
        }
    }

    /// Scratch for backward, shared by all blocks of a model.
    public struct Scratch {
        public var dln, dattended: UnsafeMutablePointer<Float>  // (N, C)
        public var dqkv: UnsafeMutablePointer<Float>  // (N, 3C)
        public var datt: UnsafeMutablePointer<Float>  // (B, NH, T, T)
        public var dfc, dgelu: UnsafeMutablePointer<Float>  // (N, 4C)

        public init(_ storage: (String) -> UnsafeMutablePointer<Float>) {
            dln = storage("dln")
            dattended = storage("dattended")
            dqkv = storage("dqkv")
            datt = storage("datt")
            dfc = storage("dfc")
            dgelu = storage("dgelu")
        }

        public static func shapes(batch: Int, time: Int, channels c: Int, heads: Int) -> [(String, [Int])] {
            let n = batch * time
            return [
                ("dln", [n, c]), ("dattended", [n, c]), ("dqkv", [n, 3 * c]), ("datt", [batch, heads, time, time]),
                ("dfc", [n, 4 * c]), ("dgelu", [n, 4 * c]),
            ]
        }
    }

    var rows: Int { batch * time }
    var attention: CausalAttention {
        CausalAttention(batch: batch, time: time, channels: channels, heads: heads, window: window)
    }

    /// x (N, C) → y (N, C). `dropout` 0 (inference) leaves the masks untouched.
    public func forward(
        y: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, weights w: Weights,
        saving a: Activations, dropout: Float = 0, random: inout SeededRandom
    ) {
        let n = rows, c = channels
        LayerNorm.forward(
            out: a.ln1, mean: a.ln1Mean, rstd: a.ln1Rstd, inp: x, gain: w.ln1Gain, bias: w.ln1Bias, rows: n, channels: c
        )
        Linear.forward(out: a.qkv, inp: a.ln1, weight: w.qkvWeight, bias: w.qkvBias, rows: n, inputs: c, outputs: 3 * c)
        rotary?.forward(qkv: a.qkv, batch: batch)
        attention.forward(out: a.attended, att: a.att, qkv: a.qkv)
        if dropout > 0 {
            Dropout.forward(
                out: a.attended, mask: a.attendedMask, inp: a.attended, count: n * c, probability: dropout,
                random: &random)
        }
        a.residual.update(from: x, count: n * c)
        Linear.forward(
            out: a.residual, inp: a.attended, weight: w.projWeight, bias: w.projBias, rows: n, inputs: c, outputs: c,
            accumulate: true)
        LayerNorm.forward(
            out: a.ln2, mean: a.ln2Mean, rstd: a.ln2Rstd, inp: a.residual, gain: w.ln2Gain, bias: w.ln2Bias,
            rows: n, channels: c)
        Linear.forward(out: a.fc, inp: a.ln2, weight: w.fcWeight, bias: w.fcBias, rows: n, inputs: c, outputs: 4 * c)
        GELU.forward(out: a.gelu, inp: a.fc, count: n * 4 * c)
        if dropout > 0 {
            Dropout.forward(
                out: a.gelu, mask: a.geluMask, inp: a.gelu, count: n * 4 * c, probability: dropout,
                random: &random)
        }
        y.update(from: a.residual, count: n * c)
        Linear.forward(
            out: y, inp: a.gelu, weight: w.fc2Weight, bias: w.fc2Bias, rows: n, inputs: 4 * c, outputs: c,
            accumulate: true)
    }

    /// On entry `dresidual` (N, C) holds ∂L/∂y; on return it holds ∂L/∂x. Accumulates into `grads`.
    /// `dropped` says whether the forward pass drew dropout masks.
    public func backward(
        dresidual: UnsafeMutablePointer<Float>, grads g: Weights, scratch s: Scratch,
        x: UnsafePointer<Float>, weights w: Weights, saved a: Activations, dropped: Bool = false
    ) {
        let n = rows, c = channels
        Linear.backward(
            dinp: s.dgelu, dweight: g.fc2Weight, dbias: g.fc2Bias, dout: dresidual, inp: a.gelu, weight: w.fc2Weight,
            rows: n, inputs: 4 * c, outputs: c, overwriteInputGradient: true)
        if dropped { Self.applyMask(s.dgelu, mask: a.geluMask, count: n * 4 * c) }
        GELU.backward(dinp: s.dfc, inp: a.fc, dout: s.dgelu, count: n * 4 * c)
        Linear.backward(
            dinp: s.dln, dweight: g.fcWeight, dbias: g.fcBias, dout: s.dfc, inp: a.ln2, weight: w.fcWeight,
            rows: n, inputs: c, outputs: 4 * c, overwriteInputGradient: true)
        LayerNorm.backward(
            dinp: dresidual, dgain: g.ln2Gain, dbias: g.ln2Bias, dout: s.dln, inp: a.residual, gain: w.ln2Gain,
            mean: a.ln2Mean, rstd: a.ln2Rstd, rows: n, channels: c)
        Linear.backward(
            dinp: s.dattended, dweight: g.projWeight, dbias: g.projBias, dout: dresidual, inp: a.attended,
            weight: w.projWeight, rows: n, inputs: c, outputs: c, overwriteInputGradient: true)
        if dropped { Self.applyMask(s.dattended, mask: a.attendedMask, count: n * c) }
        attention.backward(dqkv: s.dqkv, datt: s.datt, dout: s.dattended, qkv: a.qkv, att: a.att)
        rotary?.backward(dqkv: s.dqkv, batch: batch)
        Linear.backward(
            dinp: s.dln, dweight: g.qkvWeight, dbias: g.qkvBias, dout: s.dqkv, inp: a.ln1, weight: w.qkvWeight,
            rows: n, inputs: c, outputs: 3 * c, overwriteInputGradient: true)
        LayerNorm.backward(
            dinp: dresidual, dgain: g.ln1Gain, dbias: g.ln1Bias, dout: s.dln, inp: x, gain: w.ln1Gain,
            mean: a.ln1Mean, rstd: a.ln1Rstd, rows: n, channels: c)
    }

    /// Gradient through an in-place dropout: ∂L/∂inp = ∂L/∂out · mask, overwriting ∂L/∂out.
    static func applyMask(_ gradient: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>, count: Int) {
        for j in 0..<count { gradient[j] *= mask[j] }
    }
}
