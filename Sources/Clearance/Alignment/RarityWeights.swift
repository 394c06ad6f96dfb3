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
/// Rarity alone over-rates an 8-note run: in a catalogue of hundreds of pieces nearly every
/// 8-note run is held by one piece only, including runs of plain material (repeated notes
/// with one leap, a trill-like oscillation) that unrelated pieces of one idiom share all the
/// time (on the visible corpus the median unrelated pair scored 7.2 of a 12-note quote's 12,
/// on such runs). So a run also earns by how telling its parts are: a phrase run's rarity is
/// scaled by the mean `typicality` of the four 5-note runs inside it (how few of the whole
/// catalogue's pieces hold each: a run most pieces hold tells nothing, however rare the longer
/// run it sits in). A 5-note run, itself shared by chance far more often than an 8-note one,
/// earns `shortRunShare` of its rarity times its own typicality. A note earns the best of the
/// runs covering it.
///
/// Rarity weighs the pitches only, and in a catalogue of hundreds most 5-note figures are held
/// by a hundred pieces, so a quotation of ordinary melodic material earned 0.2–0.3 a note,
/// what two pieces of one idiom share by chance. What chance rarely gives is the *way* a
/// quotation is shared: note after note without a wrong or foreign note between them, in the
/// same rhythm up to a change of tempo. A run of matched notes that reads so (`quotationNotes`)
/// earns `quotationBonus` more a note once it holds `quotationRunLength` notes that are not
/// repeats of its own earlier figures (an Alberti bass or a trill repeated for a bar is one
/// figure, however long). On the visible corpus, unrelated pairs rarely share such a run of
/// more than a few notes, while a 12-note quotation under any single transformation but a move
/// to an inner voice keeps most of its notes in one.
///
/// What chance does give, read pair by pair in the unplanted tail of the planted-copy benchmark,
/// is accompaniment figuration moving through the same harmonies: Alberti basses, broken chords,
/// arpeggios and octaves (51 58 55 58 51 60 56 60 …), each figure new because the chord under it
/// changed. Melody moves mostly by step; figuration by leaps between chord notes. So a quotation
/// note reached by a leap (`largestStep` exceeded) earns `leapBonusShare` of the bonus: a quoted
/// arpeggio still counts, as the issue asks, for little.
///
/// Rhythm is never a cost: swing, dotted-for-even and a new tempo leave the pitches a
/// quotation shares. But where a quotation run keeps its source's rhythm note for note (the
/// ratio of successive inter-onset intervals, so augmentation, diminution and inserted passing
/// notes keep it too), that agreement is evidence of its own, strongest where the rhythm
/// changes (`rhythmAgreement`): twelve notes of a plain tune in the same rhythm are a quotation
/// more surely than the same pitches in another. A passage is read twice — by its pitches, and
/// by its pitches and rhythm less `rhythmEvidenceAllowance` — and scored by the better reading.
///
/// The score is that of the best stretch of the alignment under these weights (the costs of
/// differing and skipped notes between matched ones still paid), so two pieces are judged by
/// the rarest passage they share, not by the sum of everything they have in common.
public enum RarityWeights {
    /// Even the commonest run earns a little, so long shared passages still add up.
    public static let floor: Float = 0.05

    /// What a 5-note run earns of what an 8-note run of the same rarity and typicality earns.
    public static let shortRunShare: Float = 0.25

    /// What a note of a quotation run earns beyond its rarity: as much as the rarest run can give.
    public static let quotationBonus: Float = 1
    /// New notes (not repeats of the run's own earlier figures) a run needs to read as a quotation.
    public static let quotationRunLength = 6
    /// How far, in octaves of tempo, a gap between matched notes may stray from the passage's
    /// tempo ratio and keep a run going: a gap twice or half as long (dotted for even, swing)
    /// stays in; a different rhythm breaks the run.
    public static let quotationTempoTolerance: Float = 1
    /// Intervals in a figure: a figure met again inside a run makes its last note a repeat, not a new one.
    static let figureIntervals = 4
    /// How far (in octaves) two runs' ratios of successive inter-onset intervals may differ and
    /// still agree: 7 %, the timing of a played performance, not a swung or dotted rhythm.
    public static let rhythmAgreementTolerance: Float = 0.1
    /// What a quotation note earns (in bonuses) when its rhythm agrees and the pulse goes on
    /// unchanged, and when it agrees on a change. About half of successive intervals in the
    /// corpus's lines keep the pulse (1 bit) and about one in sixteen doubles or halves it
    /// (4 bits), rarer changes rarer still; half a bonus a bit, counted up to 3 bits.
    public static let evenRhythmEvidence: Float = 0.5
    public static let changedRhythmEvidence: Float = 1.5
    /// What the reading with rhythm gives up against the reading by pitch alone (in bonuses):
    /// a passage is scored by the better of the two, so a swung or re-rhythmed quotation loses
    /// nothing, and the second look pays for being one.
    public static let rhythmEvidenceAllowance: Float = 6
    /// Onsets closer than this (in beats) sound together: no rhythm lies between them.
    static let shortestGap: Float = 1e-3
    /// The widest interval (semitones) that is a melodic step: a whole tone.
    public static let largestStep = 2
    /// What a quotation note reached by a leap earns of `quotationBonus`.
    public static let leapBonusShare: Float = 0.5

    /// A run of one line whose notes the alignment matched, all of them: `key` is its seed
    /// (`Seeds.stepSeeds`, `Seeds.phraseSeeds`), and it covers the pairs `pairs` of the alignment.
    public struct SharedRun: Hashable, Sendable {
        public var key: SeedKey
        public var pairs: ClosedRange<Int>
        /// A phrase run's four step seeds (its 5-note runs); empty for a step run.
        public var parts: [SeedKey]

        public var isPhrase: Bool { !parts.isEmpty }

        /// What the run earns a note it covers, from its own rarity and its parts' typicality.
        func earning(rarity: Float, typicality: (SeedKey) -> Float) -> Float {
            guard isPhrase else { return max(floor, rarity * shortRunShare * typicality(key)) }
            return max(floor, rarity * parts.reduce(0) { $0 + typicality($1) } / Float(parts.count))
        }
    }

    /// How telling a 5-note run is by how many of the catalogue's `pieceCount` pieces hold it: 1
    /// when one piece does (or none), falling with the logarithm of the count to 0 when every
    /// piece does. Anchored at the catalogue's size, not at the matcher's common count: it ranks
    /// the parts of a rare phrase, most of which are held by dozens or hundreds of pieces.
    public static func typicality(documentFrequency: Int, pieceCount: Int) -> Float {
        let pieces = Double(max(pieceCount, 2))
        let share = log((pieces + 1) / Double(max(documentFrequency, 1) + 1)) / log((pieces + 1) / 2)
        return Float(min(1, max(0, share)))
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

    /// The step and phrase seeds of both lines that lie wholly on matched notes; of the
    /// source's line alone when the query's notes were gathered for the source
    /// (`CrossVoiceGathering`: its runs are the source's by construction).
    public static func sharedRuns(
        of alignment: LocalAlignment, query: [LineNote], source: [LineNote], queryRuns: Bool = true
    ) -> [SharedRun] {
        guard let first = alignment.pairs.first, let last = alignment.pairs.last else { return [] }
        let sourceRuns = wholeRuns(
            of: source, matched: alignment.pairs.map(\.source), range: first.source...last.source)
        guard queryRuns else { return sourceRuns }
        return sourceRuns
            + wholeRuns(of: query, matched: alignment.pairs.map(\.query), range: first.query...last.query)
    }

    /// Seeds of `line[range]` whose every note is one of `matched` (ascending note indices, one
    /// per pair), with the pairs they cover.
    private static func wholeRuns(of line: [LineNote], matched: [Int], range: ClosedRange<Int>) -> [SharedRun] {
        var pairOfNote = [Int](repeating: -1, count: range.count)  // [range.count]
        for (pair, note) in matched.enumerated() { pairOfNote[note - range.lowerBound] = pair }
        let pitches = Array(line[range].map(\.pitch))
        // [pitches.count - stepLength] the step seed starting at each note.
        let steps = Seeds.stepSeeds(of: pitches)
        let phraseSteps = Seeds.phraseLength - Seeds.stepLength + 1
        let runs =
            steps.map { ($0, [SeedKey]()) }
            + Seeds.phraseSeeds(of: pitches).map { phrase in
                let first = Int(phrase.position)
                return (phrase, steps[first..<(first + phraseSteps)].map(\.key))
            }
        return runs.compactMap { seed, parts in
            let notes = Int(seed.position)..<Int(seed.position + seed.span)
            guard notes.allSatisfy({ pairOfNote[$0] >= 0 }) else { return nil }
            return SharedRun(
                key: seed.key, pairs: pairOfNote[notes.lowerBound]...pairOfNote[notes.upperBound - 1], parts: parts)
        }
    }

    /// The alignment scored by rarity: each pair earns the most a shared run covering it earns
    /// (`SharedRun.earning`, from the runs' `weight` and their parts' `typicality`; `floor` when
    /// none covers it), plus `quotationBonus` when it is a new note of a quotation run
    /// (`quotationNotes`; `leapBonusShare` of it when a leap reaches the note); the stretch of
    /// pairs with the highest total, bridges between them paid, is the passage kept. Read again
    /// with each pair's `rhythmAgreement` added (bonuses), less `rhythmEvidenceAllowance`, the
    /// better reading is the score; a query line gathered by the source's rhythm
    /// (`CrossVoiceGathering`, `rhythmIsEvidence` false) is read by pitch alone. Nil when
    /// nothing scores.
    public static func rescored(
        _ alignment: LocalAlignment, query: [LineNote], source: [LineNote], shared: [SharedRun],
        typicality: (SeedKey) -> Float = { _ in 1 }, quotationBonus bonus: Float = quotationBonus,
        rhythmIsEvidence: Bool = true, weight: (SeedKey) -> Float
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
            let runWeight = run.earning(rarity: weight(run.key), typicality: typicality)
            for pair in run.pairs where runWeight > earned[pair] { earned[pair] = runWeight }
        }
        let quoted = quotationNotes(pairs, query: query, source: source)  // [pairs]
        func quotationEarning(_ index: Int) -> Float {
            guard quoted[index] else { return 0 }
            guard index > 0 else { return bonus }
            let leap = abs(Int(query[pairs[index].query].pitch) - Int(query[pairs[index - 1].query].pitch))
            return leap > largestStep ? bonus * leapBonusShare : bonus
        }
        let byPitch = pairs.indices.map { earned[$0] + quotationEarning($0) }  // [pairs]
        var best = bestStretch(of: pairs, earning: byPitch)
        if rhythmIsEvidence {
            let rhythm = rhythmAgreement(pairs, quoted: quoted, query: query, source: source)  // [pairs]
            // [pairs] the same with the run's rhythm as evidence too.
            let byPitchAndRhythm = pairs.indices.map { byPitch[$0] + bonus * rhythm[$0] }
            var withRhythm = bestStretch(of: pairs, earning: byPitchAndRhythm)
            withRhythm.score -= bonus * rhythmEvidenceAllowance
            if withRhythm.score > best.score { best = withRhythm }
        }
        guard best.end >= best.start else { return nil }
        var kept = Array(pairs[best.start...best.end])
        kept[0].bridge = 0
        return LocalAlignment(score: best.score, pairs: kept, transposition: alignment.transposition)
    }

    /// The stretch of pairs whose earnings, less the bridges inside it, add up to the most.
    private static func bestStretch(
        of pairs: [LocalAlignment.Pair], earning: [Float]
    ) -> (score: Float, start: Int, end: Int) {
        var best: (score: Float, start: Int, end: Int) = (0, 0, -1)
        var running: Float = 0, start = 0
        for (index, pair) in pairs.enumerated() {
            if index == 0 || running - pair.bridge <= 0 {
                running = earning[index]
                start = index
            } else {
                running += earning[index] - pair.bridge
            }
            if running > best.score { best = (running, start, index) }
        }
        return best
    }

    /// What each pair's rhythm adds as evidence (in quotation bonuses): a new note of a
    /// quotation run, reached from a note of the same run, whose inter-onset interval stands
    /// to the one before it as the source's does (within `rhythmAgreementTolerance`) earns
    /// `evenRhythmEvidence` when the pulse goes on unchanged and `changedRhythmEvidence` when
    /// it changes (a dotted note, a long note after short ones).
    static func rhythmAgreement(
        _ pairs: [LocalAlignment.Pair], quoted: [Bool], query: [LineNote], source: [LineNote]
    ) -> [Float] {
        func ratio(_ line: [LineNote], _ first: Int, _ second: Int, _ third: Int) -> Float? {
            let earlier = line[second].onsetBeats - line[first].onsetBeats
            let later = line[third].onsetBeats - line[second].onsetBeats
            return earlier > shortestGap && later > shortestGap ? log2(later / earlier) : nil
        }
        return pairs.indices.map { index in
            guard index >= 2, quoted[index], quoted[index - 1],
                let queryRatio = ratio(query, pairs[index - 2].query, pairs[index - 1].query, pairs[index].query),
                let sourceRatio = ratio(source, pairs[index - 2].source, pairs[index - 1].source, pairs[index].source),
                abs(queryRatio - sourceRatio) < rhythmAgreementTolerance
            else { return 0 }
            return abs(sourceRatio) < rhythmAgreementTolerance ? evenRhythmEvidence : changedRhythmEvidence
        }
    }

    /// Which matched pairs lie in a quotation run: a stretch of pairs each reached from the one
    /// before at less cost than skipping one ordinary note (passing and repeated notes may lie
    /// between, a wrong or other note may not), with both lines' gaps in the passage's tempo ratio
    /// (its query span over its source span) within `quotationTempoTolerance`, holding at least
    /// `quotationRunLength` notes whose last `figureIntervals` intervals the run has not had before.
    /// Only those new notes are marked.
    static func quotationNotes(_ pairs: [LocalAlignment.Pair], query: [LineNote], source: [LineNote]) -> [Bool] {
        var marked = [Bool](repeating: false, count: pairs.count)  // [pairs]
        guard let first = pairs.first, let last = pairs.last else { return marked }
        let querySpan = query[last.query].onsetBeats - query[first.query].onsetBeats
        let sourceSpan = source[last.source].onsetBeats - source[first.source].onsetBeats
        let tempo = querySpan > shortestGap && sourceSpan > shortestGap ? log2(querySpan / sourceSpan) : 0
        func continuesRun(_ index: Int) -> Bool {
            let pair = pairs[index], previous = pairs[index - 1]
            let queryGap = query[pair.query].onsetBeats - query[previous.query].onsetBeats
            let sourceGap = source[pair.source].onsetBeats - source[previous.source].onsetBeats
            return pair.bridge < LocalAlignment.gapPenalty && queryGap > shortestGap && sourceGap > shortestGap
                && abs(log2(queryGap / sourceGap) - tempo) <= quotationTempoTolerance
        }
        // A figure: the last `figureIntervals` steps between matched query pitches, packed.
        func figure(endingAt index: Int) -> Int? {
            guard index >= figureIntervals else { return nil }
            return ((index - figureIntervals + 1)...index).reduce(0) { packed, step in
                packed << 8 | (Int(query[pairs[step].query].pitch) - Int(query[pairs[step - 1].query].pitch) + 128)
            }
        }
        var newNotes: [Int] = []
        var figures: Set<Int> = []
        func closeRun() {
            if newNotes.count >= quotationRunLength { for index in newNotes { marked[index] = true } }
            newNotes.removeAll(keepingCapacity: true)
            figures.removeAll(keepingCapacity: true)
        }
        for index in pairs.indices {
            if index > 0 && !continuesRun(index) { closeRun() }
            if let figure = figure(endingAt: index), !figures.insert(figure).inserted { continue }
            newNotes.append(index)
        }
        closeRun()
        return marked
    }
}
