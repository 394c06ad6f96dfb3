import Foundation

/// Causal multi-head self-attention core, batch-major: heads split the channels, scores
/// scaled by 1/√(C/NH). Each (batch, head) pair is two small GEMMs and a masked softmax;
/// the pairs run in parallel (OpenBLAS keeps products this small on the calling thread).
public struct CausalAttention: Sendable {
    public let batch: Int, time: Int, channels: Int, heads: Int

    public init(batch: Int, time: Int, channels: Int, heads: Int) {
        precondition(channels % heads == 0, "channels \(channels) must divide into \(heads) heads")
        self.batch = batch; self.time = time; self.channels = channels; self.heads = heads
    }

    var headSize: Int { channels / heads }
    var scale: Float { 1 / Float(headSize).squareRoot() }

    /// qkv (B, T, 3C) holds q, k, v in that order; writes out (B, T, C) and saves the
    /// attention probabilities att (B, NH, T, T), zero above the diagonal.
    public func forward(out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>, qkv: UnsafePointer<Float>) {
        let t = time, c = channels, hs = headSize, scale = scale
        Parallel.forEach(batch * heads) { pair in
            let b = pair / heads, head = pair % heads
            let q = qkv + b * t * 3 * c + head * hs
            let probabilities = att + pair * t * t
            gemm(transposeA: false, transposeB: true, m: t, n: t, k: hs, alpha: scale,
                 a: q, lda: 3 * c, b: q + c, ldb: 3 * c, beta: 0, c: probabilities, ldc: t)
            for row in 0..<t { Self.causalSoftmax(probabilities + row * t, visible: row + 1, width: t) }
            gemm(transposeA: false, transposeB: false, m: t, n: hs, k: t,
                 a: probabilities, lda: t, b: q + 2 * c, ldb: 3 * c, beta: 0, c: out + b * t * c + head * hs, ldc: c)
        }
    }

    /// Softmax over the first `visible` entries of a row; the rest become zero.
    @inline(__always)
    static func causalSoftmax(_ row: UnsafeMutablePointer<Float>, visible: Int, width: Int) {
        var maximum = -Float.infinity
        for j in 0..<visible { maximum = max(maximum, row[j]) }
        var sum = Lanes()
        for j in stride(from: 0, to: visible, by: 8) {
            let e = FastMath.exp(row.lanes(at: j, count: visible) - maximum)
            sum += e.replacing(with: 0, where: lanesBeyond(visible - j))
            row.store(e, at: j, count: visible)
        }
        let inverse = 1 / sum.sum()
        for j in 0..<visible { row[j] *= inverse }
        for j in visible..<width { row[j] = 0 }
    }

    /// dout (B, T, C) arrives; datt (B, NH, T, T) is scratch. Writes dqkv (B, T, 3C): each
    /// (batch, head) pair owns its slice, so nothing needs zeroing first.
    public func backward(
        dqkv: UnsafeMutablePointer<Float>, datt: UnsafeMutablePointer<Float>,
        dout: UnsafePointer<Float>, qkv: UnsafePointer<Float>, att: UnsafePointer<Float>
    ) {
        let t = time, c = channels, hs = headSize, scale = scale
        Parallel.forEach(batch * heads) { pair in
            let b = pair / heads, head = pair % heads
            let q = qkv + b * t * 3 * c + head * hs
            let dq = dqkv + b * t * 3 * c + head * hs
            let probabilities = att + pair * t * t
            let dscores = datt + pair * t * t
            let dheadOut = dout + b * t * c + head * hs
            gemm(transposeA: false, transposeB: true, m: t, n: t, k: hs,
                 a: dheadOut, lda: c, b: q + 2 * c, ldb: 3 * c, beta: 0, c: dscores, ldc: t)
            gemm(transposeA: true, transposeB: false, m: t, n: hs, k: t,
                 a: probabilities, lda: t, b: dheadOut, ldb: c, beta: 0, c: dq + 2 * c, ldc: 3 * c)
            for row in 0..<t {
                let p = probabilities + row * t, d = dscores + row * t
                var dot: Float = 0
                for j in 0...row { dot += p[j] * d[j] }
                for j in 0...row { d[j] = p[j] * (d[j] - dot) * scale }
                for j in (row + 1)..<t { d[j] = 0 }
            }
            gemm(transposeA: false, transposeB: false, m: t, n: hs, k: t,
                 a: dscores, lda: t, b: q + c, ldb: 3 * c, beta: 0, c: dq, ldc: 3 * c)
            gemm(transposeA: true, transposeB: false, m: t, n: hs, k: t,
                 a: dscores, lda: t, b: q, ldb: 3 * c, beta: 0, c: dq + c, ldc: 3 * c)
        }
    }

    /// Reference: llm.c's loops, Foundation exp, no BLAS.
    public func forwardReference(out: UnsafeMutablePointer<Float>, qkv: UnsafePointer<Float>) {
        let t = time, c = channels, hs = headSize
        var weights = [Float](repeating: 0, count: t)
        for b in 0..<batch {
            for head in 0..<heads {
                for i in 0..<t {
                    let q = qkv + (b * t + i) * 3 * c + head * hs
                    var maximum = -Float.infinity
                    for j in 0...i {
                        let k = qkv + (b * t + j) * 3 * c + c + head * hs
                        var score: Float = 0
                        for d in 0..<hs { score += q[d] * k[d] }
                        weights[j] = score * scale
                        maximum = max(maximum, weights[j])
                    }
                    var sum: Float = 0
                    for j in 0...i { weights[j] = Foundation.exp(weights[j] - maximum); sum += weights[j] }
                    let o = out + (b * t + i) * c + head * hs
                    for d in 0..<hs {
                        var value: Float = 0
                        for j in 0...i { value += weights[j] / sum * qkv[(b * t + j) * 3 * c + 2 * c + head * hs + d] }
                        o[d] = value
                    }
                }
            }
        }
    }
}
