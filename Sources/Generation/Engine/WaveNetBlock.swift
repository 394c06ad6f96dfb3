import Foundation
import Utilities

/// One gated residual block of a causal WaveNet, kernel size 2, time-major layout:
/// pre = Σ_k shift_{(1−k)·D}(x) · convWeight[k]ᵀ + convBias, filter/gate halves of pre;
/// z = tanh(filter) · σ(gate); res = x + z · residualWeightᵀ + residualBias;
/// skip += z · skipWeightᵀ + skipBias (skips of all blocks are summed).
/// A shift by s time steps is a shift by s·B rows, so each tap is one GEMM.
public struct WaveNetBlock: Sendable {
    public static let kernelSize = 2
    public let time: Int, batch: Int, channels: Int, skipChannels: Int, dilation: Int

    public init(time: Int, batch: Int, channels: Int, skipChannels: Int, dilation: Int) {
        self.time = time
        self.batch = batch
        self.channels = channels
        self.skipChannels = skipChannels
        self.dilation = dilation
    }

    var rows: Int { time * batch }
    /// Rows by which tap k lags the output: tap 0 looks back D steps, tap 1 is the present.
    func lagRows(tap: Int) -> Int { min(rows, (Self.kernelSize - 1 - tap) * dilation * batch) }

    /// x (T, B, C); convWeight (K, 2C, C) with output rows 0..<C the filter and C..<2C the
    /// gate; convBias (2C); residualWeight (C, C); residualBias (C); skipWeight (S, C); skipBias (S).
    /// Saves activated (T, B, 2C) = [tanh(filter), σ(gate)] and z (T, B, C); writes res (T, B, C)
    /// and adds into skip (T, B, S).
    public func forward(
        res: UnsafeMutablePointer<Float>, skip: UnsafeMutablePointer<Float>,
        activated: UnsafeMutablePointer<Float>, z: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>,
        convWeight: UnsafePointer<Float>, convBias: UnsafePointer<Float>,
        residualWeight: UnsafePointer<Float>, residualBias: UnsafePointer<Float>,
        skipWeight: UnsafePointer<Float>, skipBias: UnsafePointer<Float>
    ) {
        let c = channels, width = 2 * channels
        for row in 0..<rows { (activated + row * width).update(from: convBias, count: width) }
        for tap in 0..<Self.kernelSize {
            let lag = lagRows(tap: tap)
            gemm(
                transposeA: false, transposeB: true, m: rows - lag, n: width, k: c,
                a: x, lda: c, b: convWeight + tap * width * c, ldb: c,
                beta: 1, c: activated + lag * width, ldc: width)
        }
        Self.gate(activated: activated, z: z, rows: rows, channels: c)
        outputs(
            res: res, skip: skip, z: z, x: x, residualWeight: residualWeight, residualBias: residualBias,
            skipWeight: skipWeight, skipBias: skipBias, rows: rows)
    }

    /// One time step of one sequence, for incremental decoding ("fast WaveNet", Paine et al.
    /// 2016): x (C) is the block's input now, past (C) its input D steps ago, zeros before
    /// the first token as forward's shifted taps assume. activated (2C) and z (C) are scratch;
    /// writes res (C) and adds into skip (S).
    public func step(
        res: UnsafeMutablePointer<Float>, skip: UnsafeMutablePointer<Float>,
        activated: UnsafeMutablePointer<Float>, z: UnsafeMutablePointer<Float>,
        x: UnsafePointer<Float>, past: UnsafePointer<Float>,
        convWeight: UnsafePointer<Float>, convBias: UnsafePointer<Float>,
        residualWeight: UnsafePointer<Float>, residualBias: UnsafePointer<Float>,
        skipWeight: UnsafePointer<Float>, skipBias: UnsafePointer<Float>
    ) {
        let c = channels, width = 2 * channels
        activated.update(from: convBias, count: width)
        for (tap, input) in [past, x].enumerated() {
            gemm(
                transposeA: false, transposeB: true, m: 1, n: width, k: c,
                a: input, lda: c, b: convWeight + tap * width * c, ldb: c, beta: 1, c: activated, ldc: width)
        }
        Self.gate(activated: activated, z: z, rows: 1, channels: c)
        outputs(
            res: res, skip: skip, z: z, x: x, residualWeight: residualWeight, residualBias: residualBias,
            skipWeight: skipWeight, skipBias: skipBias, rows: 1)
    }

    /// activated (rows, 2C) holds [filter, gate] before and [tanh(filter), σ(gate)] after;
    /// z (rows, C) = their product.
    private static func gate(
        activated: UnsafeMutablePointer<Float>, z: UnsafeMutablePointer<Float>, rows: Int, channels c: Int
    ) {
        let width = 2 * c
        Parallel.forRanges(rows, minimumPerChunk: max(1, 1 << 14 / c)) { range in
            for row in range {
                let pre = activated + row * width, zRow = z + row * c
                for j in stride(from: 0, to: c, by: 8) {
                    let filter = FastMath.tanh(pre.lanes(at: j, count: c))
                    let gate = FastMath.sigmoid((pre + c).lanes(at: j, count: c))
                    pre.store(filter, at: j, count: c)
                    (pre + c).store(gate, at: j, count: c)
                    zRow.store(filter * gate, at: j, count: c)
                }
            }
        }
    }

    /// res (rows, C) = x + z · residualWeightᵀ + residualBias; skip (rows, S) += z · skipWeightᵀ + skipBias.
    private func outputs(
        res: UnsafeMutablePointer<Float>, skip: UnsafeMutablePointer<Float>,
        z: UnsafePointer<Float>, x: UnsafePointer<Float>,
        residualWeight: UnsafePointer<Float>, residualBias: UnsafePointer<Float>,
        skipWeight: UnsafePointer<Float>, skipBias: UnsafePointer<Float>, rows: Int
    ) {
        let c = channels
        for row in 0..<rows {
            let out = res + row * c, input = x + row * c
            for j in 0..<c { out[j] = input[j] + residualBias[j] }
            let skipRow = skip + row * skipChannels
            for j in 0..<skipChannels { skipRow[j] += skipBias[j] }
        }
        gemm(
            transposeA: false, transposeB: true, m: rows, n: c, k: c,
            a: z, lda: c, b: residualWeight, ldb: c, beta: 1, c: res, ldc: c)
        gemm(
            transposeA: false, transposeB: true, m: rows, n: skipChannels, k: c,
            a: z, lda: c, b: skipWeight, ldb: c, beta: 1, c: skip, ldc: skipChannels)
    }

    /// dres (T, B, C) and dskip (T, B, S) arrive; dz (T, B, C) and dpre (T, B, 2C) are scratch.
    /// Accumulates into dx (T, B, C) and the parameter gradients.
    public func backward(
        dx: UnsafeMutablePointer<Float>,
        dconvWeight: UnsafeMutablePointer<Float>, dconvBias: UnsafeMutablePointer<Float>,
        dresidualWeight: UnsafeMutablePointer<Float>, dresidualBias: UnsafeMutablePointer<Float>,
        dskipWeight: UnsafeMutablePointer<Float>, dskipBias: UnsafeMutablePointer<Float>,
        dz: UnsafeMutablePointer<Float>, dpre: UnsafeMutablePointer<Float>,
        dres: UnsafePointer<Float>, dskip: UnsafePointer<Float>,
        x: UnsafePointer<Float>, activated: UnsafePointer<Float>, z: UnsafePointer<Float>,
        convWeight: UnsafePointer<Float>, residualWeight: UnsafePointer<Float>, skipWeight: UnsafePointer<Float>
    ) {
        let c = channels, width = 2 * channels, s = skipChannels
        for index in 0..<(rows * c) { dx[index] += dres[index] }
        gemm(
            transposeA: false, transposeB: false, m: rows, n: c, k: c,
            a: dres, lda: c, b: residualWeight, ldb: c, beta: 0, c: dz, ldc: c)
        gemm(
            transposeA: false, transposeB: false, m: rows, n: c, k: s,
            a: dskip, lda: s, b: skipWeight, ldb: c, beta: 1, c: dz, ldc: c)
        gemm(
            transposeA: true, transposeB: false, m: c, n: c, k: rows,
            a: dres, lda: c, b: z, ldb: c, beta: 1, c: dresidualWeight, ldc: c)
        gemm(
            transposeA: true, transposeB: false, m: s, n: c, k: rows,
            a: dskip, lda: s, b: z, ldb: c, beta: 1, c: dskipWeight, ldc: c)
        addColumnSums(into: dresidualBias, dres, rows: rows, columns: c)
        addColumnSums(into: dskipBias, dskip, rows: rows, columns: s)
        Parallel.forRanges(rows, minimumPerChunk: max(1, 1 << 14 / c)) { range in
            for row in range {
                let act = activated + row * width
                let dzRow = dz + row * c, dpreRow = dpre + row * width
                for j in stride(from: 0, to: c, by: 8) {
                    let filter = act.lanes(at: j, count: c), gate = (act + c).lanes(at: j, count: c)
                    let gradient = dzRow.lanes(at: j, count: c)
                    dpreRow.store(gradient * gate * (1 - filter * filter), at: j, count: c)
                    (dpreRow + c).store(gradient * filter * gate * (1 - gate), at: j, count: c)
                }
            }
        }
        addColumnSums(into: dconvBias, dpre, rows: rows, columns: width)
        for tap in 0..<Self.kernelSize {
            let lag = lagRows(tap: tap)
            gemm(
                transposeA: true, transposeB: false, m: width, n: c, k: rows - lag,
                a: dpre + lag * width, lda: width, b: x, ldb: c,
                beta: 1, c: dconvWeight + tap * width * c, ldc: c)
            gemm(
                transposeA: false, transposeB: false, m: rows - lag, n: c, k: width,
                a: dpre + lag * width, lda: width, b: convWeight + tap * width * c, ldb: c,
                beta: 1, c: dx, ldc: c)
        }
    }

    /// Reference: per element, Foundation's tanh / exp, no BLAS. Writes res and adds into skip.
    public func forwardReference(
        res: UnsafeMutablePointer<Float>, skip: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>,
        convWeight: UnsafePointer<Float>, convBias: UnsafePointer<Float>,
        residualWeight: UnsafePointer<Float>, residualBias: UnsafePointer<Float>,
        skipWeight: UnsafePointer<Float>, skipBias: UnsafePointer<Float>
    ) {
        let c = channels, width = 2 * channels
        var zRow = [Float](repeating: 0, count: c)
        for t in 0..<time {
            for b in 0..<batch {
                let row = t * batch + b
                for j in 0..<c {
                    var filter = convBias[j], gate = convBias[c + j]
                    for tap in 0..<Self.kernelSize {
                        let source = t - (Self.kernelSize - 1 - tap) * dilation
                        guard source >= 0 else { continue }
                        for i in 0..<c {
                            let input = x[(source * batch + b) * c + i]
                            filter += convWeight[(tap * width + j) * c + i] * input
                            gate += convWeight[(tap * width + c + j) * c + i] * input
                        }
                    }
                    zRow[j] = Foundation.tanh(filter) / (1 + Foundation.exp(-gate))
                }
                for j in 0..<c {
                    var sum = x[row * c + j] + residualBias[j]
                    for i in 0..<c { sum += residualWeight[j * c + i] * zRow[i] }
                    res[row * c + j] = sum
                }
                for j in 0..<skipChannels {
                    var sum = skipBias[j]
                    for i in 0..<c { sum += skipWeight[j * c + i] * zRow[i] }
                    skip[row * skipChannels + j] += sum
                }
            }
        }
    }
}
