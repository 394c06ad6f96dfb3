/// The reference the fast matcher is tested against: every query line aligned with every
/// line of every catalogue piece, over whole lines, at every transposition that makes at
/// least one pair of notes equal, each alignment (and the notes gathered across the query's
/// voices around it, `CrossVoiceGathering`) scored by the rarity of the runs it shares; and
/// every path through the query's notes (`LegatoPaths`) gathered around at every stretch of
/// every catalogue line that holds its pitch steps (`PathCandidates`), however common.
/// Quadratic in everything; for small inputs only.
public enum NaiveMatcher {
    public static func matches(
        for query: ClearancePiece, in catalogue: MemoryCatalogue, reported: Int = 5,
        excluding isExcluded: (PieceIdentity) -> Bool = { _ in false }
    ) -> [PieceMatch] {
        let common = MatchSettings().commonSeedLimit(pieceCount: catalogue.pieceCount)
        func weight(_ seed: SeedKey) -> Float {
            RarityWeights.weight(
                documentFrequency: catalogue.postings(of: seed, limit: .max).pieces, commonCount: common)
        }
        func typicality(_ seed: SeedKey) -> Float {
            RarityWeights.typicality(
                documentFrequency: catalogue.postings(of: seed, limit: .max).pieces, pieceCount: catalogue.pieceCount)
        }
        let everyNote = CrossVoiceGathering.notes(of: query)
        let paths = LegatoPaths.paths(through: everyNote)
        var found: [PieceMatch] = []
        for source in catalogue.pieces where !isExcluded(source.identity) {
            var best: PieceMatch?
            func consider(_ passage: AlignedPassage, sourceLine: Int) {
                guard
                    let alignment = passage.rescored(
                        source: source.piece.lines[sourceLine].notes, typicality: typicality, weight: weight)
                else { return }
                if best.map({ alignment.score > $0.score }) ?? true {
                    best = PieceMatch(
                        piece: source, alignment: alignment, queryLine: passage.queryLine, sourceLine: sourceLine)
                }
            }
            for queryLine in query.lines {
                for (sourceIndex, sourceLine) in source.piece.lines.enumerated() {
                    let queryPitches = Set(queryLine.notes.map { Int($0.pitch) })
                    let sourcePitches = Set(sourceLine.notes.map { Int($0.pitch) })
                    let transpositions = Set(queryPitches.flatMap { q in sourcePitches.map { q - $0 } })
                    for transposition in transpositions.sorted() {
                        guard
                            let aligned = LocalAlignment.align(
                                query: queryLine.notes, 0..<queryLine.notes.count, source: sourceLine.notes,
                                0..<sourceLine.notes.count, transposition: transposition)
                        else { continue }
                        let passages = AlignedPassage.found(
                            by: aligned, candidate: 0, queryLine: queryLine, source: sourceLine.notes,
                            everyNote: everyNote)
                        for passage in passages { consider(passage, sourceLine: sourceIndex) }
                    }
                }
            }
            for (sourceIndex, sourceLine) in source.piece.lines.enumerated() {
                for path in paths.indices {
                    for start in 0..<max(0, sourceLine.notes.count - LegatoPaths.notesPerPath + 1) {
                        let candidate = PathCandidates.Candidate(
                            followedPiece: 0, sourceLine: sourceIndex, sourcePosition: start, path: path, weight: 0)
                        guard
                            let passage = PathCandidates.passage(
                                candidate, number: 0, paths: paths, everyNote: everyNote, source: sourceLine.notes)
                        else { continue }
                        consider(passage, sourceLine: sourceIndex)
                    }
                }
            }
            if let best { found.append(best) }
        }
        return Array(found.sorted { ($0.score, $1.piece.id) > ($1.score, $0.piece.id) }.prefix(reported))
    }
}
