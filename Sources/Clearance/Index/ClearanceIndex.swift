import Foundation
import GRDB

/// `INDEXDIR/clearance.sqlite`: the catalogue's melodic lines and their seeds, and the
/// baseline of scores between unrelated pieces. Every batch of pieces is written in one
/// transaction, so a killed indexing run leaves whole batches and nothing of a half-done one.
public final class ClearanceIndex: @unchecked Sendable {
    public static let fileName = "clearance.sqlite"

    public let path: String
    let database: DatabaseQueue

    /// What an earlier run stored for a path: enough to tell whether the file changed.
    public struct StoredFile: Hashable, Sendable {
        public var id: Int64
        public var size: Int
        public var modified: Double
    }

    public static func filePath(inFolder folder: String) -> String {
        (folder as NSString).appendingPathComponent(fileName)
    }

    private init(path: String, database: DatabaseQueue) {
        self.path = path
        self.database = database
    }

    /// Opens the index in `folder` for adding pieces, creating the folder and index when missing.
    public static func openForWriting(folder: String) throws -> ClearanceIndex {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = filePath(inFolder: folder)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // A batch inserts postings all over the seed order: with SQLite's 2 MiB page cache, a
            // large index re-reads its tree from disk for each.
            try db.execute(sql: "PRAGMA cache_size = -262144")
        }
        let database = try translatingErrors(path) { try DatabaseQueue(path: path, configuration: configuration) }
        try translatingErrors(path) {
            try database.write { db in
                let tables = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0
                if tables == 0 { try IndexSchema.create(db) }
            }
        }
        let index = ClearanceIndex(path: path, database: database)
        try index.checkIdentity()
        return index
    }

    /// Opens an existing index for checking pieces against it.
    public static func openForReading(folder: String) throws -> ClearanceIndex {
        let path = filePath(inFolder: folder)
        guard FileManager.default.fileExists(atPath: path) else { throw ClearanceError.noIndex(folder: folder) }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -65536") }
        let database = try translatingErrors(path) { try DatabaseQueue(path: path, configuration: configuration) }
        let index = ClearanceIndex(path: path, database: database)
        try index.checkIdentity()
        return index
    }

    private func checkIdentity() throws {
        let (application, version) = try Self.translatingErrors(path) {
            try database.read { db in
                (
                    try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                    try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                )
            }
        }
        guard application == IndexSchema.applicationID else {
            throw ClearanceError.wrongVersion(file: path, found: "an SQLite database of another program")
        }
        guard version == IndexSchema.version else {
            throw ClearanceError.wrongVersion(
                file: path, found: "index layout \(version), this tunesmith reads \(IndexSchema.version)")
        }
    }

    /// Runs `body`, turning SQLite's "not a database" and "corrupt" into `ClearanceError`.
    static func translatingErrors<Value>(_ path: String, _ body: () throws -> Value) throws -> Value {
        do {
            return try body()
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            throw ClearanceError.corruptIndex(file: path, reason: error.message ?? "\(error.resultCode)")
        }
    }

    // MARK: Writing

    public func storedFiles() throws -> [String: StoredFile] {
        try Self.translatingErrors(path) {
            try database.read { db in
                var files: [String: StoredFile] = [:]
                let rows = try Row.fetchCursor(db, sql: "SELECT id, path, size, modified FROM piece")
                while let row = try rows.next() {
                    files[row[1]] = StoredFile(id: row[0], size: row[2], modified: row[3])
                }
                return files
            }
        }
    }

    /// A file read and ready to store, with its seeds already listed (the costly part,
    /// done on the reading threads rather than on the one that writes).
    public struct NewPiece: Sendable {
        public var path: String
        public var size: Int
        public var modified: Double
        public var piece: ClearancePiece
        /// Each seed of the piece with its place: the seed in the high 32 bits, the line and
        /// position (`Posting.location`) in the low 32, in line and position order.
        let seedPlaces: [UInt64]

        public init(path: String, size: Int, modified: Double, piece: ClearancePiece) {
            self.path = path
            self.size = size
            self.modified = modified
            self.piece = piece
            var places: [UInt64] = []
            for (lineIndex, line) in piece.lines.enumerated() where lineIndex <= Posting.largestLine {
                for seed in Seeds.seeds(of: line.pitches) where seed.position <= Posting.largestPosition {
                    let location = Posting(piece: 0, line: Int32(lineIndex), position: seed.position).location
                    places.append(UInt64(UInt32(bitPattern: seed.value)) << 32 | UInt64(location))
                }
            }
            seedPlaces = places
        }
    }

    /// Stores one batch in one transaction, replacing earlier versions of the same paths.
    /// The postings of a replaced piece stay in their blocks but point to a removed row, so
    /// look-ups skip them.
    public func add(_ batch: [NewPiece]) throws {
        guard !batch.isEmpty else { return }
        try Self.translatingErrors(path) {
            try database.write { db in
                try db.execute(
                    sql: "INSERT INTO batch (written_at) VALUES (?)",
                    arguments: [ISO8601DateFormatter().string(from: Date())])
                let batchID = db.lastInsertedRowID
                let remove = try db.cachedStatement(sql: "DELETE FROM piece WHERE path = ?")
                let insert = try db.cachedStatement(
                    sql: """
                        INSERT INTO piece (path, size, modified, content_key, work_key, notes, lines, batch)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                var ids: [UInt32] = []
                for file in batch {
                    try remove.execute(arguments: [file.path])
                    try insert.execute(arguments: [
                        file.path, file.size, file.modified, file.piece.contentKey, WorkKey.of(path: file.path),
                        file.piece.noteCount, PieceCodec.encode(file.piece), batchID,
                    ])
                    ids.append(UInt32(truncatingIfNeeded: db.lastInsertedRowID))
                }
                let store = try db.cachedStatement(
                    sql: "INSERT INTO posting_block (seed, batch, pieces, entries) VALUES (?, ?, ?, ?)")
                try Self.forEachBlock(of: batch, ids: ids) { seed, pieces, entries in
                    store.setUncheckedArguments([seed, batchID, pieces, entries])
                    try store.execute()
                }
                try db.execute(sql: "DELETE FROM baseline")
            }
        }
    }

    /// Calls `body` once per seed of the batch, in seed order, with how many of the batch's
    /// pieces hold it and its postings (piece id and location, 8 bytes each, in piece order).
    /// One sort of the whole batch's seeds, rather than a growing array per seed.
    private static func forEachBlock(
        of batch: [NewPiece], ids: [UInt32], _ body: (Int32, Int, Data) throws -> Void
    ) rethrows {
        // (P) every posting of the batch: piece id in the high 32 bits, location in the low 32.
        var postings: [UInt64] = []
        // (P) the seed in the high 32 bits, the posting's index in `postings` in the low 32.
        var order: [UInt64] = []
        let total = batch.reduce(0) { $0 + $1.seedPlaces.count }
        postings.reserveCapacity(total)
        order.reserveCapacity(total)
        for (file, id) in zip(batch, ids) {
            for place in file.seedPlaces {
                order.append(place & 0xFFFF_FFFF_0000_0000 | UInt64(postings.count))
                postings.append(UInt64(id) << 32 | place & 0xFFFF_FFFF)
            }
        }
        order.sort()
        var entries: [UInt8] = []
        var start = 0
        while start < order.count {
            let seed = order[start] >> 32
            var end = start
            var pieces = 0
            var lastPiece: UInt64 = .max
            entries.removeAll(keepingCapacity: true)
            while end < order.count && order[end] >> 32 == seed {
                let posting = postings[Int(order[end] & 0xFFFF_FFFF)]
                if posting >> 32 != lastPiece {
                    pieces += 1
                    lastPiece = posting >> 32
                }
                withUnsafeBytes(of: UInt32(truncatingIfNeeded: posting >> 32).littleEndian) {
                    entries.append(contentsOf: $0)
                }
                withUnsafeBytes(of: UInt32(truncatingIfNeeded: posting).littleEndian) { entries.append(contentsOf: $0) }
                end += 1
            }
            try body(Int32(truncatingIfNeeded: seed), pieces, Data(entries))
            start = end
        }
    }

    public func saveBaseline(_ baseline: Baseline) throws {
        try Self.translatingErrors(path) {
            try database.write { db in
                try db.execute(sql: "DELETE FROM baseline")
                try db.execute(
                    sql: """
                        INSERT INTO baseline (id, piece_count, sampled_pieces, scores, measured_at)
                        VALUES (1, ?, ?, ?, ?)
                        """,
                    arguments: [
                        baseline.pieceCount, baseline.scores.count, baseline.encodedScores,
                        ISO8601DateFormatter().string(from: Date()),
                    ])
            }
        }
    }

    // MARK: Reading

    public func pieceCount() throws -> Int {
        try Self.translatingErrors(path) {
            try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM piece") ?? 0 }
        }
    }

    /// The baseline the last complete indexing run measured; `notCalibrated` when none is stored.
    public func baseline() throws -> Baseline {
        let stored = try Self.translatingErrors(path) {
            try database.read { db in try Row.fetchOne(db, sql: "SELECT piece_count, scores FROM baseline WHERE id = 1")
            }
        }
        guard let stored, let baseline = Baseline(pieceCount: stored[0], encodedScores: stored[1]) else {
            throw ClearanceError.notCalibrated(file: path)
        }
        return baseline
    }

    /// Runs `body` with a reader over one consistent snapshot of the index.
    public func withReader<Value>(_ body: (IndexReader) throws -> Value) throws -> Value {
        try Self.translatingErrors(path) {
            try database.read { db in try body(try IndexReader(db, path: path)) }
        }
    }

    /// Every stored piece, in id order: for measuring the baseline and for benchmarks.
    public func allPieces() throws -> [IndexedPiece] {
        try withReader { reader in try reader.allPieces() }
    }
}

/// Look-ups in one read transaction of the index.
public final class IndexReader: SeedCatalogue {
    private let db: Database
    private let path: String
    public let pieceCount: Int
    private let identities: [Int64: PieceIdentity]
    private var cache: [Int64: IndexedPiece] = [:]

    init(_ db: Database, path: String) throws {
        self.db = db
        self.path = path
        var identities: [Int64: PieceIdentity] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT id, work_key, content_key FROM piece")
        while let row = try rows.next() {
            identities[row[0]] = PieceIdentity(id: row[0], workKey: row[1], contentKey: row[2])
        }
        self.identities = identities
        pieceCount = identities.count
    }

    public func postings(of seed: Int32, limit: Int) throws -> (pieces: Int, postings: [Posting]) {
        try postings(of: [seed], limit: limit)[seed] ?? (0, [])
    }

    /// Two statements for all the seeds: how many pieces hold each (summed over batches), then
    /// the postings of those held by at most `limit` pieces, so a common seed's long blocks
    /// are never read.
    public func postings(of seeds: [Int32], limit: Int) throws -> [Int32: (pieces: Int, postings: [Posting])] {
        var found: [Int32: (pieces: Int, postings: [Posting])] = [:]
        for seed in seeds { found[seed] = (0, []) }
        guard !seeds.isEmpty else { return found }
        let counting = try db.cachedStatement(
            sql: """
                SELECT seed, SUM(pieces) FROM posting_block
                WHERE seed IN (SELECT value FROM json_each(?)) GROUP BY seed
                """)
        let counts = try Row.fetchCursor(counting, arguments: [Self.jsonList(found.keys)])
        var followed: [Int32] = []
        while let row = try counts.next() {
            let seed: Int32 = row[0], pieces: Int = row[1]
            found[seed]?.pieces = pieces
            if pieces <= limit { followed.append(seed) }
        }
        guard !followed.isEmpty else { return found }
        let reading = try db.cachedStatement(
            sql: "SELECT seed, entries FROM posting_block WHERE seed IN (SELECT value FROM json_each(?))")
        let rows = try Row.fetchCursor(reading, arguments: [Self.jsonList(followed)])
        while let row = try rows.next() {
            let seed: Int32 = row[0]
            let entries: Data = row[1]
            var postings = found[seed]?.postings ?? []
            found[seed]?.postings = []
            entries.withUnsafeBytes { raw in
                for offset in stride(from: 0, to: raw.count - 7, by: 8) {
                    let piece = Int64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                    guard identities[piece] != nil else { continue }
                    let location = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
                    postings.append(Posting(piece: piece, location: location))
                }
            }
            found[seed]?.postings = postings
        }
        return found
    }

    /// Seeds as a JSON array, the one parameter `json_each` reads a list from.
    private static func jsonList(_ seeds: some Sequence<Int32>) -> String {
        "[" + seeds.map(String.init).joined(separator: ",") + "]"
    }

    public func identity(of id: Int64) throws -> PieceIdentity {
        guard let identity = identities[id] else { throw ClearanceError.damagedPiece(file: path, piece: "piece \(id)") }
        return identity
    }

    public func piece(_ id: Int64) throws -> IndexedPiece {
        if let cached = cache[id] { return cached }
        let statement = try db.cachedStatement(sql: "SELECT path, work_key, content_key, lines FROM piece WHERE id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [id]) else {
            throw ClearanceError.damagedPiece(file: path, piece: "piece \(id)")
        }
        let indexed = try decode(row, id: id)
        cache[id] = indexed
        return indexed
    }

    func pieceIDs() throws -> [Int64] {
        identities.keys.sorted()
    }

    func allPieces() throws -> [IndexedPiece] {
        try Row.fetchAll(db, sql: "SELECT path, work_key, content_key, lines, id FROM piece ORDER BY id").map {
            try decode($0, id: $0[4])
        }
    }

    private func decode(_ row: Row, id: Int64) throws -> IndexedPiece {
        let piecePath: String = row[0]
        do {
            let piece = try PieceCodec.decode(row[3])
            return IndexedPiece(id: id, path: piecePath, piece: piece, workKey: row[1], contentKey: row[2])
        } catch {
            throw ClearanceError.damagedPiece(file: path, piece: piecePath)
        }
    }
}
