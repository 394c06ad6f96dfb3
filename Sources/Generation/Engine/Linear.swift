/// Fully connected layer with PyTorch's weight layout (out, in).
public enum Linear {
    /// out (N, OC) = inp (N, C) · weightᵀ + bias; weight (OC, C), bias (OC). With `accumulate`
    /// the product is added to what `out` already holds.
    public static func forward(
        out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, rows: Int, inputs: Int, outputs: Int, accumulate: Bool = false
    ) {
        if let bias {
            if !accumulate {
                for row in 0..<rows { (out + row * outputs).update(from: bias, count: outputs) }
            } else {
                for row in 0..<rows { for o in 0..<outputs { out[row * outputs + o] += bias[o] } }
            }
        }
        gemm(
            transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs,
            a: inp, lda: inputs, b: weight, ldb: inputs,
            beta: (bias != nil || accumulate) ? 1 : 0, c: out, ldc: outputs)
    }

    /// dinp (N, C) += dout · weight (or = when `overwriteInputGradient`); dweight (OC, C) += doutᵀ · inp;
    /// dbias (OC) += Σ_n dout.
    public static func backward(
        dinp: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>?,
        dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        rows: Int, inputs: Int, outputs: Int, overwriteInputGradient: Bool = false
    ) {
        if let dinp {
            gemm(
                transposeA: false, transposeB: false, m: rows, n: inputs, k: outputs,
                a: dout, lda: outputs, b: weight, ldb: inputs, beta: overwriteInputGradient ? 0 : 1, c: dinp,
                ldc: inputs)
        }
        gemm(
            transposeA: true, transposeB: false, m: outputs, n: inputs, k: rows,
            a: dout, lda: outputs, b: inp, ldb: inputs, beta: 1, c: dweight, ldc: inputs)
        if let dbias { addColumnSums(into: dbias, dout, rows: rows, columns: outputs) }
    }

    public static func forwardReference(
        out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, rows: Int, inputs: Int, outputs: Int
    ) {
        for row in 0..<rows {
            for o in 0..<outputs {
                var sum = bias?[o] ?? 0
                for i in 0..<inputs { sum += inp[row * inputs + i] * weight[o * inputs + i] }
                out[row * outputs + o] = sum
            }
        }
    }

    public static func backwardReference(
        dinp: UnsafeMutablePointer<Float>?, dweight: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>?,
        dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        rows: Int, inputs: Int, outputs: Int
    ) {
        for row in 0..<rows {
            for o in 0..<outputs {
                let gradient = dout[row * outputs + o]
                dbias?[o] += gradient
                for i in 0..<inputs {
                    dinp?[row * inputs + i] += gradient * weight[o * inputs + i]
                    dweight[o * inputs + i] += gradient * inp[row * inputs + i]
                }
            }
        }
    }
}
