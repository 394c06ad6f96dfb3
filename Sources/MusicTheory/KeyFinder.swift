/// One key's fit to a pitch-class distribution.
public struct KeyCandidate: Hashable, Sendable {
    public var key: Key
    /// Pearson correlation of the distribution with the key's rotated profile, −1…1.
    public var correlation: Double
}

/// The Krumhansl–Schmuckler result for one distribution.
public struct KeyEstimate: Hashable, Sendable {
    /// All 24 keys, best first.
    public var candidates: [KeyCandidate]

    public var best: KeyCandidate { candidates[0] }

    /// Gap between the best correlation and the runner-up's: near 0 means a close call.
    public var confidence: Double { candidates[0].correlation - candidates[1].correlation }
}

/// Krumhansl–Schmuckler key finding: correlate a pitch-class distribution with a
/// profile rotated to each of the 24 keys and keep the best fit.
public struct KeyFinder: Sendable {
    public var profile: KeyProfile

    /// The 24 rotated profiles, centred and divided by their norm, row after row in
    /// `Key.all` order, so a correlation is one dot product with the centred distribution.
    private let normalisedProfiles: [Double]

    public init(profile: KeyProfile = .named(.krumhansl)) {
        self.profile = profile
        var rows: [Double] = []
        for key in Key.all {
            let weights = profile.weights(for: key.mode)
            let mean = weights.reduce(0, +) / 12
            let rotated = (0..<12).map { pitchClass in weights[Pitch.pitchClass(of: pitchClass - key.tonic)] - mean }
            let norm = rotated.reduce(0) { $0 + $1 * $1 }.squareRoot()
            rows += rotated.map { $0 / norm }
        }
        normalisedProfiles = rows
    }

    /// `key`'s rotated profile, centred and of unit norm, by pitch class: the direction in which
    /// adding to a pitch class raises the distribution's correlation with `key`.
    public func normalisedProfile(of key: Key) -> [Double] {
        let row = Key.all.firstIndex(of: key)!
        return Array(normalisedProfiles[(row * 12)..<(row * 12 + 12)])
    }

    /// The 24 keys ranked by correlation; nil when the distribution is flat (no notes, or
    /// all twelve pitch classes equally present), since then no key fits better than another.
    public func estimate(_ distribution: [Double]) -> KeyEstimate? {
        guard let correlations = correlations(distribution) else { return nil }
        let candidates = zip(Key.all, correlations).map { KeyCandidate(key: $0, correlation: $1) }
        // Ties (rare) keep `Key.all` order, so results never depend on the sort.
        let ranked = candidates.indices.sorted { (-candidates[$0].correlation, $0) < (-candidates[$1].correlation, $1) }
        return KeyEstimate(candidates: ranked.map { candidates[$0] })
    }

    /// The best key and its gap to the runner-up, without ranking all 24: what windowed
    /// analysis needs for thousands of windows.
    public func best(_ distribution: [Double]) -> (candidate: KeyCandidate, confidence: Double)? {
        precondition(distribution.count == 12, "a pitch-class distribution has 12 entries")
        let mean = distribution.reduce(0, +) / 12
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 12) {
            centred -> (candidate: KeyCandidate, confidence: Double)? in
            var squares = 0.0
            for index in 0..<12 {
                centred[index] = distribution[index] - mean
                squares += centred[index] * centred[index]
            }
            let norm = squares.squareRoot()
            guard norm > 1e-12 * max(1, abs(mean)) else { return nil }
            return normalisedProfiles.withUnsafeBufferPointer { profiles in
                var best = 0, bestDot = -Double.infinity, runnerUpDot = -Double.infinity
                for row in 0..<24 {
                    var dot = 0.0
                    for index in 0..<12 { dot += profiles[row * 12 + index] * centred[index] }
                    if dot > bestDot {
                        runnerUpDot = bestDot
                        bestDot = dot
                        best = row
                    } else if dot > runnerUpDot {
                        runnerUpDot = dot
                    }
                }
                return (KeyCandidate(key: Key.all[best], correlation: bestDot / norm), (bestDot - runnerUpDot) / norm)
            }
        }
    }

    private func correlations(_ distribution: [Double]) -> [Double]? {
        precondition(distribution.count == 12, "a pitch-class distribution has 12 entries")
        let mean = distribution.reduce(0, +) / 12
        var centred = distribution
        var squares = 0.0
        for index in 0..<12 {
            centred[index] -= mean
            squares += centred[index] * centred[index]
        }
        let norm = squares.squareRoot()
        guard norm > 1e-12 * max(1, abs(mean)) else { return nil }
        return normalisedProfiles.withUnsafeBufferPointer { profiles in
            (0..<24).map { row in
                var dot = 0.0
                for index in 0..<12 { dot += profiles[row * 12 + index] * centred[index] }
                return dot / norm
            }
        }
    }
}
