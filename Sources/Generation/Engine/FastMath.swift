import Foundation

/// Eight lanes: one AVX register, the unit of every fused element-wise loop.
public typealias Lanes = SIMD8<Float>

/// Vectorised exp / tanh / sigmoid for the element-wise kernels. Foundation's versions
/// are scalar calls that stop the loops from vectorising; these agree with them to a few
/// ulp (see FastMathTests).
public enum FastMath {
    /// Cephes-style exp: 2^n · p(r) with r = x − n·ln2 split in two parts for accuracy.
    @inline(__always)
    public static func exp(_ input: Lanes) -> Lanes {
        let x = clamp(input, -87.3, 88.3)
        let n = (x * 1.44269504088896341 + 0.5).rounded(.down)
        var r = x - n * 0.693359375
        r = r + n * 2.12194440e-4
        var p = Lanes(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * (r * r) + r + 1
        // Adding 1.5·2^23 leaves the integer n in the low mantissa bits: a float-to-int
        // conversion without the generic (scalarised) SIMD initialiser.
        let shifted = unsafeBitCast(n + 12_582_912, to: SIMD8<Int32>.self) &- 0x4B40_0000
        return p * unsafeBitCast((shifted &+ 127) &<< 23, to: Lanes.self)
    }

    /// Eigen's rational approximation of tanh, exact to float precision once clamped to ±9.
    @inline(__always)
    public static func tanh(_ input: Lanes) -> Lanes {
        let x = clamp(input, -9, 9)
        let x2 = x * x
        var p = Lanes(repeating: -2.76076847742355e-16)
        p = p * x2 + 2.00018790482477e-13
        p = p * x2 + -8.60467152213735e-11
        p = p * x2 + 5.12229709037114e-08
        p = p * x2 + 1.48572235717979e-05
        p = p * x2 + 6.37261928875436e-04
        p = p * x2 + 4.89352455891786e-03
        p = p * x
        var q = Lanes(repeating: 1.19825839466702e-06)
        q = q * x2 + 1.18534705686654e-04
        q = q * x2 + 2.26843463243900e-03
        q = q * x2 + 4.89352518554385e-03
        return p / q
    }

    /// σ(x) = ½ + ½·tanh(x/2): no overflow for large |x| and the same accuracy as tanh.
    @inline(__always)
    public static func sigmoid(_ x: Lanes) -> Lanes {
        0.5 + 0.5 * tanh(0.5 * x)
    }

    /// Comparison and select: the generic `clamped` is not vectorised.
    @inline(__always)
    static func clamp(_ x: Lanes, _ lower: Float, _ upper: Float) -> Lanes {
        let capped = x.replacing(with: upper, where: x .> upper)
        return capped.replacing(with: lower, where: capped .< lower)
    }

    @inline(__always) public static func exp(_ x: Float) -> Float { exp(Lanes(repeating: x))[0] }
    @inline(__always) public static func tanh(_ x: Float) -> Float { tanh(Lanes(repeating: x))[0] }
    @inline(__always) public static func sigmoid(_ x: Float) -> Float { sigmoid(Lanes(repeating: x))[0] }
}

/// Loads and stores of up to eight Floats, so one loop body handles the ragged tail too;
/// lanes past `count` load as zero.
extension UnsafePointer where Pointee == Float {
    @inline(__always)
    func lanes(at index: Int, count: Int) -> Lanes {
        if index + 8 <= count { return UnsafeRawPointer(self + index).loadUnaligned(as: Lanes.self) }
        var result = Lanes()
        for lane in 0..<(count - index) { result[lane] = self[index + lane] }
        return result
    }
}

extension UnsafeMutablePointer where Pointee == Float {
    @inline(__always)
    func lanes(at index: Int, count: Int) -> Lanes { UnsafePointer(self).lanes(at: index, count: count) }

    @inline(__always)
    func store(_ value: Lanes, at index: Int, count: Int) {
        if index + 8 <= count {
            UnsafeMutableRawPointer(self + index).storeBytes(of: value, as: Lanes.self)
            return
        }
        for lane in 0..<(count - index) { self[index + lane] = value[lane] }
    }
}
