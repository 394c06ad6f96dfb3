import Foundation
import Utilities

/// AdamW exactly as torch.optim.AdamW: decoupled weight decay, bias-corrected moments.
public struct AdamW: Sendable, Codable, Equatable {
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var weightDecay: Float = 0.01

    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// One update of params (N) from grads (N), moments m, v (N); `step` counts from 1.
    /// `decay` false skips weight decay (biases, gains).
    public func update(
        params: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>,
        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
        count: Int, learningRate: Float, step: Int, decay: Bool = true
    ) {
        let correction1 = 1 - Foundation.pow(beta1, Float(step))
        let correction2 = 1 - Foundation.pow(beta2, Float(step))
        let shrink = decay ? 1 - learningRate * weightDecay : 1
        let stepSize = learningRate / correction1
        let rootCorrection2 = correction2.squareRoot()
        let beta1 = beta1, beta2 = beta2, epsilon = epsilon
        Parallel.forRanges(count, minimumPerChunk: 1 << 15) { range in
            let end = range.upperBound
            for j in stride(from: range.lowerBound, to: end, by: 8) {
                let gradient = grads.lanes(at: j, count: end)
                let first = beta1 * m.lanes(at: j, count: end) + (1 - beta1) * gradient
                let second = beta2 * v.lanes(at: j, count: end) + (1 - beta2) * gradient * gradient
                let denominator = second.squareRoot() / rootCorrection2 + epsilon
                params.store(
                    params.lanes(at: j, count: end) * shrink - stepSize * first / denominator, at: j, count: end)
                m.store(first, at: j, count: end)
                v.store(second, at: j, count: end)
            }
        }
    }

    /// Reference: one scalar at a time in Double, written the way the PyTorch docs state it.
    public func updateReference(
        params: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>,
        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
        count: Int, learningRate: Float, step: Int, decay: Bool = true
    ) {
        let lr = Double(learningRate), b1 = Double(beta1), b2 = Double(beta2)
        for j in 0..<count {
            var p = Double(params[j])
            if decay { p -= lr * Double(weightDecay) * p }
            let first = b1 * Double(m[j]) + (1 - b1) * Double(grads[j])
            let second = b2 * Double(v[j]) + (1 - b2) * Double(grads[j]) * Double(grads[j])
            let mHat = first / (1 - Foundation.pow(b1, Double(step)))
            let vHat = second / (1 - Foundation.pow(b2, Double(step)))
            p -= lr * mHat / (vHat.squareRoot() + Double(epsilon))
            params[j] = Float(p)
            m[j] = Float(first)
            v[j] = Float(second)
        }
    }
}

/// Scales all gradients down together when their global L2 norm exceeds `maximum`.
public enum GradientClipping {
    /// Returns the norm before clipping.
    @discardableResult
    public static func clip(_ grads: UnsafeMutablePointer<Float>, count: Int, maximum: Float) -> Float {
        var partials = [Double](repeating: 0, count: Parallel.cores)
        let chunkCount = partials.count
        partials.withUnsafeMutableBufferPointer { partials in
            let sums = partials.baseAddress!
            Parallel.forEach(chunkCount) { chunk in
                let start = count * chunk / chunkCount, end = count * (chunk + 1) / chunkCount
                var sum = Lanes()
                var total: Double = 0
                var j = start
                while j < end {
                    let stop = min(end, j + 4096)
                    while j < stop {
                        let g = grads.lanes(at: j, count: stop)
                        sum += g * g
                        j += 8
                    }
                    j = stop
                    total += Double(sum.sum())
                    sum = Lanes()
                }
                sums[chunk] = total
            }
        }
        let norm = Float(partials.reduce(0, +).squareRoot())
        if norm > maximum {
            let factor = maximum / (norm + 1e-6)
            for j in 0..<count { grads[j] *= factor }
        }
        return norm
    }
}

/// Linear warm-up to the peak rate, then a cosine decay to `minimum` at `totalSteps`.
public struct LearningRateSchedule: Sendable, Codable, Equatable {
    public var peak: Float
    public var minimum: Float
    public var warmupSteps: Int
    public var totalSteps: Int

    public init(peak: Float, minimum: Float, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak
        self.minimum = minimum
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The warm-up's share of a run's steps. A fixed count (the anchors' 200) is a fifth of a
    /// 1,000-step run, which is what a 10-minute budget at a 512-token context affords here.
    public static let warmupShare = 0.05

    /// A schedule whose warm-up is `warmupShare` of `totalSteps` (at least one step).
    public init(peak: Float, minimum: Float, totalSteps: Int) {
        self.init(peak: peak, minimum: minimum, warmupSteps: 0, totalSteps: totalSteps)
        fit(totalSteps: totalSteps, after: 0)
    }

    /// Sets the run's length once it is known (a time budget's, after its first steps are
    /// timed) and the warm-up to its share of it; a warm-up already past stays finished.
    public mutating func fit(totalSteps: Int, after step: Int) {
        self.totalSteps = totalSteps
        warmupSteps = max(1, step, Int(Self.warmupShare * Double(totalSteps)))
    }

    /// Moves the decay's end to `totalSteps` once the run's pace changes at `step` (a context
    /// curriculum's switch to longer, slower steps), keeping the rate there: a warm-up still
    /// running is fitted as in `fit`; a decay under way keeps its progress and spreads the rest
    /// of its cosine over the steps left. `warmupSteps` then marks where that rescaled decay
    /// would have begun, which can lie before the step the warm-up really ended.
    public mutating func refit(totalSteps newTotal: Int, at step: Int) {
        if step <= warmupSteps { return fit(totalSteps: newTotal, after: step) }
        // A decay that has reached its end, or a new end already passed, leaves nothing to spread.
        guard step < totalSteps, newTotal > step else { return }
        let progress = Double(step - warmupSteps) / Double(totalSteps - warmupSteps)
        warmupSteps = Int(((Double(step) - progress * Double(newTotal)) / (1 - progress)).rounded())
        totalSteps = newTotal
    }

    /// The rate for `step`, counting from 1.
    public func rate(at step: Int) -> Float {
        if step <= warmupSteps { return peak * Float(step) / Float(max(warmupSteps, 1)) }
        if step >= totalSteps { return minimum }
        let progress = Float(step - warmupSteps) / Float(max(totalSteps - warmupSteps, 1))
        return minimum + 0.5 * (peak - minimum) * (1 + Foundation.cos(Float.pi * progress))
    }
}
