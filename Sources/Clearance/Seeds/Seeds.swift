/// A short run of pitch steps that two lines must share exactly before they are compared
/// note by note. Steps (intervals in semitones) make a seed key-free; a seed holds no
/// rhythm, so tempo, augmentation and swing leave it unchanged.
///
/// Two families, one number space:
/// - a *step* seed: `stepLength` consecutive intervals (`stepLength` + 1 notes);
/// - a *turn* seed: `turnLength` intervals between consecutive turning points of the
///   melody (its highest and lowest notes between rises and falls). A passing note put
///   between two notes lies between them in pitch, so it adds no turning point: turn seeds
///   survive inserted passing notes that break every step seed around them.
///
/// Intervals are clamped to ±`largestInterval`, so a seed is an exact integer (no hash, no
/// collisions) below `seedCount`.
public struct Seed: Hashable, Sendable {
    public var value: Int32
    /// Index in the line of the note the seed starts on.
    public var position: Int32
}

public enum Seeds {
    public static let stepLength = 4
    public static let turnLength = 3
    static let largestInterval = 30
    static let alphabet = 2 * largestInterval + 1
    static let stepSeedCount = power(alphabet, stepLength)
    public static let seedCount = stepSeedCount + power(alphabet, turnLength)

    /// Every seed of a line, step seeds first.
    public static func seeds(of pitches: [UInt8]) -> [Seed] {
        stepSeeds(of: pitches) + turnSeeds(of: pitches)
    }

    /// The step seed starting at each note that has `stepLength` notes after it.
    public static func stepSeeds(of pitches: [UInt8]) -> [Seed] {
        guard pitches.count > stepLength else { return [] }
        return (0..<(pitches.count - stepLength)).map { start in
            var value = 0
            for offset in 0..<stepLength {
                value = value * alphabet + symbol(pitches[start + offset + 1], pitches[start + offset])
            }
            return Seed(value: Int32(value), position: Int32(start))
        }
    }

    /// Seeds over the turning points: the first note, each note where the melody changes
    /// direction (repeated notes neither rise nor fall), and the last note.
    public static func turnSeeds(of pitches: [UInt8]) -> [Seed] {
        let turns = turningPoints(of: pitches)
        guard turns.count > turnLength else { return [] }
        return (0..<(turns.count - turnLength)).map { start in
            var value = 0
            for offset in 0..<turnLength {
                value = value * alphabet + symbol(pitches[turns[start + offset + 1]], pitches[turns[start + offset]])
            }
            return Seed(value: Int32(stepSeedCount + value), position: Int32(turns[start]))
        }
    }

    /// Indices of the notes where the melody turns, counting a run of repeated notes once
    /// (at its first note).
    public static func turningPoints(of pitches: [UInt8]) -> [Int] {
        guard let first = pitches.indices.first else { return [] }
        var turns = [first]
        var direction = 0
        var runStart = first
        for index in pitches.indices.dropFirst() where pitches[index] != pitches[runStart] {
            let step = pitches[index] > pitches[runStart] ? 1 : -1
            if direction != 0 && step != direction { turns.append(runStart) }
            direction = step
            runStart = index
        }
        if runStart != turns.last { turns.append(runStart) }
        return turns
    }

    /// True for seeds made of turning points rather than consecutive notes.
    public static func isTurnSeed(_ value: Int32) -> Bool { Int(value) >= stepSeedCount }

    private static func symbol(_ later: UInt8, _ earlier: UInt8) -> Int {
        min(max(Int(later) - Int(earlier), -largestInterval), largestInterval) + largestInterval
    }

    private static func power(_ base: Int, _ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { product, _ in product * base }
    }
}
