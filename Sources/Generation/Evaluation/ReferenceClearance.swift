import Clearance
import Foundation
import MIDIFile
import Utilities

/// The copy check of `evaluate` and `generate`: Clearance's melody index of the reference
/// pieces (a run's training pieces, or a corpus) with its own baseline of unrelated pieces,
/// so a verdict and a percentile mean what `clearance check` says against an index of the
/// same pieces. The project has one copy check; this only decides what it is run against.
///
/// The index is built once and kept in a folder, reused while the reference files are
/// unchanged: measuring the baseline matches 300 pieces against all the others, about a
/// minute for the visible corpus, far too long to repeat for every piece generated. The
/// folder is an ordinary clearance index, so `clearance check --against FOLDER` reads it too.
public struct ReferenceClearance {
    /// The index folder.
    public let folder: String
    /// Reference pieces indexed (those that read as MIDI).
    public let pieceCount: Int
    public let checker: ClearanceChecker
    let index: ClearanceIndex

    /// Beside the index: the files it was built from, with their sizes and modification
    /// times, to tell whether it is still current.
    static let sourcesFile = "sources.json"

    /// The folder holds an index of other files (or of the same files since changed).
    private struct OtherSources: Error {}

    struct Source: Codable, Hashable {
        var name: String
        var file: String
        var size: Int
        var modified: Double
    }

    /// Opens the index of `pieces` in `folder`, building it (into a staging folder, swapped in
    /// whole) when it is missing, damaged, of another layout, or was built from other files.
    /// - Parameters:
    ///   - building: called before a build starts, with the number of pieces to index.
    ///   - progress: files read so far while building.
    public static func open(
        pieces: [CorpusPiece], folder: String, thresholds: VerdictThresholds = VerdictThresholds(),
        building: (_ pieces: Int) -> Void = { _ in }, progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> ReferenceClearance {
        let sources = try pieces.map { piece in
            let attributes: [FileAttributeKey: Any]
            do {
                attributes = try FileManager.default.attributesOfItem(atPath: piece.path)
            } catch {
                throw PipelineError.unreadableCorpusFile(path: piece.path)
            }
            return Source(
                name: piece.name, file: piece.path, size: (attributes[.size] as? NSNumber)?.intValue ?? 0,
                modified: (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
        }
        if let current = try? opened(folder: folder, sources: sources, thresholds: thresholds) { return current }
        building(pieces.count)
        try AtomicFile.replaceFolder(folder) { staging in
            let summary = try Indexer.run(
                sources.map { IndexInput(file: $0.file, name: $0.name) }, into: staging,
                jobs: Parallel.cores, progress: progress)
            guard summary.pieces > 0 else { throw PipelineError.noReadableReference(pieces: sources.count) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(sources).write(
                to: URL(fileURLWithPath: (staging as NSString).appendingPathComponent(sourcesFile)))
        }
        return try opened(folder: folder, sources: sources, thresholds: thresholds)
    }

    /// The index in `folder` when it was built from exactly `sources` and holds a baseline.
    private static func opened(folder: String, sources: [Source], thresholds: VerdictThresholds) throws
        -> ReferenceClearance
    {
        let recorded = try JSONDecoder().decode(
            [Source].self,
            from: Data(contentsOf: URL(fileURLWithPath: (folder as NSString).appendingPathComponent(sourcesFile))))
        guard recorded == sources else { throw OtherSources() }
        let index = try ClearanceIndex.openForReading(folder: folder)
        return ReferenceClearance(
            folder: folder, pieceCount: try index.pieceCount(),
            checker: ClearanceChecker(baseline: try index.baseline(), thresholds: thresholds), index: index)
    }

    /// Checks one piece (its melodic lines, as `clearance check` reads a file).
    public func check(_ piece: ClearancePiece, file: String) throws -> CheckResult {
        try checking { check in try check(piece, file) }
    }

    /// Checks one piece as a MIDI file would hold it, under the name `file`.
    public func check(_ midi: MIDIFile, file: String) throws -> CheckResult {
        try check(ClearancePiece(midi), file: file)
    }

    /// Runs `body` with a check over one consistent reading of the index, which keeps the
    /// reference pieces it decodes: for checking many pieces in a row.
    public func checking<Value>(
        _ body: (_ check: (_ piece: ClearancePiece, _ file: String) throws -> CheckResult) throws -> Value
    ) throws -> Value {
        try index.withReader { reader in
            try body { piece, file in try checker.check(piece, file: file, against: reader) }
        }
    }

    /// The folder a corpus's reference index is kept in under `cacheRoot`: one per set of
    /// files (names and paths), so two corpora never share one and a re-run finds its own.
    public static func cacheFolder(for pieces: [CorpusPiece], under cacheRoot: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for piece in pieces.sorted(by: { $0.name < $1.name }) {
            for byte in (piece.name + "\u{0}" + piece.path + "\n").utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
        }
        return (cacheRoot as NSString).appendingPathComponent(String(hash, radix: 16))
    }
}
