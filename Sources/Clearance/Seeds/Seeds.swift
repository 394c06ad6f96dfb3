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
/// - a *phrase* seed: `phraseLength` consecutive intervals (`phraseLength` + 1 notes). A
///   quotation made of common material (every 5-note run of it held by many catalogue
///   pieces, so no step seed is followed) is still found by its longer runs, which few
///   pieces share.
///
/// Step and turn intervals are clamped to ±`largestInterval`, so those seeds are exact
/// integers (no hash, no collisions) below `seedCount`; phrase seeds are hashed above it
/// (a collision only adds a candidate that alignment then rejects).
public struct Seed: Hashable, Sendable {
    public var value: Int32
    /// Index in the line of the note the seed starts on.
    public var position: Int32
    /// Notes of the line from the first to the last the seed reads, both included.
    public var span: Int32
}

public enum Seeds {
    public static let stepLength = 4
    public static let turnLength = 3
    static let largestInterval = 30
    static let alphabet = 2 * largestInterval + 1
    static let stepSeedCount = power(alphabet, stepLength)
    public static let seedCount = stepSeedCount + power(alphabet, turnLength)
    public static let phraseLength = 7

    /// Every seed of a line: step seeds, turn seeds, phrase seeds.
    public static func seeds(of pitches: [UInt8]) -> [Seed] {
        stepSeeds(of: pitches) + turnSeeds(of: pitches) + phraseSeeds(of: pitches)
    }

    /// The phrase seed starting at each note that has `phraseLength` notes after it: FNV-1a
    /// over the clamped intervals, folded into the values above `seedCount`.
    public static func phraseSeeds(of pitches: [UInt8]) -> [Seed] {
        guard pitches.count > phraseLength else { return [] }
        let range = UInt64(Int32.max) - UInt64(seedCount)
        return (0..<(pitches.count - phraseLength)).map { start in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for offset in 0..<phraseLength {
                hash = (hash ^ UInt64(symbol(pitches[start + offset + 1], pitches[start + offset]))) &* 0x100_0000_01b3
            }
            return Seed(
                value: Int32(UInt64(seedCount) + hash % range), position: Int32(start), span: Int32(phraseLength + 1))
        }
    }

    /// The step seed starting at each note that has `stepLength` notes after it.
    public static func stepSeeds(of pitches: [UInt8]) -> [Seed] {
        guard pitches.count > stepLength else { return [] }
        return (0..<(pitches.count - stepLength)).map { start in
            var value = 0
            for offset in 0..<stepLength {
                value = value * alphabet + symbol(pitches[start + offset + 1], pitches[start + offset])
            }
            return Seed(value: Int32(value), position: Int32(start), span: Int32(stepLength + 1))
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
            return Seed(
                value: Int32(stepSeedCount + value), position: Int32(turns[start]),
                span: Int32(turns[start + turnLength] - turns[start] + 1))
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

    private static func symbol(_ later: UInt8, _ earlier: UInt8) -> Int {
        min(max(Int(later) - Int(earlier), -largestInterval), largestInterval) + largestInterval
    }

    private static func power(_ base: Int, _ exponent: Int) -> Int {
        (0..<exponent).reduce(1) { product, _ in product * base }
    }
}
