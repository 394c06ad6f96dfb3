/// Passages found by the paths through a query's notes (`LegatoPaths`). A path whose phrase seed
/// a followed catalogue line holds is paired with that line's notes note by note; where the
/// pairs keep one time map, the source's other notes are gathered around them across the query's
/// voices (`CrossVoiceGathering`), as around a fragment an alignment found in one line. Only the
/// gathered passage is kept, scored by pitch alone like any gathered one: a path was chosen by
/// pitch, and its rhythm counts for nothing until the source's own rhythm has placed the rest.
enum PathCandidates {
    struct Candidate {
        /// Number of the catalogue piece among the followed ones (`CandidateTable.followed`).
        var followedPiece: Int
        var sourceLine: Int
        /// Index in the source line of the note the path's seed starts on.
        var sourcePosition: Int
        /// Index into `QuerySeeds.paths`.
        var path: Int
        var weight: Float
    }

    /// The `count` strongest places the query's paths lead to, by seed weight (then in catalogue
    /// order); of several places along one stretch of one source line (a quotation's successive
    /// paths), the first.
    static func strongest(seeds: QuerySeeds, table: CandidateTable, limit: Int, count: Int) -> [Candidate] {
        var found: [Candidate] = []
        for (path, seed) in seeds.pathSeeds.enumerated() {
            let seed = Int(seed)
            guard table.pieces[seed] <= limit else { continue }
            let weight = RarityWeights.weight(documentFrequency: table.pieces[seed], commonCount: limit)
            for place in table.places[table.ranges[seed]] {
                let location = Posting(piece: 0, location: UInt32(truncatingIfNeeded: place))
                found.append(
                    Candidate(
                        followedPiece: Int(place >> 32), sourceLine: Int(location.line),
                        sourcePosition: Int(location.position), path: path, weight: weight))
            }
        }
        found.sort {
            ($0.weight, $1.followedPiece, $1.sourceLine, $1.sourcePosition, $1.path) > (
                $1.weight, $0.followedPiece, $0.sourceLine, $0.sourcePosition, $0.path
            )
        }
        var chosen: [Candidate] = []
        for candidate in found where chosen.count < count {
            let sameStretch = chosen.contains {
                $0.followedPiece == candidate.followedPiece && $0.sourceLine == candidate.sourceLine
                    && abs($0.sourcePosition - candidate.sourcePosition) < LegatoPaths.notesPerPath
            }
            if !sameStretch { chosen.append(candidate) }
        }
        return chosen
    }

    /// The passage gathered around `candidate`'s path paired with `source` from the seed's
    /// place on; nil when the pitches differ (a hashed seed's collision), the pairs keep no one
    /// time map, or nothing more is found.
    static func passage(
        _ candidate: Candidate, number: Int, paths: [[Int]], everyNote: [LineNote], source: [LineNote]
    ) -> AlignedPassage? {
        let query = paths[candidate.path].map { everyNote[$0] }
        let start = candidate.sourcePosition
        guard start + query.count <= source.count else { return nil }
        let transposition = Int(query[0].pitch) - Int(source[start].pitch)
        guard query.indices.allSatisfy({ Int(query[$0].pitch) - Int(source[start + $0].pitch) == transposition })
        else { return nil }
        let pairs = query.indices.map { LocalAlignment.Pair(query: $0, source: start + $0) }
        let alignment = LocalAlignment(score: Float(pairs.count), pairs: pairs, transposition: transposition)
        guard
            let gathered = CrossVoiceGathering.gathered(
                around: alignment, query: query, source: source, everyNote: everyNote)
        else { return nil }
        return AlignedPassage(
            candidate: number, queryLine: MelodicLine(source: .acrossVoices, notes: gathered.notes),
            alignment: gathered.alignment,
            shared: RarityWeights.sharedRuns(
                of: gathered.alignment, query: gathered.notes, source: source, queryRuns: false))
    }
}
