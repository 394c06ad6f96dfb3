import Foundation

/// The layout of a Tunesmith corpus folder, written by `tunesmith corpus ingest`: the one
/// owner of its file names, so the catalogue, the reports and the trainer agree on them.
///
///     CORPUSDIR/catalog.sqlite   the catalogue (one row per source file)
///     CORPUSDIR/clean/           the repaired, deduplicated copies
///     CORPUSDIR/ingest.lock      held while an ingest writes
public struct CorpusFolder: Hashable, Sendable {
    public static let catalogueFileName = "catalog.sqlite"
    public static let cleanFolderName = "clean"
    public static let lockFileName = "ingest.lock"

    public var root: String

    public init(_ root: String) {
        self.root = root
    }

    public var cataloguePath: String { (root as NSString).appendingPathComponent(Self.catalogueFileName) }
    public var cleanFolderPath: String { (root as NSString).appendingPathComponent(Self.cleanFolderName) }
    public var lockPath: String { (root as NSString).appendingPathComponent(Self.lockFileName) }

    /// The path of a clean copy as the catalogue records it, relative to the corpus root.
    public static func cleanFileEntry(named name: String) -> String { "\(cleanFolderName)/\(name)" }

    /// True when the folder holds a catalogue, i.e. is a Tunesmith corpus.
    public var hasCatalogue: Bool { FileManager.default.fileExists(atPath: cataloguePath) }

    /// True when the folder holds the clean copies of an ingest.
    public var hasCleanFolder: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: cleanFolderPath, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }
}
