import Foundation
import GRDB
import Utilities

/// `CORPUSDIR/catalog.sqlite`: one row per source file with its status, findings and
/// analysis summary. Every write is a transaction, so a killed process leaves the rows
/// of whole batches and nothing of a half-done one.
final class Catalogue {
    let database: DatabaseQueue

    /// What an earlier run recorded for a path, enough to skip it or to deduplicate against it.
    struct ExistingRow: Sendable {
        var id: Int64
        var sha256: String
        var status: SourceStatus
        var settingsDigest: String
        var cleanFile: String?
        var fingerprint: String?
    }

    /// Opens (creating when missing) and migrates the catalogue for writing.
    init(writingIn corpusDirectory: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let path = CorpusFolder(corpusDirectory).cataloguePath
        database = try DatabaseQueue(path: path, configuration: configuration)
        try CatalogueSchema.migrator.migrate(database)
    }

    /// Opens an existing catalogue for reading; errors say how to make one.
    init(readingIn corpusDirectory: String) throws {
        let path = CorpusFolder(corpusDirectory).cataloguePath
        guard FileManager.default.fileExists(atPath: path) else {
            throw CorpusError.noCatalogue(folder: corpusDirectory)
        }
        var configuration = Configuration()
        configuration.readonly = true
        database = try DatabaseQueue(path: path, configuration: configuration)
        let current = try database.read { db in try CatalogueSchema.migrator.hasCompletedMigrations(db) }
        guard current else {
            throw CorpusError.catalogueFromAnotherVersion(path: path)
        }
    }

    func existingRows() throws -> [String: ExistingRow] {
        try database.read { db in
            var rows: [String: ExistingRow] = [:]
            for row in try Row.fetchAll(
                db,
                sql: "SELECT id, path, sha256, status, settings_digest, clean_file, note_fingerprint FROM source_file")
            {
                let status = SourceStatus(rawValue: row["status"]) ?? .skipped
                rows[row["path"]] = ExistingRow(
                    id: row["id"], sha256: row["sha256"], status: status, settingsDigest: row["settings_digest"],
                    cleanFile: row["clean_file"], fingerprint: row["note_fingerprint"])
            }
            return rows
        }
    }

    /// Runs that started and never finished: each was interrupted.
    func interruptedRuns() throws -> Int {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ingest_run WHERE finished_at IS NULL") ?? 0
        }
    }

    func beginRun(sources: [String], settingsDigest: String, jobs: Int) throws -> Int64 {
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO ingest_run (started_at, sources, settings_digest, jobs) VALUES (?, ?, ?, ?)",
                arguments: [Self.timestamp(), sources.joined(separator: "\n"), settingsDigest, jobs])
            return db.lastInsertedRowID
        }
    }

    /// Marks the run complete, and with it every run left unfinished before: this run
    /// has redone whatever they left undone.
    func finishRuns(through runID: Int64) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE ingest_run SET finished_at = ? WHERE id <= ? AND finished_at IS NULL",
                arguments: [Self.timestamp(), runID])
        }
    }

    /// Writes decided files in one transaction: all of them or, if the process dies, none.
    func record(_ decisions: [Decision], runID: Int64, settingsDigest: String) throws {
        try database.write { db in
            for decision in decisions {
                try record(decision, runID: runID, settingsDigest: settingsDigest, in: db)
            }
        }
    }

    private func record(_ decision: Decision, runID: Int64, settingsDigest: String, in db: Database) throws {
        let duplicateOf = try decision.duplicateOfPath.flatMap { path in
            try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM source_file WHERE path = ?"), arguments: [path])
        }
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO source_file (path, size, sha256, status, reason_code, reason, clean_file, duplicate_of, note_fingerprint, settings_digest, run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(path) DO UPDATE SET size = excluded.size, sha256 = excluded.sha256, status = excluded.status,
                    reason_code = excluded.reason_code, reason = excluded.reason, clean_file = excluded.clean_file,
                    duplicate_of = excluded.duplicate_of, note_fingerprint = excluded.note_fingerprint,
                    settings_digest = excluded.settings_digest, run_id = excluded.run_id
                RETURNING id
                """)
        let verdict = decision.verdict
        guard
            let id = try Int64.fetchOne(
                upsert,
                arguments: [
                    decision.path, decision.size, decision.sha256, verdict.status.rawValue, verdict.reason?.rawValue,
                    verdict.detail,
                    decision.cleanFile, duplicateOf, decision.fingerprint, settingsDigest, runID,
                ])
        else { return }
        try db.cachedStatement(sql: "DELETE FROM finding WHERE source_id = ?").execute(arguments: [id])
        try db.cachedStatement(sql: "DELETE FROM analysis WHERE source_id = ?").execute(arguments: [id])
        let insertFinding = try db.cachedStatement(
            sql: """
                INSERT INTO finding (source_id, stage, kind, action, track, byte_offset, occurrences, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for finding in decision.findings {
            try insertFinding.execute(arguments: [
                id, finding.stage, finding.kind, finding.action, finding.track,
                finding.offset, finding.occurrences, finding.message,
            ])
        }
        if let summary = decision.summary {
            try db.cachedStatement(
                sql: """
                    INSERT INTO analysis (source_id, notes, drum_notes, duration_seconds, tracks_kept, tracks_dropped, programs, families,
                        tempo_min_bpm, tempo_max_bpm, time_signatures, key, key_correlation, key_confidence, pitch_min, pitch_max)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                id, summary.notes, summary.drumNotes, summary.durationSeconds, summary.tracksKept,
                summary.tracksDropped,
                summary.programs.map(String.init).joined(separator: ","),
                summary.families.map(\.rawValue).joined(separator: ","),
                summary.tempoMinimumBPM, summary.tempoMaximumBPM, summary.timeSignatures.joined(separator: ","),
                summary.key, summary.keyCorrelation, summary.keyConfidence, summary.lowestPitch, summary.highestPitch,
            ])
        }
    }

    /// Every SOURCE any ingest was given, absolute where the ingest recorded it so.
    func ingestSources() throws -> [String] {
        try database.read { db in
            let runs = try String.fetchAll(db, sql: "SELECT sources FROM ingest_run")
            return Array(Set(runs.flatMap { $0.split(separator: "\n").map(String.init) })).sorted()
        }
    }

    /// Clean files some row still names, relative to the corpus folder.
    func referencedCleanFiles() throws -> Set<String> {
        try database.read { db in
            Set(try String.fetchAll(db, sql: "SELECT clean_file FROM source_file WHERE clean_file IS NOT NULL"))
        }
    }

    static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}

/// One file's outcome, ready to be recorded.
struct Decision: Sendable {
    var path: String
    var size: Int
    var sha256: String
    var verdict: Verdict
    var cleanFile: String?
    var duplicateOfPath: String?
    var fingerprint: String?
    var findings: [FindingRecord]
    var summary: PieceSummary?
}
