import Corpus
import Foundation
import Utilities

/// A corpus folder made by `tunesmith corpus ingest … --into DIR`: its catalogue says
/// what was kept, repaired, rejected, found twice or skipped, and why.
struct CatalogueInput: Sendable {
    var directory: String
    var statistics: CorpusStatistics
    var rows: [CataloguedPiece]

    /// Nil for a plain folder of MIDI files; throws when a catalogue is there but unreadable.
    static func open(_ directory: String) throws -> CatalogueInput? {
        guard CorpusFolder(directory).hasCatalogue else { return nil }
        return CatalogueInput(
            directory: directory, statistics: try CorpusStatistics.read(corpus: directory),
            rows: try CataloguedPiece.list(corpus: directory))
    }

    var keptRows: [CataloguedPiece] { rows.filter { SourceStatus(rawValue: $0.status)?.isKept == true } }

    /// Kept pieces to report on: the source file as ingested (its findings are the repairs),
    /// or the corpus's clean copy when the source has gone.
    var reportInputs: [ReportInput] {
        keptRows.map { row in
            let source = FileManager.default.fileExists(atPath: row.path) ? row.path : nil
            let clean = row.cleanFile.map { (directory as NSString).appendingPathComponent($0) }
            let parent = ((row.path as NSString).deletingLastPathComponent as NSString).lastPathComponent
            return ReportInput(
                path: source ?? clean ?? row.path, displayName: row.path, folder: parent.isEmpty ? "." : parent)
        }
    }
}
