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

    /// Each key's profile, already centred, with its norm, so a distribution is
    /// correlated with 24 dot products.
    private let centredProfiles: [(key: Key, weights: [Double], norm: Double)]

    public init(profile: KeyProfile = .named(.krumhansl)) {
        self.profile = profile
        centredProfiles = Key.all.map { key in
            let weights = profile.weights(for: key.mode)
            let mean = weights.reduce(0, +) / 12
            let rotated = (0..<12).map { pitchClass in weights[Pitch.pitchClass(of: pitchClass - key.tonic)] - mean }
            let norm = rotated.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return (key, rotated, norm)
        }
    }

    /// The 24 keys ranked by correlation; nil when the distribution is flat (no notes, or
    /// all twelve pitch classes equally present), since then no key fits better than another.
    public func estimate(_ distribution: [Double]) -> KeyEstimate? {
        precondition(distribution.count == 12, "a pitch-class distribution has 12 entries")
        let mean = distribution.reduce(0, +) / 12
        let centred = distribution.map { $0 - mean }
        let norm = centred.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 1e-12 * max(1, abs(mean)) else { return nil }
        var candidates = centredProfiles.map { profile in
            var dot = 0.0
            for index in 0..<12 { dot += profile.weights[index] * centred[index] }
            return KeyCandidate(key: profile.key, correlation: dot / (profile.norm * norm))
        }
        candidates.sort { $0.correlation > $1.correlation }
        return KeyEstimate(candidates: candidates)
    }
}
