import Foundation
import Utilities

/// Softmax followed by the mean negative log-likelihood of the targets.
public enum CrossEntropy {
    /// Returns mean_n −log softmax(logits[n])[targets[n]] over logits (N, V), targets (N).
    /// When `dlogits` (N, V) is given it receives (softmax − onehot) / N: forward and backward
    /// fused in one pass over the logits. `dlogits` may be `logits` itself.
    public static func forwardBackward(
        logits: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>, dlogits: UnsafeMutablePointer<Float>?,
        rows: Int, vocabulary: Int
    ) -> Float {
        var rowLosses = [Float](repeating: 0, count: rows)
        let scale = 1 / Float(rows)
        rowLosses.withUnsafeMutableBufferPointer { losses in
            let losses = losses.baseAddress!
            Parallel.forRanges(rows, minimumPerChunk: max(1, 1 << 14 / max(vocabulary, 1))) { range in
                for row in range {
                    let line = logits + row * vocabulary
                    var maximum = -Float.infinity
                    for v in 0..<vocabulary { maximum = max(maximum, line[v]) }
                    let target = Int(targets[row])
                    let targetLogit = line[target]
                    let output = dlogits.map { $0 + row * vocabulary }
                    var sum = Lanes()
                    for v in stride(from: 0, to: vocabulary, by: 8) {
                        let e = FastMath.exp(line.lanes(at: v, count: vocabulary) - maximum)
                        sum += vocabulary - v >= 8 ? e : e.replacing(with: 0, where: lanesBeyond(vocabulary - v))
                        output?.store(e, at: v, count: vocabulary)
                    }
                    let total = sum.sum()
                    losses[row] = Foundation.log(total) - (targetLogit - maximum)
                    if let output {
                        let factor = scale / total
                        for v in stride(from: 0, to: vocabulary, by: 8) {
                            output.store(output.lanes(at: v, count: vocabulary) * factor, at: v, count: vocabulary)
                        }
                        output[target] -= scale
                    }
                }
            }
        }
        return rowLosses.reduce(0, +) * scale
    }

    /// Reference: explicit softmax with Foundation's exp, then loss, then gradient.
    public static func forwardBackwardReference(
        logits: UnsafePointer<Float>, targets: UnsafePointer<Int32>, dlogits: UnsafeMutablePointer<Float>?,
        rows: Int, vocabulary: Int
    ) -> Float {
        var loss: Double = 0
        for row in 0..<rows {
            let line = logits + row * vocabulary
            let maximum = (0..<vocabulary).map { line[$0] }.max()!
            let exps = (0..<vocabulary).map { Foundation.exp(Double(line[$0] - maximum)) }
            let total = exps.reduce(0, +)
            let target = Int(targets[row])
            loss -= Foundation.log(exps[target] / total)
            if let dlogits {
                for v in 0..<vocabulary {
                    let probability = exps[v] / total
                    dlogits[row * vocabulary + v] = Float((probability - (v == target ? 1 : 0)) / Double(rows))
                }
            }
        }
        return Float(loss / Double(rows))
    }
}
