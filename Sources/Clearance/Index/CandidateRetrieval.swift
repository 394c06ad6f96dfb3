/// A query seed as retrieval found it: how many catalogue pieces hold it, and its places in
/// the pieces chosen to be followed (none when the seed is too common to follow).
public struct SeedLookup: Sendable {
    public var pieces: Int
    public var postings: [Posting]
}

extension SeedCatalogue {
    /// Every place of each seed held by at most `limit` pieces, keyed by seed: for tests and
    /// tools that want whole posting lists.
    public func postings(of seeds: [SeedKey], limit: Int) throws -> [SeedKey: SeedLookup] {
        let distinct = Array(Set(seeds)).sorted()
        let table = try postingTable(of: distinct, limit: limit)
        var found: [SeedKey: SeedLookup] = [:]
        for (index, seed) in distinct.enumerated() {
            found[seed] = SeedLookup(
                pieces: table.pieces[index],
                postings: table.postings[table.ranges[index]].map {
                    Posting(piece: Int64($0 >> 32), location: UInt32(truncatingIfNeeded: $0))
                })
        }
        return found
    }

    /// The candidate pieces of a query and where its seeds lie in them: all of the query's
    /// seeds are looked up at once, catalogue pieces are ranked by the summed `weight` of the
    /// rare seeds they share with the query (each seed once a piece, seeds held by more than
    /// `limit` pieces left out), and only the postings of the leading `followedPieces` are
    /// returned: in a large catalogue a query's seeds touch thousands of pieces, and only the
    /// leading few can hold its best passages.
    ///
    /// - Parameters:
    ///   - ownSeeds: the seeds the query itself holds as a catalogue piece (when it is an indexed
    ///     piece, as when measuring the baseline; empty otherwise): one occurrence is taken off
    ///     each of their document frequencies. Other seeds of the query (those it would hold
    ///     without its passing notes) are counted as the catalogue holds them.
    ///   - weight: a seed's weight from its document frequency.
    ///   - isExcluded: pieces never followed (the query's own work).
    public func candidates(
        for seeds: [SeedKey], limit: Int, ownSeeds: Set<SeedKey> = [], followedPieces: Int, weight: (Int) -> Float,
        excluding isExcluded: ((PieceIdentity) -> Bool)? = nil
    ) throws -> [SeedKey: SeedLookup] {
        let distinct = Array(Set(seeds)).sorted()
        let table = try postingTable(of: distinct, limit: ownSeeds.isEmpty ? limit : limit + 1)
        let frequencies = zip(distinct, table.pieces).map { ownSeeds.contains($0) ? max(0, $1 - 1) : $1 }
        var largestPiece = -1
        for posting in table.postings { largestPiece = max(largestPiece, Int(posting >> 32)) }
        // [largestPiece + 1] summed weight of the followed seeds each piece shares with the query.
        var shared = [Float](repeating: 0, count: largestPiece + 1)
        for index in distinct.indices where frequencies[index] <= limit {
            let seedWeight = weight(frequencies[index])
            var previous = UInt64.max
            for posting in table.postings[table.ranges[index]] where posting >> 32 != previous {
                previous = posting >> 32
                shared[Int(previous)] += seedWeight
            }
        }
        var ranked: [(weight: Float, piece: Int)] = []
        for (piece, pieceWeight) in shared.enumerated() where pieceWeight > 0 {
            if let isExcluded, isExcluded(try identity(of: Int64(piece))) { continue }
            ranked.append((pieceWeight, piece))
        }
        ranked.sort { ($0.weight, $1.piece) > ($1.weight, $0.piece) }
        // [largestPiece + 1] whether each piece is followed.
        var followed = [Bool](repeating: false, count: largestPiece + 1)
        for candidate in ranked.prefix(followedPieces) { followed[candidate.piece] = true }
        var found: [SeedKey: SeedLookup] = [:]
        found.reserveCapacity(distinct.count)
        for (index, seed) in distinct.enumerated() {
            var places: [Posting] = []
            if frequencies[index] <= limit {
                for posting in table.postings[table.ranges[index]] where followed[Int(posting >> 32)] {
                    places.append(Posting(piece: Int64(posting >> 32), location: UInt32(truncatingIfNeeded: posting)))
                }
            }
            found[seed] = SeedLookup(pieces: frequencies[index], postings: places)
        }
        return found
    }
}
