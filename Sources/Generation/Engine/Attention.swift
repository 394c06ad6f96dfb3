import Foundation
import Utilities

/// Causal multi-head self-attention core, batch-major: heads split the channels, scores
/// scaled by 1/√(C/NH). Each (batch, head) pair is two small GEMMs and a masked softmax;
/// the pairs run in parallel (each product single-threaded).
public struct CausalAttention: Sendable {
    public let batch: Int, time: Int, channels: Int, heads: Int
    /// Keys a query sees, itself included: the last `window` positions. Training windows never
    /// exceed it; a rotary model generating past its context reads longer sequences through it.
    public let window: Int

    public init(batch: Int, time: Int, channels: Int, heads: Int, window: Int? = nil) {
        precondition(channels % heads == 0, "channels \(channels) must divide into \(heads) heads")
        self.batch = batch
        self.time = time
        self.channels = channels
        self.heads = heads
        self.window = min(window ?? time, time)
    }

    /// The first key row `row` sees.
    @inline(__always)
    func firstKey(_ row: Int) -> Int { max(0, row + 1 - window) }

    var headSize: Int { channels / heads }
    var scale: Float { 1 / Float(headSize).squareRoot() }

    /// qkv (B, T, 3C) holds q, k, v in that order; writes out (B, T, C) and saves the
    /// attention probabilities att (B, NH, T, T), zero outside the band of visible keys.
    public func forward(out: UnsafeMutablePointer<Float>, att: UnsafeMutablePointer<Float>, qkv: UnsafePointer<Float>) {
        let t = time, c = channels, hs = headSize, scale = scale
        Parallel.forEach(batch * heads) { pair in
            let b = pair / heads, head = pair % heads
            let q = qkv + b * t * 3 * c + head * hs
            let probabilities = att + pair * t * t
            for rows in Self.blocks(t) {
                // Row block i sees keys firstKey(i.lowerBound)..<i.upperBound only: the masked triangle
                // (and, past the window, the band's far side) is never computed.
                let first = firstKey(rows.lowerBound), visible = rows.upperBound - first
                gemm(
                    transposeA: false, transposeB: true, m: rows.count, n: visible, k: hs, alpha: scale,
                    a: q + rows.lowerBound * 3 * c, lda: 3 * c, b: q + first * 3 * c + c, ldb: 3 * c,
                    beta: 0, c: probabilities + rows.lowerBound * t + first, ldc: t, parallel: false)
                for row in rows {
                    let line = probabilities + row * t, start = firstKey(row)
                    line.update(repeating: 0, count: start)
                    Self.causalSoftmax(line + start, visible: row + 1 - start, width: t - start)
                }
                gemm(
                    transposeA: false, transposeB: false, m: rows.count, n: hs, k: visible,
                    a: probabilities + rows.lowerBound * t + first, lda: t, b: q + first * 3 * c + 2 * c, ldb: 3 * c,
                    beta: 0, c: out + (b * t + rows.lowerBound) * c + head * hs, ldc: c, parallel: false)
            }
        }
    }

    /// Row blocks of the causal triangle.
    static func blocks(_ t: Int) -> [Range<Int>] {
        stride(from: 0, to: t, by: 64).map { $0..<min(t, $0 + 64) }
    }

    /// Softmax over the first `visible` entries of a row; the rest become zero.
    @inline(__always)
    static func causalSoftmax(_ row: UnsafeMutablePointer<Float>, visible: Int, width: Int) {
        var maximum = -Float.infinity
        for j in 0..<visible { maximum = max(maximum, row[j]) }
        var sum = Lanes()
        for j in stride(from: 0, to: visible, by: 8) {
            let e = FastMath.exp(row.lanes(at: j, count: visible) - maximum)
            sum += visible - j >= 8 ? e : e.replacing(with: 0, where: lanesBeyond(visible - j))
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
        precondition(window == time, "training windows see every earlier key; the band is for generation only")
        let t = time, c = channels, hs = headSize, scale = scale
        Parallel.forEach(batch * heads) { pair in
            let b = pair / heads, head = pair % heads
            let q = qkv + b * t * 3 * c + head * hs
            let dq = dqkv + b * t * 3 * c + head * hs
            let probabilities = att + pair * t * t
            let dscores = datt + pair * t * t
            let dheadOut = dout + b * t * c + head * hs
            for rows in Self.blocks(t) {
                let visible = rows.upperBound
                gemm(
                    transposeA: false, transposeB: true, m: rows.count, n: visible, k: hs,
                    a: dheadOut + rows.lowerBound * c, lda: c, b: q + 2 * c, ldb: 3 * c,
                    beta: 0, c: dscores + rows.lowerBound * t, ldc: t, parallel: false)
                for row in rows {
                    let p = probabilities + row * t, d = dscores + row * t
                    var dot: Float = 0
                    for j in 0...row { dot += p[j] * d[j] }
                    for j in 0...row { d[j] = p[j] * (d[j] - dot) * scale }
                    for j in (row + 1)..<t { d[j] = 0 }
                }
                gemm(
                    transposeA: false, transposeB: false, m: rows.count, n: hs, k: visible,
                    a: dscores + rows.lowerBound * t, lda: t, b: q + c, ldb: 3 * c,
                    beta: 0, c: dq + rows.lowerBound * 3 * c, ldc: 3 * c, parallel: false)
            }
            // Key / value block j receives from query rows j.lowerBound..<T only.
            for keys in Self.blocks(t) {
                let first = keys.lowerBound, count = t - first
                gemm(
                    transposeA: true, transposeB: false, m: keys.count, n: hs, k: count,
                    a: probabilities + first * t + first, lda: t, b: dheadOut + first * c, ldb: c,
                    beta: 0, c: dq + first * 3 * c + 2 * c, ldc: 3 * c, parallel: false)
                gemm(
                    transposeA: true, transposeB: false, m: keys.count, n: hs, k: count,
                    a: dscores + first * t + first, lda: t, b: q + first * 3 * c, ldb: 3 * c,
                    beta: 0, c: dq + first * 3 * c + c, ldc: 3 * c, parallel: false)
            }
        }
    }

    /// Reference: llm.c's loops, Foundation exp, no BLAS; query i sees keys firstKey(i)...i.
    public func forwardReference(out: UnsafeMutablePointer<Float>, qkv: UnsafePointer<Float>) {
        let t = time, c = channels, hs = headSize
        var weights = [Float](repeating: 0, count: t)
        for b in 0..<batch {
            for head in 0..<heads {
                for i in 0..<t {
                    let q = qkv + (b * t + i) * 3 * c + head * hs
                    var maximum = -Float.infinity
                    let keys = firstKey(i)...i
                    for j in keys {
                        let k = qkv + (b * t + j) * 3 * c + c + head * hs
                        var score: Float = 0
                        for d in 0..<hs { score += q[d] * k[d] }
                        weights[j] = score * scale
                        maximum = max(maximum, weights[j])
                    }
                    var sum: Float = 0
                    for j in keys {
                        weights[j] = Foundation.exp(weights[j] - maximum)
                        sum += weights[j]
                    }
                    let o = out + (b * t + i) * c + head * hs
                    for d in 0..<hs {
                        var value: Float = 0
                        for j in keys { value += weights[j] / sum * qkv[(b * t + j) * 3 * c + 2 * c + head * hs + d] }
                        o[d] = value
                    }
                }
            }
        }
    }

    /// Reference backward: llm.c's loops over (b, t, head). dqkv (B, T, 3C) must start at zero.
    public func backwardReference(
        dqkv: UnsafeMutablePointer<Float>, dout: UnsafePointer<Float>, qkv: UnsafePointer<Float>,
        att: UnsafePointer<Float>
    ) {
        let t = time, c = channels, hs = headSize
        for b in 0..<batch {
            for head in 0..<heads {
                for i in 0..<t {
                    let probabilities = att + ((b * heads + head) * t + i) * t
                    let gradient = dout + (b * t + i) * c + head * hs
                    var dprobabilities = [Float](repeating: 0, count: i + 1)
                    for j in 0...i {
                        let value = qkv + (b * t + j) * 3 * c + 2 * c + head * hs
                        let dvalue = dqkv + (b * t + j) * 3 * c + 2 * c + head * hs
                        for d in 0..<hs {
                            dprobabilities[j] += value[d] * gradient[d]
                            dvalue[d] += probabilities[j] * gradient[d]
                        }
                    }
                    for j in 0...i {
                        var dscore: Float = 0
                        for k in 0...i {
                            dscore += probabilities[k] * ((j == k ? 1 : 0) - probabilities[j]) * dprobabilities[k]
                        }
                        let query = qkv + (b * t + i) * 3 * c + head * hs,
                            key = qkv + (b * t + j) * 3 * c + c + head * hs
                        let dquery = dqkv + (b * t + i) * 3 * c + head * hs,
                            dkey = dqkv + (b * t + j) * 3 * c + c + head * hs
                        for d in 0..<hs {
                            dquery[d] += key[d] * dscore * scale
                            dkey[d] += query[d] * dscore * scale
                        }
                    }
                }
            }
        }
    }
}

/// Attention of one new token over a key/value cache, for incremental decoding: what row t
/// of CausalAttention.forward computes, from keys and values saved instead of recomputed.
/// The full-window forward is its reference.
public enum CachedAttention {
    /// query (C); keys, values (S, C) hold the S visible tokens in any order (softmax does not
    /// care); scores (NH, S) is scratch; writes out (C).
    public static func forward(
        out: UnsafeMutablePointer<Float>, scores: UnsafeMutablePointer<Float>, query: UnsafePointer<Float>,
        keys: UnsafePointer<Float>, values: UnsafePointer<Float>, visible: Int, channels: Int, heads: Int
    ) {
        let c = channels, hs = channels / heads
        let scale = 1 / Float(hs).squareRoot()
        for head in 0..<heads {
            let line = scores + head * visible
            gemm(
                transposeA: false, transposeB: true, m: 1, n: visible, k: hs, alpha: scale,
                a: query + head * hs, lda: hs, b: keys + head * hs, ldb: c, beta: 0, c: line, ldc: visible,
                parallel: false)
            CausalAttention.causalSoftmax(line, visible: visible, width: visible)
            gemm(
                transposeA: false, transposeB: false, m: 1, n: hs, k: visible,
                a: line, lda: visible, b: values + head * hs, ldb: c, beta: 0, c: out + head * hs, ldc: hs,
                parallel: false)
        }
    }
}
