/// The reference the fast matcher is tested against: every query line aligned with every
/// line of every catalogue piece, over whole lines, at every transposition that makes at
/// least one pair of notes equal, each alignment scored by the rarity of the runs it shares.
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
        var found: [PieceMatch] = []
        for source in catalogue.pieces where !isExcluded(source.identity) {
            var best: PieceMatch?
            for (queryIndex, queryLine) in query.lines.enumerated() {
                for (sourceIndex, sourceLine) in source.piece.lines.enumerated() {
                    let queryPitches = Set(queryLine.notes.map { Int($0.pitch) })
                    let sourcePitches = Set(sourceLine.notes.map { Int($0.pitch) })
                    let transpositions = Set(queryPitches.flatMap { q in sourcePitches.map { q - $0 } })
                    for transposition in transpositions.sorted() {
                        guard
                            let aligned = LocalAlignment.align(
                                query: queryLine.notes, 0..<queryLine.notes.count, source: sourceLine.notes,
                                0..<sourceLine.notes.count, transposition: transposition),
                            let alignment = RarityWeights.rescored(
                                aligned, query: queryLine.notes, source: sourceLine.notes,
                                shared: RarityWeights.sharedRuns(
                                    of: aligned, query: queryLine.notes, source: sourceLine.notes),
                                typicality: typicality, weight: weight)
                        else { continue }
                        if best.map({ alignment.score > $0.score }) ?? true {
                            best = PieceMatch(
                                piece: source, alignment: alignment, queryLine: queryIndex, sourceLine: sourceIndex)
                        }
                    }
                }
            }
            if let best { found.append(best) }
        }
        return Array(found.sorted { ($0.score, $1.piece.id) > ($1.score, $0.piece.id) }.prefix(reported))
    }
}
