import Foundation

/// What a shared passage is worth: each matched note earns the rarity, in the index, of the
/// rarest run of notes that covers it and that the alignment matched *whole* — in either
/// line, so a quotation with notes inserted into it is weighed by the source's runs it
/// reproduces, and one with notes left out by the query's. A run most indexed pieces hold
/// (a scale, an arpeggio, a repeated note) earns almost nothing; a run no other piece holds
/// earns 1; a matched note no whole run covers (a chance agreement of single notes) earns the
/// floor. This is the inverse document frequency of information retrieval, scaled to 0…1
/// between "one piece holds it" and "common" (`weight`), applied to the material the two
/// passages actually share.
///
/// A 5-note run (a step seed) earns only `shortRunShare` of its rarity, an 8-note run (a phrase
/// seed) all of it: two unrelated pieces of one idiom share some 5-note run no third piece
/// holds in most pairs (on the visible corpus the median unrelated pair scored 7.2 of a 12-note
/// quote's 12 when both lengths earned alike), while sharing an 8-note run no other piece holds
/// is rare by chance. A note earns the best of the runs covering it.
///
/// The score is that of the best stretch of the alignment under these weights (the costs of
/// differing and skipped notes between matched ones still paid), so two pieces are judged by
/// the rarest passage they share, not by the sum of everything they have in common.
public enum RarityWeights {
    /// Even the commonest run earns a little, so long shared passages still add up.
    public static let floor: Float = 0.05

    /// What a 5-note run earns of its rarity (an 8-note run earns all of it).
    public static let shortRunShare: Float = 0.25

    /// A run of one line whose notes the alignment matched, all of them: `key` is its seed
    /// (`Seeds.stepSeeds`, `Seeds.phraseSeeds`), and it covers the pairs `pairs` of the alignment.
    public struct SharedRun: Hashable, Sendable {
        public var key: SeedKey
        public var pairs: ClosedRange<Int>
        /// A phrase seed's run (8 notes), not a step seed's (5).
        public var isPhrase: Bool

        /// What the run earns a note it covers, from its rarity.
        func earning(rarity: Float) -> Float { isPhrase ? rarity : max(floor, rarity * shortRunShare) }
    }

    /// What a run is worth by how many catalogue pieces hold it: 1 when one piece does (or
    /// none), falling with the logarithm of the count to the floor at `commonCount`, the count
    /// above which matching calls a run common and does not follow it
    /// (`MatchSettings.commonSeedLimit`). Anchored there rather than at the catalogue's size, so
    /// material a few dozen pieces share (scales, arpeggios, an Alberti bass, a cadence formula)
    /// earns next to nothing, and a long passage of it cannot outscore a short rare quotation.
    public static func weight(documentFrequency: Int, commonCount: Int) -> Float {
        let common = Double(max(commonCount, 2))
        let rarity = log((common + 1) / Double(max(documentFrequency, 1) + 1)) / log((common + 1) / 2)
        return Float(min(1, max(Double(floor), rarity)))
    }

    /// The step and phrase seeds of both lines that lie wholly on matched notes.
    public static func sharedRuns(of alignment: LocalAlignment, query: [LineNote], source: [LineNote]) -> [SharedRun] {
        guard let first = alignment.pairs.first, let last = alignment.pairs.last else { return [] }
        return wholeRuns(of: source, matched: alignment.pairs.map(\.source), range: first.source...last.source)
            + wholeRuns(of: query, matched: alignment.pairs.map(\.query), range: first.query...last.query)
    }

    /// Seeds of `line[range]` whose every note is one of `matched` (ascending note indices, one
    /// per pair), with the pairs they cover.
    private static func wholeRuns(of line: [LineNote], matched: [Int], range: ClosedRange<Int>) -> [SharedRun] {
        var pairOfNote = [Int](repeating: -1, count: range.count)  // [range.count]
        for (pair, note) in matched.enumerated() { pairOfNote[note - range.lowerBound] = pair }
        let pitches = Array(line[range].map(\.pitch))
        let runs = Seeds.stepSeeds(of: pitches).map { ($0, false) } + Seeds.phraseSeeds(of: pitches).map { ($0, true) }
        return runs.compactMap { seed, isPhrase in
            let notes = Int(seed.position)..<Int(seed.position + seed.span)
            guard notes.allSatisfy({ pairOfNote[$0] >= 0 }) else { return nil }
            return SharedRun(
                key: seed.key, pairs: pairOfNote[notes.lowerBound]...pairOfNote[notes.upperBound - 1],
                isPhrase: isPhrase)
        }
    }

    /// The alignment scored by rarity: each pair earns the most a shared run covering it earns
    /// (`SharedRun.earning`; `floor` when none covers it), less its rhythm cost (`LocalAlignment.rhythmCost`);
    /// the stretch of pairs with the highest total, bridges between them paid, is the passage
    /// kept. Nil when nothing scores.
    public static func rescored(
        _ alignment: LocalAlignment, query: [LineNote], source: [LineNote], shared: [SharedRun],
        weight: (SeedKey) -> Float
    ) -> LocalAlignment? {
        let pairs = alignment.pairs
        var earned = [Float](repeating: floor, count: pairs.count)  // [pairs]
        // A run met again further along (an Alberti bass, a riff, a repeated bar) tells nothing new:
        // only its first occurrence earns, so two pieces sharing one figure many times score as
        // sharing it once.
        var firstPlace: [SeedKey: Int] = [:]
        for run in shared.sorted(by: { $0.pairs.lowerBound < $1.pairs.lowerBound }) {
            let first = firstPlace[run.key, default: run.pairs.lowerBound]
            firstPlace[run.key] = first
            guard first == run.pairs.lowerBound else { continue }
            let runWeight = run.earning(rarity: weight(run.key))
            for pair in run.pairs where runWeight > earned[pair] { earned[pair] = runWeight }
        }
        var best: (score: Float, start: Int, end: Int) = (0, 0, -1)
        var running: Float = 0, start = 0
        for (index, pair) in pairs.enumerated() {
            let gain = earned[index] - LocalAlignment.rhythmCost(pairs, index, query: query, source: source)
            if index == 0 || running - pair.bridge <= 0 {
                running = gain
                start = index
            } else {
                running += gain - pair.bridge
            }
            if running > best.score { best = (running, start, index) }
        }
        guard best.end >= best.start else { return nil }
        var kept = Array(pairs[best.start...best.end])
        kept[0].bridge = 0
        return LocalAlignment(score: best.score, pairs: kept, transposition: alignment.transposition)
    }
}
