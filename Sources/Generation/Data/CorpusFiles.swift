import Foundation
import MIDIFile
import Utilities

/// The names people know a Tunesmith corpus's clean copies by (its catalogue's source
/// paths) and their style (the name of the SOURCE folder each was ingested from), keyed by
/// clean file name, for a corpus root; empty for a plain folder. The caller that can read
/// the catalogue supplies it, so this module needs no database.
public typealias CleanCopyNames = @Sendable (_ corpusRoot: String) throws -> [String: (name: String, style: String)]

/// One piece of a corpus: where it is, a name unique within the corpus, a hash of its
/// bytes, so byte-identical copies count as one piece and never sit in two splits, and its
/// style: the `--corpus` folder's name for a plain folder of MIDI files, the SOURCE folder it
/// was ingested from for a Tunesmith corpus.
public struct CorpusPiece: Hashable, Sendable {
    public var name: String
    public var path: String
    public var contentHash: UInt64
    public var style: String
}

/// The MIDI files of one or more corpus folders: a Tunesmith corpus (its `clean/`
/// copies, written by `tunesmith corpus ingest`) or any folder of MIDI files, read recursively.
public enum CorpusFiles {
    /// For folders that are not Tunesmith corpora, or when the caller has no catalogue.
    public static let fileNamesOnly: CleanCopyNames = { _ in [:] }

    public static func pieces(in roots: [String], names: CleanCopyNames) throws -> [CorpusPiece] {
        var pieces: [CorpusPiece] = []
        var seenHashes: Set<UInt64> = []
        for root in roots {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
                throw PipelineError.corpusNotFound(path: root)
            }
            // InputFiles gives standardised absolute paths; names are taken relative to the same form.
            let folder =
                isDirectory.boolValue ? URL(fileURLWithPath: cleanFolder(of: root)).standardizedFileURL.path : nil
            let paths = try folder.map { try InputFiles.midiFiles(in: [$0]) } ?? [root]
            let label = URL(fileURLWithPath: root).standardized.lastPathComponent
            // A single file given as a corpus takes its folder's style.
            let folderStyle =
                isDirectory.boolValue
                ? label
                : URL(fileURLWithPath: root).standardized.deletingLastPathComponent()
                    .lastPathComponent
            let sourceNames = isDirectory.boolValue ? try names(root) : [:]
            for path in paths {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw PipelineError.unreadableCorpusFile(path: path)
                }
                let hash = fnv1a(data)
                guard seenHashes.insert(hash).inserted else { continue }
                let catalogued = sourceNames[URL(fileURLWithPath: path).lastPathComponent]
                let relative =
                    catalogued?.name
                    ?? folder.map { String(path.dropFirst($0.count).drop { $0 == "/" }) }
                    ?? URL(fileURLWithPath: path).lastPathComponent
                pieces.append(
                    CorpusPiece(
                        name: "\(label)/\(relative)", path: path, contentHash: hash,
                        style: catalogued?.style ?? folderStyle))
            }
        }
        guard !pieces.isEmpty else {
            throw PipelineError.noMIDIFiles(roots: roots, extensions: InputFiles.midiExtensions.sorted())
        }
        return pieces
    }

    /// A Tunesmith corpus keeps its repaired copies under `clean/`; use those when present.
    static func cleanFolder(of root: String) -> String {
        let folder = CorpusFolder(root)
        return folder.hasCleanFolder ? folder.cleanFolderPath : root
    }

    static func fnv1a(_ data: Data) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
