import Foundation
import GRDB
import Utilities

/// `INDEXDIR/clearance.sqlite` and its postings files: the catalogue's melodic lines, the
/// inverted index from seed to places, and the baseline of scores between unrelated pieces.
///
/// SQLite (GRDB) is the catalogue of record: one row per piece with its lines as one blob.
/// The seed → places index lives in immutable segment files (`PostingSegment`), one per
/// stored batch, merged LSM-style as they accumulate (`mergeFanIn` segments of one size tier
/// become one of the next), so a look-up reads a handful of files however many batches were
/// stored. Every batch is one transaction whose segment file is already in place when it
/// commits: a killed indexing run leaves whole batches and nothing of a half-done one.
public final class ClearanceIndex: @unchecked Sendable {
    public static let fileName = "clearance.sqlite"
    /// Segments whose piece counts lie in one tier (×8 apart from `mergeBase` up) are merged
    /// into one when this many of them follow each other.
    static let mergeFanIn = 8
    static let mergeBase = 512

    public let path: String
    public let folder: String
    let database: DatabaseQueue
    // `state` and `identities` are read and replaced only while `lock` is held.
    private let lock = NSLock()
    private var state = State()
    private var identities: [Int64: PieceIdentity]?

    /// What look-ups read: the live segments, oldest (lowest piece ids) first.
    struct State {
        var segments: [StoredSegment] = []
        var removed: Set<Int64> = []
        var pieceCount = 0
    }

    struct StoredSegment {
        var id: Int64
        var firstPiece: Int64
        var lastPiece: Int64
        var pieces: Int
        var file: PostingSegment

        var tier: Int {
            var tier = 0
            var size = ClearanceIndex.mergeBase * ClearanceIndex.mergeFanIn
            while pieces >= size {
                tier += 1
                size *= ClearanceIndex.mergeFanIn
            }
            return tier
        }
    }

    /// What an earlier run stored for a path: enough to tell whether the file changed.
    public struct StoredFile: Hashable, Sendable {
        public var id: Int64
        public var size: Int
        public var modified: Double
    }

    public static func filePath(inFolder folder: String) -> String {
        (folder as NSString).appendingPathComponent(fileName)
    }

    private init(folder: String, database: DatabaseQueue) {
        self.folder = folder
        self.path = Self.filePath(inFolder: folder)
        self.database = database
    }

    /// Connections wait for another connection's lock (an index being written or read by another
    /// process, or by a parallel test) instead of failing at once with "database is locked".
    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(60)
        return configuration
    }

    /// Opens the index in `folder` for adding pieces, creating the folder and index when
    /// missing, and deleting postings files that a stopped run wrote but never listed.
    public static func openForWriting(folder: String) throws -> ClearanceIndex {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = filePath(inFolder: folder)
        var configuration = Self.configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let database = try translatingErrors(path) { try DatabaseQueue(path: path, configuration: configuration) }
        try translatingErrors(path) {
            try database.write { db in
                let tables = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") ?? 0
                if tables == 0 { try IndexSchema.create(db) }
                let application = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if application == IndexSchema.applicationID && IndexSchema.baselineOnlyVersions.contains(version) {
                    try IndexSchema.upgradeInPlace(db)
                }
            }
        }
        let index = ClearanceIndex(folder: folder, database: database)
        try index.checkIdentity()
        try index.deleteUnlistedSegmentFiles()
        try index.reloadState()
        return index
    }

    /// Opens an existing index for checking pieces against it.
    public static func openForReading(folder: String) throws -> ClearanceIndex {
        let path = filePath(inFolder: folder)
        guard FileManager.default.fileExists(atPath: path) else { throw ClearanceError.noIndex(folder: folder) }
        var configuration = Self.configuration()
        configuration.readonly = true
        let database = try translatingErrors(path) { try DatabaseQueue(path: path, configuration: configuration) }
        let index = ClearanceIndex(folder: folder, database: database)
        try index.checkIdentity()
        try index.reloadState()
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
        if IndexSchema.baselineOnlyVersions.contains(version) { throw ClearanceError.outdatedBaseline(file: path) }
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

    private func segmentPath(_ file: String) -> String { (folder as NSString).appendingPathComponent(file) }

    /// Maps the listed segments and reads the removed pieces and the piece count.
    private func reloadState() throws {
        let rows = try Self.translatingErrors(path) {
            try database.read { db in
                (
                    try Row.fetchAll(
                        db, sql: "SELECT id, file, first_piece, last_piece, pieces FROM segment ORDER BY first_piece"),
                    try Set(Int64.fetchAll(db, sql: "SELECT piece FROM removed")),
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM piece") ?? 0
                )
            }
        }
        let segments = try rows.0.map { row in
            StoredSegment(
                id: row[0], firstPiece: row[2], lastPiece: row[3], pieces: row[4],
                file: try PostingSegment(path: segmentPath(row[1])))
        }
        lock.withLock {
            state = State(segments: segments, removed: rows.1, pieceCount: rows.2)
            identities = nil
        }
    }

    private func deleteUnlistedSegmentFiles() throws {
        let listed = try Self.translatingErrors(path) {
            try database.read { db in try Set(String.fetchAll(db, sql: "SELECT file FROM segment")) }
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            let isSegment = name.hasPrefix("postings-") && name.hasSuffix(".seg") && !listed.contains(name)
            let isUnfinished = name.hasPrefix(".postings-") && name.hasSuffix(".tmp")
            if isSegment || isUnfinished { try? FileManager.default.removeItem(atPath: segmentPath(name)) }
        }
    }

    private static func newSegmentName() -> String {
        "postings-" + String(UInt64.random(in: 0...UInt64.max), radix: 16) + ".seg"
    }

    var snapshot: State { lock.withLock { state } }

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

    /// A file read and ready to store, with its seeds already listed and sorted (the costly
    /// part, done on the reading threads rather than on the one that writes).
    public struct NewPiece: Sendable {
        public var path: String
        public var size: Int
        public var modified: Double
        public var piece: ClearancePiece
        /// Each seed of the piece with its place, ascending (`SeedPlaces`).
        let places: [UInt64]
        /// The piece's row blob (`PieceCodec`).
        let encodedLines: Data

        public init(path: String, size: Int, modified: Double, piece: ClearancePiece) {
            self.path = path
            self.size = size
            self.modified = modified
            self.piece = piece
            places = SeedPlaces.listed(piece)
            encodedLines = PieceCodec.encode(piece)
        }
    }

    /// Stores one batch in one transaction, replacing earlier versions of the same paths: the
    /// pieces' rows, and a segment file of their postings that is in place before the
    /// transaction listing it commits. A replaced piece's postings stay in their segment,
    /// listed in `removed` so look-ups skip them, until that segment is merged.
    /// - Parameter threads: threads that merge and encode the batch's postings.
    public func add(_ batch: [NewPiece], threads: Int = 1) throws {
        guard !batch.isEmpty else { return }
        let name = Self.newSegmentName()
        do {
            try Self.translatingErrors(path) {
                try database.write { db in
                    let find = try db.cachedStatement(sql: "SELECT id FROM piece WHERE path = ?")
                    let remove = try db.cachedStatement(sql: "DELETE FROM piece WHERE id = ?")
                    let keep = try db.cachedStatement(sql: "INSERT OR IGNORE INTO removed (piece) VALUES (?)")
                    let insert = try db.cachedStatement(
                        sql: """
                            INSERT INTO piece (path, size, modified, content_key, work_key, notes, lines)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """)
                    var ids: [UInt64] = []
                    for file in batch {
                        if let old = try Int64.fetchOne(find, arguments: [file.path]) {
                            try remove.execute(arguments: [old])
                            try keep.execute(arguments: [old])
                        }
                        try insert.execute(arguments: [
                            file.path, file.size, file.modified, file.piece.contentKey, WorkKey.of(path: file.path),
                            file.piece.noteCount, file.encodedLines,
                        ])
                        ids.append(UInt64(db.lastInsertedRowID))
                    }
                    let (seeds, bytes) = try Self.writeSegment(
                        of: batch, ids: ids, to: segmentPath(name), threads: threads)
                    try db.execute(
                        sql: """
                            INSERT INTO segment (file, first_piece, last_piece, pieces, seeds, bytes, written_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            name, ids.min(), ids.max(), batch.count, seeds, bytes,
                            ISO8601DateFormatter().string(from: Date()),
                        ])
                    try db.execute(sql: "DELETE FROM baseline")
                }
            }
        } catch {
            unlink(segmentPath(name))
            throw error
        }
        try reloadState()
        try mergeSegments()
    }

    /// Writes the batch's postings as one segment. Each piece's places are sorted already (on
    /// the reading threads); the batch's seeds are cut into stretches that `threads` threads
    /// merge and encode at once, each stretch copied into the file as soon as it and those
    /// before it are done. The file is the same whatever the number of threads.
    static func writeSegment(of batch: [NewPiece], ids: [UInt64], to path: String, threads: Int) throws -> (Int, Int) {
        let writer = try SegmentWriter(path: path)
        let pieces = zip(ids, batch).map { (id: $0, places: $1.places) }
        // Several stretches a thread, so that copying one into the file overlaps encoding the next.
        let bounds = SeedPlaces.bounds(pieces, parts: 4 * max(threads, 1))
        try OrderedParallelMap.run(
            count: bounds.count - 1, jobs: threads,
            work: { part in SeedPlaces.encoded(pieces, keys: bounds[part]..<bounds[part + 1]) },
            consume: { _, stretch in try writer.add(stretch) })
        let bytes = try writer.finish()
        return (writer.seedCount, bytes)
    }

    /// Merges runs of `mergeFanIn` consecutive segments of one size tier until none is left:
    /// each piece's postings are rewritten about once per tier, and look-ups read at most
    /// `mergeFanIn` − 1 segments per tier.
    func mergeSegments() throws {
        while true {
            let segments = snapshot.segments
            guard
                let start = segments.indices.first(where: { start in
                    start + Self.mergeFanIn <= segments.count
                        && segments[start..<(start + Self.mergeFanIn)].allSatisfy { $0.tier == segments[start].tier }
                })
            else { return }
            try merge(Array(segments[start..<(start + Self.mergeFanIn)]))
        }
    }

    /// Merges the segments after the largest into one at the end of an indexing run, and then
    /// that one into the largest when it holds at least `wholeMergeShare` of the largest's
    /// pieces. A check looks every query seed up in every segment, and those look-ups are
    /// memory latency, so one segment instead of two takes about a fifth off a check at 10,000
    /// pieces (README: 0.70–0.93 of the time in seven paired runs). The share bounds what whole merges cost: each grows the index by a quarter or
    /// more, so over an index's life every piece is rewritten about 1 / (1 − 0.8) = 5 times,
    /// while a run that adds a few pieces to a large index rewrites only the trailing segment.
    public func compact() throws {
        var segments = snapshot.segments
        guard let largest = segments.indices.max(by: { segments[$0].pieces < segments[$1].pieces }) else { return }
        let trailing = Array(segments[(largest + 1)...])
        if trailing.count > 1 {
            try merge(trailing)
            segments = snapshot.segments
        }
        let rest = segments.reduce(0) { $0 + $1.pieces } - segments[largest].pieces
        if segments.count > 1 && Double(rest) >= Self.wholeMergeShare * Double(segments[largest].pieces) {
            try merge(segments)
        }
    }

    /// The share of the largest segment's pieces the rest must reach before `compact` merges
    /// every segment into one.
    static let wholeMergeShare = 0.25

    /// Rewrites `inputs` (consecutive, oldest first) as one segment without the removed pieces'
    /// postings; the new file is in place before the transaction swapping it in commits, and
    /// the old files are deleted after.
    func merge(_ inputs: [StoredSegment]) throws {
        let removed = snapshot.removed.filter { id in inputs.contains { $0.firstPiece <= id && id <= $0.lastPiece } }
        let name = Self.newSegmentName()
        do {
            let writer = try SegmentWriter(path: segmentPath(name))
            var cursors = inputs.map { $0.file.entries() }
            var heads = try cursors.indices.map { try cursors[$0].next() }
            // (postings of one seed) decoded from every input holding it.
            var postings: [UInt64] = []
            while true {
                var seed = SeedKey.max, holders = 0, holder = 0
                for (input, head) in heads.enumerated() {
                    guard let head else { continue }
                    if head.seed < seed || holders == 0 {
                        (seed, holders, holder) = (head.seed, 1, input)
                    } else if head.seed == seed {
                        holders += 1
                    }
                }
                guard holders > 0 else { break }
                if holders == 1 && removed.isEmpty, let entry = heads[holder] {
                    try writer.add(seed, pieces: entry.pieces, encoded: inputs[holder].file.postingBytes(entry))
                    heads[holder] = try cursors[holder].next()
                    continue
                }
                postings.removeAll(keepingCapacity: true)
                for input in inputs.indices {
                    guard let head = heads[input], head.seed == seed else { continue }
                    try inputs[input].file.decode(head, into: &postings, removed: removed)
                    heads[input] = try cursors[input].next()
                }
                try writer.add(seed, postings: postings)
            }
            let bytes = try writer.finish()
            try Self.translatingErrors(path) {
                try database.write { db in
                    for input in inputs {
                        try db.execute(sql: "DELETE FROM segment WHERE id = ?", arguments: [input.id])
                    }
                    for id in removed { try db.execute(sql: "DELETE FROM removed WHERE piece = ?", arguments: [id]) }
                    try db.execute(
                        sql: """
                            INSERT INTO segment (file, first_piece, last_piece, pieces, seeds, bytes, written_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            name, inputs.map(\.firstPiece).min(), inputs.map(\.lastPiece).max(),
                            inputs.reduce(0) { $0 + $1.pieces } - removed.count, writer.seedCount, bytes,
                            ISO8601DateFormatter().string(from: Date()),
                        ])
                }
            }
        } catch {
            unlink(segmentPath(name))
            throw error
        }
        try reloadState()
        for input in inputs { unlink(input.file.path) }
    }

    /// Bytes of the index on disk: the SQLite file, its write-ahead log and the segments.
    public func sizeOnDisk() -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.reduce(0) { total, name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: segmentPath(name))
            return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
        }
    }

    /// Copies what the write-ahead log holds into the index file and empties the log, so that
    /// a finished index is one self-contained file: a connection still open when its folder is
    /// moved into place would otherwise leave the log's pages to be read instead of the file's.
    public func checkpoint() throws {
        try Self.translatingErrors(path) {
            try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
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

    public func pieceCount() throws -> Int { snapshot.pieceCount }

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

    /// Runs `body` with a reader over the index's segments as they are now. Readers on
    /// several threads may run at once (the baseline is measured so).
    public func withReader<Value>(_ body: (IndexReader) throws -> Value) throws -> Value {
        try body(IndexReader(index: self, state: snapshot))
    }

    /// Every stored piece, in id order: for benchmarks and whole-catalogue scans.
    public func allPieces() throws -> [IndexedPiece] {
        try Self.translatingErrors(path) {
            try database.read { db in
                try Row.fetchAll(db, sql: "SELECT path, work_key, content_key, lines, id FROM piece ORDER BY id").map {
                    try decode($0, id: $0[4])
                }
            }
        }
    }

    func pieceIDs() throws -> [Int64] {
        try Self.translatingErrors(path) {
            try database.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM piece ORDER BY id") }
        }
    }

    func piece(_ id: Int64) throws -> IndexedPiece {
        let row = try Self.translatingErrors(path) {
            try database.read { db in
                try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT path, work_key, content_key, lines FROM piece WHERE id = ?"),
                    arguments: [id])
            }
        }
        guard let row else { throw ClearanceError.damagedPiece(file: path, piece: "piece \(id)") }
        return try decode(row, id: id)
    }

    /// Which work each piece holds, read once (only matching that leaves pieces out needs it).
    func identity(of id: Int64) throws -> PieceIdentity {
        if let known = lock.withLock({ identities?[id] }) { return known }
        var table: [Int64: PieceIdentity] = [:]
        try Self.translatingErrors(path) {
            try database.read { db in
                let rows = try Row.fetchCursor(db, sql: "SELECT id, work_key, content_key FROM piece")
                while let row = try rows.next() {
                    table[row[0]] = PieceIdentity(id: row[0], workKey: row[1], contentKey: row[2])
                }
            }
        }
        lock.withLock { identities = table }
        guard let identity = table[id] else { throw ClearanceError.damagedPiece(file: path, piece: "piece \(id)") }
        return identity
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

/// Look-ups over the segments an index had when the reader was made.
public final class IndexReader: SeedCatalogue {
    private let index: ClearanceIndex
    private let state: ClearanceIndex.State
    private var cache: [Int64: IndexedPiece] = [:]

    init(index: ClearanceIndex, state: ClearanceIndex.State) {
        self.index = index
        self.state = state
    }

    public var pieceCount: Int { state.pieceCount }

    public func postingTable(of seeds: [SeedKey], limit: Int) throws -> PostingTable {
        try postingTable(of: seeds, limit: limit, threads: 1)
    }

    /// Seeds a thread looks up at the least: fewer cost more to hand over than they save.
    static let seedsPerThread = 2_048

    /// The seeds sorted and cut into runs of consecutive keys, each run looked up on its own
    /// thread (`lookUp`): a check's look-ups are a chain of waits on memory, and another core
    /// waits on other places at the same time.
    public func postingTable(of seeds: [SeedKey], limit: Int, threads: Int) throws -> PostingTable {
        // A query's seeds come ascending already (`QuerySeeds.keys`).
        let sorted =
            zip(seeds, seeds.dropFirst()).allSatisfy { $0 < $1 }
            ? Array(seeds.enumerated()) : seeds.enumerated().sorted { $0.element < $1.element }
        let keys = sorted.map(\.element)
        let parts = max(1, min(threads, keys.count / Self.seedsPerThread))
        let bounds = (0...parts).map { $0 * keys.count / parts }  // [parts + 1] each run's first key
        let runs = try Parallel.map(parts: parts) { part in
            try lookUp(sorted: Array(keys[bounds[part]..<bounds[part + 1]]), limit: limit)
        }
        var table = PostingTable()
        table.pieces = [Int](repeating: 0, count: seeds.count)
        table.ranges = [Range<Int>](repeating: 0..<0, count: seeds.count)
        table.postings.reserveCapacity(runs.reduce(0) { $0 + $1.postings.count })
        for (part, run) in runs.enumerated() {
            let offset = table.postings.count
            table.postings += run.postings
            for (local, range) in run.ranges.enumerated() {
                let asked = sorted[bounds[part] + local].offset
                table.pieces[asked] = run.pieces[local]
                table.ranges[asked] = (range.lowerBound + offset)..<(range.upperBound + offset)
            }
        }
        return table
    }

    /// `postingTable` of seeds already ascending, in their order: each seed's entry in every
    /// segment, the document frequencies summed, then the postings of the seeds few enough
    /// pieces hold, oldest segment (lowest piece ids) first. Reads only, so runs of seeds may
    /// be looked up on several threads at once.
    private func lookUp(sorted keys: [SeedKey], limit: Int) throws -> PostingTable {
        // [segments][keys] each seed's entry in each segment.
        var entries = [[PostingSegment.Entry?]](
            repeating: [PostingSegment.Entry?](repeating: nil, count: keys.count), count: state.segments.count)
        var table = PostingTable()
        table.pieces = [Int](repeating: 0, count: keys.count)  // [keys] pieces holding each seed, over all segments
        for (number, segment) in state.segments.enumerated() {
            try segment.file.find(sorted: keys) { index, entry in
                entries[number][index] = entry
                table.pieces[index] += entry.pieces
            }
        }
        table.ranges.reserveCapacity(keys.count)
        for index in keys.indices {
            let start = table.postings.count
            if table.pieces[index] <= limit {
                for (number, segment) in state.segments.enumerated() {
                    if let entry = entries[number][index] {
                        try segment.file.decode(entry, into: &table.postings, removed: state.removed)
                    }
                }
            }
            table.ranges.append(start..<table.postings.count)
        }
        return table
    }

    public func identity(of id: Int64) throws -> PieceIdentity { try index.identity(of: id) }

    public func piece(_ id: Int64) throws -> IndexedPiece {
        if let cached = cache[id] { return cached }
        let indexed = try index.piece(id)
        cache[id] = indexed
        return indexed
    }

    public func pieceIDs() throws -> [Int64] { try index.pieceIDs() }
}
