import Foundation
import Utilities

/// Rotary position embedding (RoFormer, Su et al. 2021): channel pair (2i, 2i+1) of each
/// head's query and key is turned by the angle position · 10000^(−2i/hs). A rotation keeps
/// dot products, so a score q_m·k_n depends on the positions only through m − n: the same
/// weights serve any position, past the training context too. With an odd head size the
/// last channel is left as it is. Values are untouched.
public struct Rotary: Sendable {
    public static let base = 10_000.0
    public let time: Int, channels: Int, heads: Int
    /// cos and sin of every angle, (T, hs/2) each, for positions 0..<T.
    private let cosines: [Float], sines: [Float]

    public init(time: Int, channels: Int, heads: Int) {
        self.time = time
        self.channels = channels
        self.heads = heads
        let pairs = channels / heads / 2
        var cosines = [Float](repeating: 0, count: time * pairs), sines = cosines
        for position in 0..<time {
            for pair in 0..<pairs {
                (cosines[position * pairs + pair], sines[position * pairs + pair]) =
                    Self.turn(position: position, pair: pair, headSize: channels / heads)
            }
        }
        self.cosines = cosines
        self.sines = sines
    }

    var headSize: Int { channels / heads }
    var pairs: Int { headSize / 2 }

    /// cos and sin of pair `pair`'s angle at `position`, in Double so that far positions keep
    /// their precision; the training table and the one-token decoder both use this.
    @inline(__always)
    static func turn(position: Int, pair: Int, headSize: Int) -> (cos: Float, sin: Float) {
        let angle = Double(position) * Foundation.pow(base, -2 * Double(pair) / Double(headSize))
        return (Float(Foundation.cos(angle)), Float(Foundation.sin(angle)))
    }

    /// qkv (B, T, 3C), rows ordered (b, t): turns q and k in place, row t by angle t.
    public func forward(qkv: UnsafeMutablePointer<Float>, batch: Int) {
        turn(qkv, batch: batch, direction: 1)
    }

    /// dqkv (B, T, 3C): turns the q and k gradients back in place. A rotation's transpose is
    /// its inverse, so backward is forward with the angles negated.
    public func backward(dqkv: UnsafeMutablePointer<Float>, batch: Int) {
        turn(dqkv, batch: batch, direction: -1)
    }

    private func turn(_ qkv: UnsafeMutablePointer<Float>, batch: Int, direction: Float) {
        let c = channels, pairs = pairs, hs = headSize, heads = heads, t = time
        cosines.withUnsafeBufferPointer { cosines in
            sines.withUnsafeBufferPointer { sines in
                let table = UncheckedSendable((cosines.baseAddress!, sines.baseAddress!))
                Parallel.forRanges(batch * t, minimumPerChunk: max(1, 1 << 13 / c)) { rows in
                    let (cosines, sines) = table.value
                    for row in rows {
                        let cosRow = cosines + (row % t) * pairs, sinRow = sines + (row % t) * pairs
                        for head in 0..<(2 * heads) {
                            // Heads 0..<NH are the queries, NH..<2NH the keys: both follow each other in the row.
                            Self.turnPairs(
                                qkv + row * 3 * c + head * hs, cos: cosRow, sin: sinRow, pairs: pairs,
                                direction: direction)
                        }
                    }
                }
            }
        }
    }

    /// One (3C) row at any `position`: turns its q and k in place. cos and sin (hs/2) are scratch.
    public static func forward(
        row: UnsafeMutablePointer<Float>, position: Int, channels: Int, heads: Int,
        cos: UnsafeMutablePointer<Float>, sin: UnsafeMutablePointer<Float>
    ) {
        let hs = channels / heads
        for pair in 0..<(hs / 2) { (cos[pair], sin[pair]) = turn(position: position, pair: pair, headSize: hs) }
        for head in 0..<(2 * heads) {
            turnPairs(row + head * hs, cos: cos, sin: sin, pairs: hs / 2, direction: 1)
        }
    }

    /// (x₀, x₁) ← (x₀·cos − x₁·sin, x₀·sin + x₁·cos), sin negated when `direction` is −1.
    @inline(__always)
    private static func turnPairs(
        _ x: UnsafeMutablePointer<Float>, cos: UnsafePointer<Float>, sin: UnsafePointer<Float>,
        pairs: Int, direction: Float
    ) {
        for pair in 0..<pairs {
            let first = x[2 * pair], second = x[2 * pair + 1]
            let c = cos[pair], s = direction * sin[pair]
            x[2 * pair] = first * c - second * s
            x[2 * pair + 1] = first * s + second * c
        }
    }

    /// Reference: each head vector times its explicit 2×2 block rotation matrix, in Double,
    /// the angles recomputed from their definition.
    public func forwardReference(qkv: UnsafeMutablePointer<Float>, batch: Int) {
        let c = channels, hs = headSize
        for row in 0..<(batch * time) {
            let position = Double(row % time)
            for part in 0..<2 {
                for head in 0..<heads {
                    let x = qkv + row * 3 * c + part * c + head * hs
                    let input = (0..<hs).map { Double(x[$0]) }
                    for i in 0..<hs {
                        var value = 0.0
                        for j in 0..<hs {
                            value += Self.rotationEntry(i, j, position: position, headSize: hs) * input[j]
                        }
                        x[i] = Float(value)
                    }
                }
            }
        }
    }

    /// Entry (i, j) of the block-diagonal rotation of one head at `position`.
    static func rotationEntry(_ i: Int, _ j: Int, position: Double, headSize: Int) -> Double {
        let pair = i / 2
        guard j / 2 == pair, pair < headSize / 2 else { return i == j ? 1 : 0 }
        let angle = position / Foundation.pow(base, Double(2 * pair) / Double(headSize))
        switch (i % 2, j % 2) {
        case (0, 0), (1, 1): return Foundation.cos(angle)
        case (0, 1): return -Foundation.sin(angle)
        default: return Foundation.sin(angle)
        }
    }
}
