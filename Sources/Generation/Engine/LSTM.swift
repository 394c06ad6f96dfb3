import Foundation
import Utilities

/// One LSTM layer in PyTorch's semantics and gate order (i, f, g, o), zero initial state.
/// Time-major layout, so the rows of one time step are contiguous and whole-sequence
/// products (input projection, weight gradients) are single large GEMMs.
public struct LSTMLayer: Sendable {
    public let time: Int, batch: Int, inputs: Int, hidden: Int

    public init(time: Int, batch: Int, inputs: Int, hidden: Int) {
        self.time = time
        self.batch = batch
        self.inputs = inputs
        self.hidden = hidden
    }

    var stepRows: Int { batch }
    var gateWidth: Int { 4 * hidden }

    /// x (T, B, I); weightIH (4H, I); weightHH (4H, H); biasIH, biasHH (4H).
    /// Saves gates (T, B, 4H) after their nonlinearities, cells (T, B, H), tanh of the cells
    /// (T, B, H) for backward; writes h (T, B, H).
    public func forward(
        h: UnsafeMutablePointer<Float>, gates: UnsafeMutablePointer<Float>,
        cells: UnsafeMutablePointer<Float>, cellTanh: UnsafeMutablePointer<Float>,
        x: UnsafePointer<Float>, weightIH: UnsafePointer<Float>, weightHH: UnsafePointer<Float>,
        biasIH: UnsafePointer<Float>, biasHH: UnsafePointer<Float>
    ) {
        let rows = time * batch, width = gateWidth
        for row in 0..<rows {
            let line = gates + row * width
            for j in 0..<width { line[j] = biasIH[j] + biasHH[j] }
        }
        gemm(
            transposeA: false, transposeB: true, m: rows, n: width, k: inputs,
            a: x, lda: inputs, b: weightIH, ldb: inputs, beta: 1, c: gates, ldc: width)
        for t in 0..<time {
            let stepGates = gates + t * batch * width
            if t > 0 {
                gemm(
                    transposeA: false, transposeB: true, m: batch, n: width, k: hidden,
                    a: h + (t - 1) * batch * hidden, lda: hidden, b: weightHH, ldb: hidden,
                    beta: 1, c: stepGates, ldc: width)
            }
            let offset = t * batch * hidden
            cellStep(
                gates: stepGates, previousCells: t > 0 ? cells + offset - batch * hidden : nil,
                cells: cells + offset, cellTanh: cellTanh + offset, h: h + offset)
        }
    }

    /// One step with carried state, for incremental decoding: h and cells (B, H) hold the
    /// previous step's state on entry (zeros before the first token, as forward assumes) and
    /// this step's on return. x (B, I); gates (B, 4H) and cellTanh (B, H) are scratch.
    public func step(
        h: UnsafeMutablePointer<Float>, cells: UnsafeMutablePointer<Float>,
        gates: UnsafeMutablePointer<Float>, cellTanh: UnsafeMutablePointer<Float>,
        x: UnsafePointer<Float>, weightIH: UnsafePointer<Float>, weightHH: UnsafePointer<Float>,
        biasIH: UnsafePointer<Float>, biasHH: UnsafePointer<Float>
    ) {
        let width = gateWidth
        for row in 0..<batch {
            let line = gates + row * width
            for j in 0..<width { line[j] = biasIH[j] + biasHH[j] }
        }
        gemm(
            transposeA: false, transposeB: true, m: batch, n: width, k: inputs,
            a: x, lda: inputs, b: weightIH, ldb: inputs, beta: 1, c: gates, ldc: width)
        gemm(
            transposeA: false, transposeB: true, m: batch, n: width, k: hidden,
            a: h, lda: hidden, b: weightHH, ldb: hidden, beta: 1, c: gates, ldc: width)
        // Each lane reads its previous cell before writing the new one, so the update runs in place.
        cellStep(gates: gates, previousCells: cells, cells: cells, cellTanh: cellTanh, h: h)
    }

    /// The fused element-wise part of one step: nonlinearities, cell and hidden update.
    private func cellStep(
        gates: UnsafeMutablePointer<Float>, previousCells: UnsafeMutablePointer<Float>?,
        cells: UnsafeMutablePointer<Float>, cellTanh: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>
    ) {
        let hidden = hidden, width = gateWidth
        Parallel.forRanges(batch, minimumPerChunk: max(1, 1 << 15 / hidden)) { range in
            for b in range {
                let g = gates + b * width
                let row = b * hidden
                for j in stride(from: 0, to: hidden, by: 8) {
                    let input = FastMath.sigmoid(g.lanes(at: j, count: hidden))
                    let forget = FastMath.sigmoid((g + hidden).lanes(at: j, count: hidden))
                    let candidate = FastMath.tanh((g + 2 * hidden).lanes(at: j, count: hidden))
                    let output = FastMath.sigmoid((g + 3 * hidden).lanes(at: j, count: hidden))
                    var cell = input * candidate
                    if let previousCells { cell += forget * (previousCells + row).lanes(at: j, count: hidden) }
                    let squashed = FastMath.tanh(cell)
                    g.store(input, at: j, count: hidden)
                    (g + hidden).store(forget, at: j, count: hidden)
                    (g + 2 * hidden).store(candidate, at: j, count: hidden)
                    (g + 3 * hidden).store(output, at: j, count: hidden)
                    (cells + row).store(cell, at: j, count: hidden)
                    (cellTanh + row).store(squashed, at: j, count: hidden)
                    (h + row).store(output * squashed, at: j, count: hidden)
                }
            }
        }
    }

    /// dh (T, B, H) is the gradient arriving at h; it is consumed (recurrent gradients are
    /// added into it). dgates (T, B, 4H) and dcell (B, H) are scratch. Accumulates into
    /// dx (T, B, I) when given, and into the four parameter gradients.
    public func backward(
        dx: UnsafeMutablePointer<Float>?, dweightIH: UnsafeMutablePointer<Float>,
        dweightHH: UnsafeMutablePointer<Float>,
        dbiasIH: UnsafeMutablePointer<Float>, dbiasHH: UnsafeMutablePointer<Float>,
        dh: UnsafeMutablePointer<Float>, dgates: UnsafeMutablePointer<Float>, dcell: UnsafeMutablePointer<Float>,
        x: UnsafePointer<Float>, h: UnsafePointer<Float>, gates: UnsafePointer<Float>,
        cells: UnsafePointer<Float>, cellTanh: UnsafePointer<Float>,
        weightIH: UnsafePointer<Float>, weightHH: UnsafePointer<Float>
    ) {
        let width = gateWidth, stepSize = batch * hidden
        dcell.update(repeating: 0, count: stepSize)
        for t in stride(from: time - 1, through: 0, by: -1) {
            cellStepBackward(
                dgates: dgates + t * batch * width, dcell: dcell, dh: dh + t * stepSize,
                gates: gates + t * batch * width, previousCells: t > 0 ? cells + (t - 1) * stepSize : nil,
                cellTanh: cellTanh + t * stepSize)
            if t > 0 {
                gemm(
                    transposeA: false, transposeB: false, m: batch, n: hidden, k: width,
                    a: dgates + t * batch * width, lda: width, b: weightHH, ldb: hidden,
                    beta: 1, c: dh + (t - 1) * stepSize, ldc: hidden)
            }
        }
        let rows = time * batch
        if time > 1 {
            gemm(
                transposeA: true, transposeB: false, m: width, n: hidden, k: (time - 1) * batch,
                a: dgates + batch * width, lda: width, b: h, ldb: hidden, beta: 1, c: dweightHH, ldc: hidden)
        }
        gemm(
            transposeA: true, transposeB: false, m: width, n: inputs, k: rows,
            a: dgates, lda: width, b: x, ldb: inputs, beta: 1, c: dweightIH, ldc: inputs)
        if let dx {
            gemm(
                transposeA: false, transposeB: false, m: rows, n: inputs, k: width,
                a: dgates, lda: width, b: weightIH, ldb: inputs, beta: 1, c: dx, ldc: inputs)
        }
        addColumnSums(into: dbiasIH, dgates, rows: rows, columns: width)
        addColumnSums(into: dbiasHH, dgates, rows: rows, columns: width)
    }

    /// dcell (B, H) carries ∂L/∂c from step t+1 in and to step t−1 out.
    private func cellStepBackward(
        dgates: UnsafeMutablePointer<Float>, dcell: UnsafeMutablePointer<Float>, dh: UnsafePointer<Float>,
        gates: UnsafePointer<Float>, previousCells: UnsafePointer<Float>?, cellTanh: UnsafePointer<Float>
    ) {
        let hidden = hidden, width = gateWidth
        Parallel.forRanges(batch, minimumPerChunk: max(1, 1 << 15 / hidden)) { range in
            for b in range {
                let g = gates + b * width
                let dg = dgates + b * width
                let row = b * hidden
                let dhRow = dh + row
                let squashedRow = cellTanh + row
                let previousRow = previousCells.map { $0 + row }
                let dcellRow = dcell + row
                for j in stride(from: 0, to: hidden, by: 8) {
                    let input = g.lanes(at: j, count: hidden)
                    let forget = (g + hidden).lanes(at: j, count: hidden)
                    let candidate = (g + 2 * hidden).lanes(at: j, count: hidden)
                    let output = (g + 3 * hidden).lanes(at: j, count: hidden)
                    let squashed = squashedRow.lanes(at: j, count: hidden)
                    let gradientH = dhRow.lanes(at: j, count: hidden)
                    let gradientCell =
                        dcellRow.lanes(at: j, count: hidden) + gradientH * output * (1 - squashed * squashed)
                    let previous = previousRow?.lanes(at: j, count: hidden) ?? Lanes()
                    dg.store(gradientCell * candidate * input * (1 - input), at: j, count: hidden)
                    (dg + hidden).store(gradientCell * previous * forget * (1 - forget), at: j, count: hidden)
                    (dg + 2 * hidden).store(gradientCell * input * (1 - candidate * candidate), at: j, count: hidden)
                    (dg + 3 * hidden).store(gradientH * squashed * output * (1 - output), at: j, count: hidden)
                    dcellRow.store(gradientCell * forget, at: j, count: hidden)
                }
            }
        }
    }

    /// Reference: scalar loops and Foundation's exp / tanh, one time step and row at a time.
    public func forwardReference(
        h: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, weightIH: UnsafePointer<Float>,
        weightHH: UnsafePointer<Float>, biasIH: UnsafePointer<Float>, biasHH: UnsafePointer<Float>
    ) {
        func sigmoid(_ v: Float) -> Float { 1 / (1 + Foundation.exp(-v)) }
        var cell = [Float](repeating: 0, count: batch * hidden)
        var previousH = [Float](repeating: 0, count: batch * hidden)
        var preactivation = [Float](repeating: 0, count: gateWidth)
        for t in 0..<time {
            for b in 0..<batch {
                let input = x + (t * batch + b) * inputs
                for gate in 0..<gateWidth {
                    var sum = biasIH[gate] + biasHH[gate]
                    for i in 0..<inputs { sum += weightIH[gate * inputs + i] * input[i] }
                    for k in 0..<hidden { sum += weightHH[gate * hidden + k] * previousH[b * hidden + k] }
                    preactivation[gate] = sum
                }
                for j in 0..<hidden {
                    let i = sigmoid(preactivation[j]), f = sigmoid(preactivation[hidden + j])
                    let g = Foundation.tanh(preactivation[2 * hidden + j]), o = sigmoid(preactivation[3 * hidden + j])
                    cell[b * hidden + j] = f * cell[b * hidden + j] + i * g
                    h[(t * batch + b) * hidden + j] = o * Foundation.tanh(cell[b * hidden + j])
                }
            }
            for b in 0..<batch { for j in 0..<hidden { previousH[b * hidden + j] = h[(t * batch + b) * hidden + j] } }
        }
    }
}
