import Foundation
import Utilities

/// LayerNorm over the last axis with biased variance and ε = 1e-5, as PyTorch.
public enum LayerNorm {
    public static let epsilon: Float = 1e-5

    /// out (N, C) = (inp − mean) · rstd · gain + bias; saves mean (N) and rstd (N).
    public static func forward(
        out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>,
        inp: UnsafePointer<Float>, gain: UnsafePointer<Float>, bias: UnsafePointer<Float>, rows: Int, channels: Int
    ) {
        let c = channels
        Parallel.forRanges(rows, minimumPerChunk: max(1, 1 << 14 / c)) { range in
            for row in range {
                let x = inp + row * c, y = out + row * c
                var sum = Lanes()
                for j in stride(from: 0, to: c, by: 8) { sum += x.lanes(at: j, count: c) }
                let m = sum.sum() / Float(c)
                var squares = Lanes()
                for j in stride(from: 0, to: c, by: 8) {
                    let centred = x.lanes(at: j, count: c) - m
                    squares +=
                        c - j >= 8
                        ? centred * centred : (centred * centred).replacing(with: 0, where: lanesBeyond(c - j))
                }
                let s = 1 / (squares.sum() / Float(c) + epsilon).squareRoot()
                for j in stride(from: 0, to: c, by: 8) {
                    let normalised = (x.lanes(at: j, count: c) - m) * s
                    y.store(normalised * gain.lanes(at: j, count: c) + bias.lanes(at: j, count: c), at: j, count: c)
                }
                mean[row] = m
                rstd[row] = s
            }
        }
    }

    /// Accumulates dinp (N, C), dgain (C), dbias (C) from dout (N, C).
    public static func backward(
        dinp: UnsafeMutablePointer<Float>, dgain: UnsafeMutablePointer<Float>, dbias: UnsafeMutablePointer<Float>,
        dout: UnsafePointer<Float>, inp: UnsafePointer<Float>, gain: UnsafePointer<Float>,
        mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>, rows: Int, channels: Int
    ) {
        let c = channels
        Parallel.forRanges(rows, minimumPerChunk: max(1, 1 << 14 / c)) { range in
            for row in range {
                let x = inp + row * c
                let g = dout + row * c, dx = dinp + row * c
                let m = mean[row], s = rstd[row]
                var meanGradient = Lanes(), meanGradientNormalised = Lanes()
                for j in stride(from: 0, to: c, by: 8) {
                    let normalised = (x.lanes(at: j, count: c) - m) * s
                    let gradient = gain.lanes(at: j, count: c) * g.lanes(at: j, count: c)
                    meanGradient += gradient
                    meanGradientNormalised += gradient * normalised  // gradient is zero in tail padding
                }
                let a = meanGradient.sum() / Float(c), b = meanGradientNormalised.sum() / Float(c)
                for j in stride(from: 0, to: c, by: 8) {
                    let normalised = (x.lanes(at: j, count: c) - m) * s
                    let gradient = gain.lanes(at: j, count: c) * g.lanes(at: j, count: c)
                    dx.store(dx.lanes(at: j, count: c) + (gradient - a - normalised * b) * s, at: j, count: c)
                }
            }
        }
        Parallel.forRanges(c, minimumPerChunk: rows * c >= 1 << 16 ? 32 : Int.max) { range in
            for row in 0..<rows {
                let x = inp + row * c, g = dout + row * c
                let m = mean[row], s = rstd[row]
                for j in range {
                    dbias[j] += g[j]
                    dgain[j] += (x[j] - m) * s * g[j]
                }
            }
        }
    }

    public static func forwardReference(
        out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, gain: UnsafePointer<Float>,
        bias: UnsafePointer<Float>, rows: Int, channels: Int
    ) {
        for row in 0..<rows {
            let x = (0..<channels).map { Double(inp[row * channels + $0]) }
            let m = x.reduce(0, +) / Double(channels)
            let variance = x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(channels)
            let s = 1 / (variance + Double(epsilon)).squareRoot()
            for j in 0..<channels { out[row * channels + j] = Float((x[j] - m) * s) * gain[j] + bias[j] }
        }
    }
}

/// True for lanes at or past `valid`: the padding of a ragged tail, excluded from sums.
@inline(__always)
func lanesBeyond(_ valid: Int) -> SIMDMask<SIMD8<Int32>> {
    SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) .>= Int32(clamping: valid)
}
