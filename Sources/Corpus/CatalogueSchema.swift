import GRDB

/// The catalogue's schema, one migration per version; GRDB records which ran, so an
/// older catalogue is brought up to date when opened and never rebuilt.
enum CatalogueSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: sources, findings, analysis, runs") { db in
            try db.create(table: "ingest_run") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("started_at", .text).notNull()
                table.column("finished_at", .text)
                table.column("sources", .text).notNull()
                table.column("settings_digest", .text).notNull()
                table.column("jobs", .integer).notNull()
            }
            try db.create(table: "source_file") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("path", .text).notNull().unique()
                table.column("size", .integer).notNull()
                table.column("sha256", .text).notNull().indexed()
                table.column("status", .text).notNull().indexed()
                    .check(sql: "status IN ('clean', 'repaired', 'rejected', 'duplicate', 'skipped')")
                table.column("reason_code", .text)
                table.column("reason", .text)
                table.column("clean_file", .text)
                table.column("duplicate_of", .integer).references("source_file", onDelete: .setNull)
                table.column("note_fingerprint", .text).indexed()
                table.column("settings_digest", .text).notNull()
                table.column("run_id", .integer).notNull().references("ingest_run")
            }
            try db.create(table: "finding") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("source_id", .integer).notNull().indexed().references("source_file", onDelete: .cascade)
                table.column("stage", .text).notNull()
                table.column("kind", .text).notNull()
                table.column("action", .text)
                table.column("track", .integer)
                table.column("byte_offset", .integer)
                table.column("occurrences", .integer).notNull()
                table.column("message", .text).notNull()
            }
            try db.create(table: "analysis") { table in
                table.primaryKey("source_id", .integer).references("source_file", onDelete: .cascade)
                table.column("notes", .integer).notNull()
                table.column("drum_notes", .integer).notNull()
                table.column("duration_seconds", .double).notNull()
                table.column("tracks_kept", .integer).notNull()
                table.column("tracks_dropped", .integer).notNull()
                table.column("programs", .text).notNull()
                table.column("families", .text).notNull()
                table.column("tempo_min_bpm", .double).notNull()
                table.column("tempo_max_bpm", .double).notNull()
                table.column("time_signatures", .text).notNull()
                table.column("key", .text)
                table.column("key_correlation", .double)
                table.column("key_confidence", .double)
                table.column("pitch_min", .integer)
                table.column("pitch_max", .integer)
            }
        }
        return migrator
    }
}
