import Clearance
import Foundation
import Generation

/// Opens the clearance index `generate` and `evaluate` check originality against: a run's
/// training pieces (kept in the run folder) or a corpus (kept in the user's cache folder).
/// Building one is a one-time cost of a minute or two for the visible corpus, so it is said
/// on standard error, with a progress bar on a terminal.
enum ReferenceIndexes {
    /// Corpus indexes live here, one folder per set of files.
    static var cacheRoot: String { CacheFolder.path(named: "clearance") }

    static func training(of run: TrainedRun, thresholds: VerdictThresholds) throws -> ReferenceClearance {
        let progress = ProgressDisplay(unit: "pieces")
        defer { progress.clear() }
        return try run.trainingClearance(
            thresholds: thresholds,
            building: { pieces in
                Diagnostics.warn(
                    "indexing the run's \(pieces) training pieces for the copy check, once: "
                        + "kept in \(run.folder.clearanceIndex)")
            }, progress: { progress.update(done: $0, total: $1) })
    }

    static func corpus(
        _ folders: [String], names: @escaping CleanCopyNames, cacheRoot: String, thresholds: VerdictThresholds
    ) throws -> ReferenceClearance {
        let pieces = try CorpusFiles.pieces(in: folders, names: names)
        let folder = ReferenceClearance.cacheFolder(for: pieces, under: cacheRoot)
        let progress = ProgressDisplay(unit: "pieces")
        defer { progress.clear() }
        return try ReferenceClearance.open(
            pieces: pieces, folder: folder, thresholds: thresholds,
            building: { count in
                Diagnostics.warn("indexing the corpus's \(count) pieces for the copy check, once: kept in \(folder)")
            }, progress: { progress.update(done: $0, total: $1) })
    }
}

/// The user's cache folder for Tunesmith (`$XDG_CACHE_HOME/tunesmith`, else `~/.cache/tunesmith`).
enum CacheFolder {
    static func path(named name: String) -> String {
        let base =
            ProcessInfo.processInfo.environment["XDG_CACHE_HOME"]
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
        return ((base as NSString).appendingPathComponent("tunesmith") as NSString).appendingPathComponent(name)
    }
}
