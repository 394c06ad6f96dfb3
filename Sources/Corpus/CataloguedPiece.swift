import Foundation
import GRDB

/// One catalogue row as `tunesmith corpus list` shows it.
public struct CataloguedPiece: Codable, Hashable, Sendable {
    public var type = "piece"
    public var path: String
    public var size: Int
    public var sha256: String
    public var status: String
    public var reasonCode: String?
    public var reason: String?
    public var cleanFile: String?
    public var duplicateOf: String?
    public var findings: Int
    public var summary: PieceSummary?
}

/// Which rows `corpus list` shows.
public struct CatalogueQuery: Sendable {
    public var status: SourceStatus?
    /// A key name ("Eb major", "c minor"); enharmonic spellings match.
    public var key: String?
    public var minimumNotes: Int?

    public init(status: SourceStatus? = nil, key: String? = nil, minimumNotes: Int? = nil) {
        self.status = status
        self.key = key
        self.minimumNotes = minimumNotes
    }
}

extension CataloguedPiece {
    public static func list(corpus corpusDirectory: String, matching query: CatalogueQuery = CatalogueQuery()) throws
        -> [CataloguedPiece]
    {
        let wantedKey = try query.key.map { try FilterCheck.parseKey($0) }
        let catalogue = try Catalogue(readingIn: corpusDirectory)
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let status = query.status {
            conditions.append("s.status = ?")
            _ = arguments.append(contentsOf: [status.rawValue])
        }
        if let minimumNotes = query.minimumNotes {
            conditions.append("a.notes >= ?")
            _ = arguments.append(contentsOf: [minimumNotes])
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try catalogue.database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.*, d.path AS duplicate_path, a.source_id AS analysed, a.notes, a.drum_notes, a.duration_seconds,
                        a.tracks_kept, a.tracks_dropped, a.programs, a.families, a.tempo_min_bpm, a.tempo_max_bpm, a.time_signatures,
                        a.key, a.key_correlation, a.key_confidence, a.pitch_min, a.pitch_max,
                        (SELECT COUNT(*) FROM finding f WHERE f.source_id = s.id) AS finding_count
                    FROM source_file s
                    LEFT JOIN analysis a ON a.source_id = s.id
                    LEFT JOIN source_file d ON d.id = s.duplicate_of
                    \(whereClause)
                    ORDER BY s.path
                    """, arguments: arguments)
        }
        return rows.compactMap { row in
            let summary = row["analysed"] == nil ? nil : PieceSummary(row: row)
            if let wantedKey {
                guard let name = summary?.key, (try? FilterCheck.parseKey(name)) == wantedKey else { return nil }
            }
            return CataloguedPiece(
                path: row["path"], size: row["size"], sha256: row["sha256"], status: row["status"],
                reasonCode: row["reason_code"], reason: row["reason"], cleanFile: row["clean_file"],
                duplicateOf: row["duplicate_path"], findings: row["finding_count"], summary: summary)
        }
    }
}

extension PieceSummary {
    init(row: Row) {
        func list(_ column: String) -> [String] {
            (row[column] as String? ?? "").split(separator: ",").map(String.init)
        }
        notes = row["notes"]
        drumNotes = row["drum_notes"]
        durationSeconds = row["duration_seconds"]
        tracksKept = row["tracks_kept"]
        tracksDropped = row["tracks_dropped"]
        programs = list("programs").compactMap { Int($0) }
        families = list("families").compactMap { InstrumentFamily(rawValue: $0) }
        tempoMinimumBPM = row["tempo_min_bpm"]
        tempoMaximumBPM = row["tempo_max_bpm"]
        timeSignatures = list("time_signatures")
        key = row["key"]
        keyCorrelation = row["key_correlation"]
        keyConfidence = row["key_confidence"]
        lowestPitch = row["pitch_min"]
        highestPitch = row["pitch_max"]
    }
}
