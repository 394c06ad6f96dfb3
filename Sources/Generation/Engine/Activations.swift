import Foundation
import Utilities

/// GELU in its tanh form: ½u(1 + tanh(√(2/π)(u + 0.044715u³))).
public enum GELU {
    static let scale: Float = (2 / Float.pi).squareRoot()

    /// out (N) = gelu(inp (N)).
    public static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
        Parallel.forRanges(count, minimumPerChunk: 1 << 15) { range in
            for j in stride(from: range.lowerBound, to: range.upperBound, by: 8) {
                let u = inp.lanes(at: j, count: range.upperBound)
                let cube: Lanes = u * u * u
                let t = FastMath.tanh(scale * (u + 0.044715 * cube))
                let half: Lanes = 0.5 * u
                out.store(half * (1 + t), at: j, count: range.upperBound)
            }
        }
    }

    /// dinp (N) = gelu′(inp) · dout: the MLP input has no other consumer, so no accumulation.
    public static func backward(
        dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, dout: UnsafePointer<Float>, count: Int
    ) {
        Parallel.forRanges(count, minimumPerChunk: 1 << 15) { range in
            for j in stride(from: range.lowerBound, to: range.upperBound, by: 8) {
                let u = inp.lanes(at: j, count: range.upperBound)
                let square: Lanes = u * u
                let t = FastMath.tanh(scale * (u + 0.044715 * square * u))
                let sech2: Lanes = 1 - t * t
                let inner: Lanes = scale * (1 + 0.134145 * square)
                let derivative: Lanes = 0.5 * (1 + t) + 0.5 * u * sech2 * inner
                dinp.store(derivative * dout.lanes(at: j, count: range.upperBound), at: j, count: range.upperBound)
            }
        }
    }

    public static func forwardReference(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
        for j in 0..<count {
            let u = Double(inp[j])
            out[j] = Float(0.5 * u * (1 + Foundation.tanh(Double(scale) * (u + 0.044715 * u * u * u))))
        }
    }

    public static func backwardReference(
        dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, dout: UnsafePointer<Float>, count: Int
    ) {
        for j in 0..<count {
            let u = Double(inp[j]), s = Double(scale)
            let t = Foundation.tanh(s * (u + 0.044715 * u * u * u))
            let derivative = 0.5 * (1 + t) + 0.5 * u * (1 - t * t) * s * (1 + 3 * 0.044715 * u * u)
            dinp[j] = Float(derivative) * dout[j]
        }
    }
}

/// max(0, x).
public enum ReLU {
    /// out (N) = max(0, inp (N)); may run in place.
    public static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int) {
        for j in 0..<count { out[j] = max(0, inp[j]) }
    }

    /// dinp (N) += dout where the output was positive; `out` is the forward result.
    public static func backward(
        dinp: UnsafeMutablePointer<Float>, out: UnsafePointer<Float>, dout: UnsafePointer<Float>, count: Int
    ) {
        for j in 0..<count where out[j] > 0 { dinp[j] += dout[j] }
    }
}

/// Inverted dropout: zero each element with probability p, scale survivors by 1/(1−p).
public enum Dropout {
    /// out (N) = inp · mask; mask (N) ∈ {0, 1/(1−p)} is drawn from `random` and saved for backward.
    public static func forward(
        out: UnsafeMutablePointer<Float>, mask: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>,
        count: Int, probability: Float, random: inout SeededRandom
    ) {
        let keep = 1 / (1 - probability)
        for j in 0..<count {
            mask[j] = random.nextUnitFloat() < probability ? 0 : keep
            out[j] = inp[j] * mask[j]
        }
    }

    /// dinp (N) += dout · mask.
    public static func backward(
        dinp: UnsafeMutablePointer<Float>, mask: UnsafePointer<Float>, dout: UnsafePointer<Float>, count: Int
    ) {
        for j in 0..<count { dinp[j] += dout[j] * mask[j] }
    }
}
