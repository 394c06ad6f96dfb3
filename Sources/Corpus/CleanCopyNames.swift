import Foundation
import Utilities

extension CataloguedPiece {
    /// A Tunesmith corpus names its clean copies by content hash; its catalogue gives each
    /// the path of the file it came from, which is what people recognise in a report. The
    /// paths are shortened to below the sources' common folder. Each copy's style is the
    /// name of the SOURCE folder it was ingested from (`corpus ingest jazz/ classical/`
    /// gives `jazz` and `classical`). Empty for a folder without a catalogue. Keyed by clean
    /// file name.
    @Sendable public static func sourceNamesOfCleanFiles(in root: String) throws -> [String: (
        name: String, style: String
    )] {
        guard CorpusFolder(root).hasCatalogue else { return [:] }
        let kept = try list(corpus: root).compactMap { row in
            row.cleanFile.map { (clean: ($0 as NSString).lastPathComponent, source: row.path) }
        }
        guard let first = kept.first else { return [:] }
        var common = (first.source as NSString).deletingLastPathComponent.split(
            separator: "/", omittingEmptySubsequences: false)
        for piece in kept.dropFirst() {
            let folders = (piece.source as NSString).deletingLastPathComponent.split(
                separator: "/", omittingEmptySubsequences: false)
            common = Array(zip(common, folders).prefix { $0 == $1 }.map(\.0))
        }
        let prefix = common.joined(separator: "/").count
        let sourceFolders = try Catalogue(readingIn: root).ingestSources().filter { source in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        return Dictionary(
            kept.map { piece in
                let name = String(piece.source.dropFirst(prefix).drop { $0 == "/" })
                return (
                    piece.clean,
                    (name: name, style: style(of: piece.source, sourceFolders: sourceFolders, shortName: name))
                )
            },
            uniquingKeysWith: { first, _ in first })
    }

    /// The innermost ingest SOURCE folder holding `path`, by name. A catalogue whose sources
    /// were recorded relative to a folder no longer known falls back to the first folder of
    /// the shortened name, or the file's own folder.
    static func style(of path: String, sourceFolders: [String], shortName: String) -> String {
        let holding = sourceFolders.filter { path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
        if let innermost = holding.max(by: { $0.count < $1.count }) {
            return (innermost as NSString).lastPathComponent
        }
        let folders = shortName.split(separator: "/").dropLast()
        return folders.first.map(String.init)
            ?? ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
    }
}
