/// Where a seed occurs in the catalogue: a piece, one of its lines, a note of that line.
public struct Posting: Hashable, Sendable {
    public var piece: Int64
    public var line: Int32
    public var position: Int32

    public init(piece: Int64, line: Int32, position: Int32) {
        self.piece = piece
        self.line = line
        self.position = position
    }

    /// Line and position packed for storage: 12 bits of line, 20 of position.
    var location: UInt32 { UInt32(line) << 20 | UInt32(position) }

    init(piece: Int64, location: UInt32) {
        self.init(piece: piece, line: Int32(location >> 20), position: Int32(location & 0xF_FFFF))
    }

    static let largestLine = (1 << 12) - 1
    static let largestPosition = (1 << 20) - 1
}

/// What tells catalogue pieces apart without reading their notes: for leaving a piece's
/// own work out of its matches.
public struct PieceIdentity: Hashable, Sendable {
    public var id: Int64
    public var workKey: String
    public var contentKey: Int64

    public init(id: Int64, workKey: String, contentKey: Int64) {
        self.id = id
        self.workKey = workKey
        self.contentKey = contentKey
    }
}

/// A catalogue piece as matching needs it.
public struct IndexedPiece: Sendable {
    public var id: Int64
    public var path: String
    public var piece: ClearancePiece
    /// Pieces with the same key are taken to be the same work (`WorkKey`).
    public var workKey: String
    public var contentKey: Int64

    public var identity: PieceIdentity { PieceIdentity(id: id, workKey: workKey, contentKey: contentKey) }

    public init(id: Int64, path: String, piece: ClearancePiece, workKey: String, contentKey: Int64) {
        self.id = id
        self.path = path
        self.piece = piece
        self.workKey = workKey
        self.contentKey = contentKey
    }
}

/// A seed as the index stores it: an opaque 64-bit key. The index never reads meaning into
/// a seed's value, so seed families can change without a change of layout (only a change of
/// what is stored calls for a new `IndexSchema.version`).
public typealias SeedKey = UInt64

extension Seed {
    public var key: SeedKey { SeedKey(truncatingIfNeeded: value) }
}

/// Several seeds' postings at once, flat: per seed (in the order asked) how many pieces hold
/// it and its range in `postings`.
public struct PostingTable: Sendable {
    /// Per seed, the pieces holding it (its document frequency).
    public var pieces: [Int] = []
    /// Per seed, its places in `postings`; empty when more than the asked limit of pieces hold it.
    public var ranges: [Range<Int>] = []
    /// piece << 32 | `Posting.location`, each seed's in piece order.
    public var postings: [UInt64] = []

    public init() {}
}

/// What matching reads from an index: seeds' postings and the pieces they point to. The
/// on-disk index and the in-memory one (tests, benchmarks, a run's training pieces) both
/// provide it; `candidates(for:...)` (CandidateRetrieval) is built on `postingTable`.
public protocol SeedCatalogue {
    var pieceCount: Int { get }
    /// For each of `seeds` (distinct), how many pieces hold it, and where; the places are left
    /// out when more than `limit` pieces hold it, which spares decoding the postings of a scale
    /// or a repeated note held by most of the catalogue.
    func postingTable(of seeds: [SeedKey], limit: Int) throws -> PostingTable
    /// The same, its look-ups shared among up to `threads` threads where the catalogue gains by
    /// it (an on-disk index); the others answer on the calling thread.
    func postingTable(of seeds: [SeedKey], limit: Int, threads: Int) throws -> PostingTable
    func piece(_ id: Int64) throws -> IndexedPiece
    func identity(of id: Int64) throws -> PieceIdentity
    /// Every piece's id, ascending.
    func pieceIDs() throws -> [Int64]
}

extension SeedCatalogue {
    public func postingTable(of seeds: [SeedKey], limit: Int, threads: Int) throws -> PostingTable {
        try postingTable(of: seeds, limit: limit)
    }
}

/// A catalogue held in memory: for tests, the naive reference, benchmarks, and checking
/// against a list of pieces already read (a run's training pieces) without any file.
public struct MemoryCatalogue: SeedCatalogue, Sendable {
    public private(set) var pieces: [IndexedPiece] = []
    // Per seed: piece << 32 | location, in piece order.
    private var postingsBySeed: [SeedKey: [UInt64]] = [:]
    private var frequency: [SeedKey: Int] = [:]

    public init() {}

    public var pieceCount: Int { pieces.count }

    /// Adds a piece under the next id (its position in `pieces`).
    @discardableResult
    public mutating func add(path: String, piece: ClearancePiece) -> Int64 {
        let id = Int64(pieces.count)
        pieces.append(
            IndexedPiece(
                id: id, path: path, piece: piece, workKey: WorkKey.of(path: path), contentKey: piece.contentKey))
        var distinct = Set<SeedKey>()
        for (lineIndex, line) in piece.lines.enumerated() where lineIndex <= Posting.largestLine {
            for seed in Seeds.seeds(of: line.pitches) where seed.position <= Posting.largestPosition {
                let location = Posting(piece: id, line: Int32(lineIndex), position: seed.position).location
                postingsBySeed[seed.key, default: []].append(UInt64(id) << 32 | UInt64(location))
                distinct.insert(seed.key)
            }
        }
        for seed in distinct { frequency[seed, default: 0] += 1 }
        return id
    }

    /// How many pieces hold a seed, and where (nothing when more than `limit` do).
    public func postings(of seed: some BinaryInteger, limit: Int = .max) -> (pieces: Int, postings: [Posting]) {
        let key = SeedKey(truncatingIfNeeded: seed)
        let pieces = frequency[key] ?? 0
        let places = pieces > limit ? [] : postingsBySeed[key] ?? []
        return (pieces, places.map { Posting(piece: Int64($0 >> 32), location: UInt32(truncatingIfNeeded: $0)) })
    }

    public func postingTable(of seeds: [SeedKey], limit: Int) -> PostingTable {
        var table = PostingTable()
        for seed in seeds {
            let pieces = frequency[seed] ?? 0
            let start = table.postings.count
            if pieces <= limit, let places = postingsBySeed[seed] { table.postings.append(contentsOf: places) }
            table.pieces.append(pieces)
            table.ranges.append(start..<table.postings.count)
        }
        return table
    }

    public func piece(_ id: Int64) -> IndexedPiece { pieces[Int(id)] }

    public func identity(of id: Int64) -> PieceIdentity { pieces[Int(id)].identity }

    public func pieceIDs() -> [Int64] { pieces.map(\.id) }
}
