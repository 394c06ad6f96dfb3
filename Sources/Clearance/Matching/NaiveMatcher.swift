/// The reference the fast matcher is tested against: every query line aligned with every
/// line of every catalogue piece, over whole lines, at every transposition that makes at
/// least one pair of notes equal. Quadratic in everything; for small inputs only.
public enum NaiveMatcher {
    public static func matches(
        for query: ClearancePiece, in catalogue: MemoryCatalogue, reported: Int = 5,
        excluding isExcluded: (PieceIdentity) -> Bool = { _ in false }
    ) -> [PieceMatch] {
        /// The query's seeds that the source line holds too, anywhere, weighed by rarity.
        func weights(_ queryLine: MelodicLine, sharedWith sourceLine: MelodicLine) -> [Float] {
            let held = Set(Seeds.seeds(of: sourceLine.pitches).map(\.value))
            let shared = Seeds.seeds(of: queryLine.pitches).filter { held.contains($0.value) }.map {
                RarityWeights.SharedSeed(
                    position: Int($0.position), span: Int($0.span),
                    weight: RarityWeights.weight(
                        documentFrequency: catalogue.postings(of: $0.value, limit: .max).pieces,
                        pieceCount: catalogue.pieceCount))
            }
            return RarityWeights.weights(noteCount: queryLine.notes.count, shared: shared)
        }
        var found: [PieceMatch] = []
        for source in catalogue.pieces where !isExcluded(source.identity) {
            var best: PieceMatch?
            for (queryIndex, queryLine) in query.lines.enumerated() {
                for (sourceIndex, sourceLine) in source.piece.lines.enumerated() {
                    let lineWeights = weights(queryLine, sharedWith: sourceLine)
                    let queryPitches = Set(queryLine.notes.map { Int($0.pitch) })
                    let sourcePitches = Set(sourceLine.notes.map { Int($0.pitch) })
                    let transpositions = Set(queryPitches.flatMap { q in sourcePitches.map { q - $0 } })
                    for transposition in transpositions.sorted() {
                        guard
                            let alignment = LocalAlignment.align(
                                query: queryLine.notes, 0..<queryLine.notes.count, source: sourceLine.notes,
                                0..<sourceLine.notes.count,
                                transposition: transposition, weights: lineWeights)
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
