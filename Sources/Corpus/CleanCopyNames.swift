import Foundation
import Utilities

extension CataloguedPiece {
    /// A Tunesmith corpus names its clean copies by content hash; its catalogue gives each
    /// the path of the file it came from, which is what people recognise in a report. The
    /// paths are shortened to below the sources' common folder. Empty for a folder without
    /// a catalogue. Keyed by clean file name.
    @Sendable public static func sourceNamesOfCleanFiles(in root: String) throws -> [String: String] {
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
        return Dictionary(
            kept.map { ($0.clean, String($0.source.dropFirst(prefix).drop { $0 == "/" })) },
            uniquingKeysWith: { first, _ in first })
    }
}
