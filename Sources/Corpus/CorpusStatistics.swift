import Foundation
import GRDB

/// `tunesmith corpus stats`: what the catalogue holds, read back.
public struct CorpusStatistics: Codable, Hashable, Sendable {
    public var type = "stats"
    public var corpus: String
    public var schemaVersion: String
    public var sources = 0
    public var byStatus: [String: Int] = [:]
    public var rejectedByReason: [String: Int] = [:]
    public var duplicatesByReason: [String: Int] = [:]
    public var skippedByReason: [String: Int] = [:]
    /// Kept pieces (clean or repaired) per finding or cleanup kind.
    public var repairsByKind: [String: Int] = [:]
    public var keptPieces = 0
    public var keptNotes = 0
    public var keptSeconds = 0.0
    public var keptByKey: [String: Int] = [:]
    public var keptByFamily: [String: Int] = [:]
    public var runs = 0
    public var interruptedRuns = 0

    public static func read(corpus corpusDirectory: String) throws -> CorpusStatistics {
        let catalogue = try Catalogue(readingIn: corpusDirectory)
        return try catalogue.database.read { db in
            var stats = CorpusStatistics(
                corpus: corpusDirectory,
                schemaVersion: try CatalogueSchema.migrator.appliedIdentifiers(db).sorted().last ?? "none")
            for row in try Row.fetchAll(
                db, sql: "SELECT status, reason_code, COUNT(*) AS n FROM source_file GROUP BY status, reason_code")
            {
                let status: String = row["status"], count: Int = row["n"]
                let reason: String = row["reason_code"] ?? "unknown"
                stats.sources += count
                stats.byStatus[status, default: 0] += count
                switch SourceStatus(rawValue: status) {
                case .rejected: stats.rejectedByReason[reason, default: 0] += count
                case .duplicate: stats.duplicatesByReason[reason, default: 0] += count
                case .skipped: stats.skippedByReason[reason, default: 0] += count
                default: break
                }
            }
            let kept = "s.status IN ('clean', 'repaired')"
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT f.kind, COUNT(DISTINCT f.source_id) AS n FROM finding f JOIN source_file s ON s.id = f.source_id WHERE \(kept) AND f.stage != 'layout' GROUP BY f.kind"
            ) {
                stats.repairsByKind[row["kind"]] = row["n"]
            }
            let totals = try Row.fetchOne(
                db,
                sql:
                    "SELECT COUNT(*) AS n, COALESCE(SUM(a.notes), 0) AS notes, COALESCE(SUM(a.duration_seconds), 0) AS seconds FROM source_file s JOIN analysis a ON a.source_id = s.id WHERE \(kept)"
            )
            stats.keptPieces = totals?["n"] ?? 0
            stats.keptNotes = totals?["notes"] ?? 0
            stats.keptSeconds = totals?["seconds"] ?? 0
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT COALESCE(a.key, 'none') AS key, COUNT(*) AS n FROM source_file s JOIN analysis a ON a.source_id = s.id WHERE \(kept) GROUP BY key"
            ) {
                stats.keptByKey[row["key"]] = row["n"]
            }
            for families in try String.fetchAll(
                db, sql: "SELECT a.families FROM source_file s JOIN analysis a ON a.source_id = s.id WHERE \(kept)")
            {
                for family in families.split(separator: ",") { stats.keptByFamily[String(family), default: 0] += 1 }
            }
            stats.runs = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ingest_run") ?? 0
            stats.interruptedRuns =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ingest_run WHERE finished_at IS NULL") ?? 0
            return stats
        }
    }
}
