import Foundation

/// How much catalogue pieces share with *other* works in the same catalogue: for each
/// sampled piece, the score of its best match among pieces of different works. A match's
/// percentile is its place among these scores, so "copy at the 99.9th percentile" means
/// "shares more than 999 in 1,000 catalogue pieces share with their closest unrelated piece".
///
/// Best match rather than every pair: a query is always judged by its best match over the
/// whole catalogue, and the best of many pairs is higher than a typical pair, so pair
/// percentiles would flag more pieces by chance the larger the catalogue grows.
public struct Baseline: Hashable, Sendable {
    /// Ascending.
    public let scores: [Float]
    /// Pieces in the index when the baseline was measured.
    public let pieceCount: Int

    public init(scores: [Float], pieceCount: Int) {
        self.scores = scores.sorted()
        self.pieceCount = pieceCount
    }

    /// Percent of baseline scores strictly below `score`, 0…100.
    public func percentile(of score: Float) -> Double {
        guard !scores.isEmpty else { return 0 }
        var low = 0, high = scores.count
        while low < high {
            let middle = (low + high) / 2
            if scores[middle] < score { low = middle + 1 } else { high = middle }
        }
        return 100 * Double(low) / Double(scores.count)
    }

    /// The score at a percentile (nearest rank), for charts and explanations.
    public func score(atPercentile percentile: Double) -> Float {
        guard !scores.isEmpty else { return 0 }
        let rank = Int((percentile / 100 * Double(scores.count)).rounded(.up)) - 1
        return scores[min(max(rank, 0), scores.count - 1)]
    }

    var encodedScores: Data {
        var bytes: [UInt8] = []
        for score in scores { withUnsafeBytes(of: score.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        return Data(bytes)
    }

    init?(pieceCount: Int, encodedScores: Data) {
        guard encodedScores.count % 4 == 0 else { return nil }
        let scores = encodedScores.withUnsafeBytes { raw in
            stride(from: 0, to: raw.count, by: 4).map {
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0, as: UInt32.self)))
            }
        }
        self.init(scores: scores, pieceCount: pieceCount)
    }
}

/// `clear`, `review` or `copy`, from the best match's percentile.
public enum Verdict: String, Hashable, Sendable, Codable, CaseIterable {
    case clear, review, copy
}

/// Percentiles at which a best match calls for a person's review, or counts as a copy.
public struct VerdictThresholds: Hashable, Sendable, Codable {
    public var review: Double
    public var copy: Double

    /// Review above 99 in 100 unrelated catalogue pieces; copy above 999 in 1,000 (README).
    public init(review: Double = 99, copy: Double = 99.9) {
        self.review = review
        self.copy = copy
    }

    public func verdict(percentile: Double?) -> Verdict {
        guard let percentile else { return .clear }
        if percentile >= copy { return .copy }
        return percentile >= review ? .review : .clear
    }
}
