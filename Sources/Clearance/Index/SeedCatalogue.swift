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

/// What matching reads from an index: seeds' postings and the pieces they point to. The
/// on-disk index and the in-memory one used by tests and benchmarks both provide it.
public protocol SeedCatalogue {
    var pieceCount: Int { get }
    /// How many pieces hold the seed, and where; the places are left out (empty) when more
    /// than `limit` pieces hold it, which spares decoding the postings of a scale or a
    /// repeated note held by most of the catalogue.
    func postings(of seed: Int32, limit: Int) throws -> (pieces: Int, postings: [Posting])
    /// `postings(of:limit:)` for many seeds at once, keyed by seed: the on-disk index answers
    /// all of a query's seeds in two statements instead of two per seed.
    func postings(of seeds: [Int32], limit: Int) throws -> [Int32: (pieces: Int, postings: [Posting])]
    func piece(_ id: Int64) throws -> IndexedPiece
    func identity(of id: Int64) throws -> PieceIdentity
}

extension SeedCatalogue {
    public func postings(of seeds: [Int32], limit: Int) throws -> [Int32: (pieces: Int, postings: [Posting])] {
        var found: [Int32: (pieces: Int, postings: [Posting])] = [:]
        for seed in seeds where found[seed] == nil { found[seed] = try postings(of: seed, limit: limit) }
        return found
    }
}

/// A catalogue held in memory: for tests, the naive reference and benchmarks.
public struct MemoryCatalogue: SeedCatalogue, Sendable {
    public private(set) var pieces: [IndexedPiece] = []
    private var postingsBySeed: [Int32: [Posting]] = [:]
    private var frequency: [Int32: Int] = [:]

    public init() {}

    public var pieceCount: Int { pieces.count }

    /// Adds a piece under the next id (its position in `pieces`).
    @discardableResult
    public mutating func add(path: String, piece: ClearancePiece) -> Int64 {
        let id = Int64(pieces.count)
        pieces.append(
            IndexedPiece(
                id: id, path: path, piece: piece, workKey: WorkKey.of(path: path), contentKey: piece.contentKey))
        var distinct = Set<Int32>()
        for (lineIndex, line) in piece.lines.enumerated() where lineIndex <= Posting.largestLine {
            for seed in Seeds.seeds(of: line.pitches) where seed.position <= Posting.largestPosition {
                postingsBySeed[seed.value, default: []].append(
                    Posting(piece: id, line: Int32(lineIndex), position: seed.position))
                distinct.insert(seed.value)
            }
        }
        for seed in distinct { frequency[seed, default: 0] += 1 }
        return id
    }

    public func postings(of seed: Int32, limit: Int = .max) -> (pieces: Int, postings: [Posting]) {
        let pieces = frequency[seed] ?? 0
        return (pieces, pieces > limit ? [] : postingsBySeed[seed] ?? [])
    }

    public func piece(_ id: Int64) -> IndexedPiece { pieces[Int(id)] }

    public func identity(of id: Int64) -> PieceIdentity { pieces[Int(id)].identity }
}
