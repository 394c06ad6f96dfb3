/// A short run of pitch steps that two lines must share exactly before they are compared
/// note by note. Steps (intervals in semitones) make a seed key-free; a seed holds no
/// rhythm, so tempo, augmentation and swing leave it unchanged.
///
/// Four families, one number space:
/// - a *step* seed: `stepLength` consecutive intervals (`stepLength` + 1 notes);
/// - a *turn* seed: `turnLength` intervals between consecutive turning points of the
///   melody (its highest and lowest notes between rises and falls). A passing note put
///   between two notes lies between them in pitch, so it adds no turning point: turn seeds
///   survive inserted passing notes that break every step seed around them;
/// - a *phrase* seed: `phraseLength` consecutive intervals (`phraseLength` + 1 notes). A
///   quotation made of common material (every 5-note run of it held by many catalogue
///   pieces, so no step seed is followed) is still found by its longer runs, which few
///   pieces share;
/// - a *long turn* seed: `longTurnLength` intervals between turning points, the phrase
///   seed of a filled-in quotation.
///
/// Step and turn intervals are clamped to ±`largestInterval`, so those seeds are exact
/// integers (no hash, no collisions) below `seedCount`; the longer families are hashed above it
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

    /// Intervals between turning points in a long turn seed.
    public static let longTurnLength = 5

    /// Every seed of a line: step seeds, turn seeds, phrase seeds, long turn seeds.
    public static func seeds(of pitches: [UInt8]) -> [Seed] {
        // The turning points found once for both families over them.
        let turns = turningPoints(of: pitches)
        var seeds: [Seed] = []
        seeds.reserveCapacity(2 * pitches.count + 2 * turns.count)
        seeds += stepSeeds(of: pitches)
        seeds += turnSeeds(of: pitches, through: turns)
        seeds += phraseSeeds(of: pitches)
        seeds += hashedSeeds(of: pitches, through: turns, intervals: longTurnLength, family: 2)
        return seeds
    }

    /// The phrase seed starting at each note that has `phraseLength` notes after it.
    public static func phraseSeeds(of pitches: [UInt8]) -> [Seed] {
        hashedSeeds(of: pitches, through: Array(pitches.indices), intervals: phraseLength, family: 1)
    }

    /// The phrase seed over the notes at `points` (`phraseLength` + 1 of them, not always
    /// consecutive in `pitches`: a path through a piece's notes, `LegatoPaths`).
    public static func phraseSeed(of pitches: [UInt8], through points: [Int]) -> Seed {
        hashedSeed(of: pitches, through: points, intervals: phraseLength, family: 1)
    }

    /// Turn seeds over `longTurnLength` intervals: rarer than turn seeds, so a quotation
    /// filled in with passing notes is still followed where its short turn seeds are common.
    public static func longTurnSeeds(of pitches: [UInt8]) -> [Seed] {
        hashedSeeds(of: pitches, through: turningPoints(of: pitches), intervals: longTurnLength, family: 2)
    }

    /// Seeds over `intervals` consecutive steps between the notes at `points`: FNV-1a over
    /// the clamped intervals and the family, folded into the values above `seedCount`.
    private static func hashedSeeds(of pitches: [UInt8], through points: [Int], intervals: Int, family: UInt64)
        -> [Seed]
    {
        guard points.count > intervals else { return [] }
        return (0..<(points.count - intervals)).map { start in
            hashedSeed(of: pitches, through: points, from: start, intervals: intervals, family: family)
        }
    }

    /// The hashed seed over `intervals` steps between the notes at `points[start...]`.
    private static func hashedSeed(
        of pitches: [UInt8], through points: [Int], from start: Int = 0, intervals: Int, family: UInt64
    ) -> Seed {
        let range = UInt64(Int32.max) - UInt64(seedCount)
        var hash: UInt64 = (0xcbf2_9ce4_8422_2325 ^ family) &* 0x100_0000_01b3
        for offset in 0..<intervals {
            let step = symbol(pitches[points[start + offset + 1]], pitches[points[start + offset]])
            hash = (hash ^ UInt64(step)) &* 0x100_0000_01b3
        }
        return Seed(
            value: Int32(UInt64(seedCount) + hash % range), position: Int32(points[start]),
            span: Int32(points[start + intervals] - points[start] + 1))
    }

    /// Most seeds a query note starts with passing notes left out (`ornamentSkippingSeeds`).
    static let largestSkippingVariants = 16

    /// The step and phrase seeds a quotation had before passing notes were inserted into it:
    /// seeds over runs of the line that leave out notes lying strictly between their
    /// neighbours where those neighbours are a leap apart (a third or more: the leap a passing
    /// note fills), each run leaving out at least one such note and no two in a row. For the
    /// query side only: the catalogue's own seeds are the ordinary ones, and a catalogue
    /// piece that holds the unornamented quotation holds these.
    public static func ornamentSkippingSeeds(of pitches: [UInt8]) -> [Seed] {
        func skippable(_ note: Int) -> Bool {
            guard note > 0, note + 1 < pitches.count else { return false }
            let before = Int(pitches[note - 1]), after = Int(pitches[note + 1]), pitch = Int(pitches[note])
            return abs(after - before) >= 3 && min(before, after) < pitch && pitch < max(before, after)
        }
        var seeds: [Seed] = []
        // Runs from each note are explored depth first, leaving out the next note before taking
        // it; a run of `stepLength` + 1 notes is finished before its longer runs are explored, and
        // the first `largestSkippingVariants` finished runs (with or without a note left out)
        // are all a note starts.
        var run = [Int](repeating: 0, count: phraseLength + 1)  // [phraseLength + 1] the run explored
        var pending: [(length: Int, note: Int)] = []  // [≤ 2 × phraseLength] runs still to explore, by last note
        for start in pitches.indices {
            pending.append((1, start))
            var finished = 0
            while let (length, note) = pending.popLast() {
                guard finished < largestSkippingVariants else {
                    pending.removeAll(keepingCapacity: true)
                    break
                }
                run[length - 1] = note
                let leavesOut = note - start + 1 > length
                if length == phraseLength + 1 {
                    finished += 1
                    if leavesOut {
                        seeds.append(hashedSeed(of: pitches, through: run, intervals: phraseLength, family: 1))
                    }
                    continue
                }
                if note + 1 < pitches.count { pending.append((length + 1, note + 1)) }
                if note + 2 < pitches.count && skippable(note + 1) { pending.append((length + 1, note + 2)) }
                if length == stepLength + 1 {
                    finished += 1
                    if leavesOut { seeds.append(stepSeed(of: pitches, through: run)) }
                }
            }
        }
        return seeds
    }

    /// The step seed over the notes at `points` (`stepLength` + 1 of them, not always
    /// consecutive: `stepSeeds` is the consecutive case, written out for the index's speed).
    private static func stepSeed(of pitches: [UInt8], through points: [Int]) -> Seed {
        var value = 0
        for offset in 0..<stepLength {
            value = value * alphabet + symbol(pitches[points[offset + 1]], pitches[points[offset]])
        }
        return Seed(value: Int32(value), position: Int32(points[0]), span: Int32(points[stepLength] - points[0] + 1))
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
        turnSeeds(of: pitches, through: turningPoints(of: pitches))
    }

    private static func turnSeeds(of pitches: [UInt8], through turns: [Int]) -> [Seed] {
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
