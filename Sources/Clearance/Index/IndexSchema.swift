import GRDB

/// The tables of `INDEXDIR/clearance.sqlite`, the catalogue of record.
///
/// - `piece`: one row per indexed file, keyed by path, with the size and modification time
///   that tell a re-run whether it changed, and its lines (`PieceCodec`). Ids are never
///   reused (AUTOINCREMENT), so a replaced piece's postings can never point to another piece.
/// - `segment`: the live postings files beside it (`PostingSegment`), oldest first, each
///   with the range of piece ids whose postings it holds. A file is written and renamed into
///   place before the transaction that lists it commits; a file no row lists is a leftover of
///   a stopped run and is deleted when the index is next opened for writing.
/// - `removed`: replaced pieces whose postings still lie in a segment; look-ups skip them,
///   and merging the segment drops them.
/// - `baseline`: the best match scores of catalogue pieces against other works.
///
/// `PRAGMA application_id` marks the file as a clearance index and `user_version` is the
/// layout version: another SQLite file, or another version, is refused by name.
enum IndexSchema {
    static let applicationID: Int32 = 0x5443_4c52  // "TCLR"
    /// 3: postings in segment files (2 kept them as one row per seed per batch). 4: the same
    /// files, but the match score weighs runs by their parts' typicality (`RarityWeights`), so a
    /// layout-3 index's stored baseline no longer calibrates this tunesmith's scores: re-index.
    /// 5: the same tables, but the baseline leaves out a piece's matches with another file of
    /// the same work (`Calibration.isSameWork`); opening a layout-4 index for writing drops its
    /// baseline, so the next indexing run measures it again (`upgradeInPlace`).
    /// 6: the same tables, but a match's notes that run as a quotation earn more
    /// (`RarityWeights.quotationNotes`), so a layout-5 baseline is dropped the same way.
    /// 7: the same tables, but a quotation note reached by a leap earns half the bonus
    /// (`RarityWeights.leapBonusShare`), so a layout-6 baseline is dropped the same way.
    /// 8: the same tables, but a match may gather a quotation's notes across the query's voices
    /// (`CrossVoiceGathering`), so a layout-7 baseline is dropped the same way.
    /// 9: the same tables, but a passage never runs across two bars without a note in either
    /// line (`LocalAlignment.wallBeats`), so a layout-8 baseline is dropped the same way.
    /// 10: the same tables, but a match may start from a path through the query's notes
    /// (`LegatoPaths`), so a layout-9 baseline is dropped the same way.
    static let version = 10
    /// Layouts that differ from this one in the stored baseline only.
    static let baselineOnlyVersions = [4, 5, 6, 7, 8, 9]

    /// Makes a layout-4 to 9 index this layout: the pieces and postings stay, the baseline goes.
    static func upgradeInPlace(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM baseline")
        try db.execute(sql: "PRAGMA user_version = \(version)")
    }

    static func create(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE piece (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    path TEXT NOT NULL UNIQUE,
                    size INTEGER NOT NULL,
                    modified REAL NOT NULL,
                    content_key INTEGER NOT NULL,
                    work_key TEXT NOT NULL,
                    notes INTEGER NOT NULL,
                    lines BLOB NOT NULL);
                CREATE INDEX piece_by_content ON piece(content_key);
                CREATE TABLE segment (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    file TEXT NOT NULL UNIQUE,
                    first_piece INTEGER NOT NULL,
                    last_piece INTEGER NOT NULL,
                    pieces INTEGER NOT NULL,
                    seeds INTEGER NOT NULL,
                    bytes INTEGER NOT NULL,
                    written_at TEXT NOT NULL);
                CREATE TABLE removed (piece INTEGER PRIMARY KEY);
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
