/// A query seed as retrieval found it: how many catalogue pieces hold it, and its places in
/// the pieces chosen to be followed (none when the seed is too common to follow).
public struct SeedLookup: Sendable {
    public var pieces: Int
    public var postings: [Posting]
}

/// What retrieval hands the matcher for a query's distinct seeds, flat: per seed (in the order
/// asked) its document frequency and its places in the followed pieces. A followed piece is
/// named by its place in `followed` (a dense id), so the matcher groups hits on flat arrays
/// rather than on dictionaries keyed by piece.
public struct CandidateTable: Sendable {
    /// [seeds] pieces holding each seed (less the query's own occurrence when it is indexed).
    public var pieces: [Int] = []
    /// [seeds] each seed's places in `places`; empty when the seed is too common to follow.
    public var ranges: [Range<Int>] = []
    /// [places] followed-piece number << 32 | `Posting.location`, each seed's in piece order.
    public var places: [UInt64] = []
    /// [followed pieces] the catalogue id of each followed piece, ascending.
    public var followed: [Int64] = []

    public init() {}
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

    /// How many pieces hold each of `seeds` (distinct, ascending), in that order; no places are
    /// decoded.
    public func documentFrequencies(of seeds: [SeedKey]) throws -> [Int] {
        try postingTable(of: seeds, limit: 0).pieces
    }

    /// The candidate pieces of a query and where its seeds lie in them: all of the query's
    /// seeds are looked up at once, catalogue pieces are ranked by the summed `weight` of the
    /// rare seeds they share with the query (each seed once a piece, seeds held by more than
    /// `limit` pieces left out), and only the places in the leading `followedPieces` are
    /// returned: in a large catalogue a query's seeds touch thousands of pieces, and only the
    /// leading few can hold its best passages.
    ///
    /// - Parameters:
    ///   - seeds: the query's distinct seeds, ascending (one look-up each, read in file order).
    ///   - ownSeeds: per seed of `seeds`, whether the query itself holds it as a catalogue piece
    ///     (when it is an indexed piece, as when measuring the baseline; nil otherwise): one
    ///     occurrence is taken off each such document frequency. Other seeds of the query (those
    ///     it would hold without its passing notes) are counted as the catalogue holds them.
    ///   - weight: a seed's weight from its document frequency.
    ///   - isExcluded: pieces never followed (the query's own work).
    ///   - threads: threads the look-ups may share (`postingTable(of:limit:threads:)`).
    public func candidates(
        for seeds: [SeedKey], limit: Int, ownSeeds: [Bool]? = nil, followedPieces: Int, weight: (Int) -> Float,
        excluding isExcluded: ((PieceIdentity) -> Bool)? = nil, threads: Int = 1
    ) throws -> CandidateTable {
        let table = try postingTable(of: seeds, limit: ownSeeds == nil ? limit : limit + 1, threads: threads)
        var frequencies = table.pieces
        if let ownSeeds {
            for index in seeds.indices where ownSeeds[index] { frequencies[index] = max(0, frequencies[index] - 1) }
        }
        var largestPiece = -1
        for posting in table.postings { largestPiece = max(largestPiece, Int(posting >> 32)) }
        // [largestPiece + 1] summed weight of the followed seeds each piece shares with the query.
        var shared = [Float](repeating: 0, count: largestPiece + 1)
        for index in seeds.indices where frequencies[index] <= limit {
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
        var found = CandidateTable()
        found.followed = ranked.prefix(followedPieces).map { Int64($0.piece) }.sorted()
        // [largestPiece + 1] each followed piece's place in `found.followed`, -1 for the others.
        var number = [Int32](repeating: -1, count: largestPiece + 1)
        for (place, piece) in found.followed.enumerated() { number[Int(piece)] = Int32(place) }
        found.pieces = frequencies
        found.ranges.reserveCapacity(seeds.count)
        found.places.reserveCapacity(table.postings.count)
        for index in seeds.indices {
            let start = found.places.count
            if frequencies[index] <= limit {
                for posting in table.postings[table.ranges[index]] {
                    let place = number[Int(posting >> 32)]
                    if place >= 0 { found.places.append(UInt64(place) << 32 | (posting & 0xFFFF_FFFF)) }
                }
            }
            found.ranges.append(start..<found.places.count)
        }
        return found
    }
}
