import GRDB

/// The tables of `INDEXDIR/clearance.sqlite`.
///
/// - `piece`: one row per indexed file, keyed by path, with the size and modification time
///   that tell a re-run whether it changed, and its lines (`PieceCodec`).
/// - `posting_block`: for each seed and each indexing batch, the pieces of that batch that
///   hold the seed (`pieces`) and where (`entries`: piece id and line × position, 8 bytes
///   each). One row per seed per batch, rather than per occurrence, keeps inserts few: an
///   index of 100,000 pieces holds a few hundred rows per seed at most.
/// - `baseline`: the best match scores of catalogue pieces against other works.
///
/// `PRAGMA application_id` marks the file as a clearance index and `user_version` is the
/// layout version: another SQLite file, or another version, is refused by name.
enum IndexSchema {
    static let applicationID: Int32 = 0x5443_4c52  // "TCLR"
    static let version = 2

    static func create(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE piece (
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL UNIQUE,
                    size INTEGER NOT NULL,
                    modified REAL NOT NULL,
                    content_key INTEGER NOT NULL,
                    work_key TEXT NOT NULL,
                    notes INTEGER NOT NULL,
                    lines BLOB NOT NULL,
                    batch INTEGER NOT NULL);
                CREATE INDEX piece_by_content ON piece(content_key);
                CREATE TABLE posting_block (
                    seed INTEGER NOT NULL,
                    batch INTEGER NOT NULL,
                    pieces INTEGER NOT NULL,
                    entries BLOB NOT NULL,
                    PRIMARY KEY (seed, batch)) WITHOUT ROWID;
                CREATE TABLE batch (id INTEGER PRIMARY KEY, written_at TEXT NOT NULL);
                CREATE TABLE baseline (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    piece_count INTEGER NOT NULL,
                    sampled_pieces INTEGER NOT NULL,
                    scores BLOB NOT NULL,
                    measured_at TEXT NOT NULL);
                PRAGMA application_id = \(applicationID);
                PRAGMA user_version = \(version);
                """)
    }
}
