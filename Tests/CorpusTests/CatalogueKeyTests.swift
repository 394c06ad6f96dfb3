import Foundation
import MusicTheory
import Testing
import Utilities

@testable import Corpus

/// `corpus list --key` must agree with what `analyze` prints: the catalogue's key of
/// every kept piece is the key `Analyzer` gives its source file with default options.
@Suite struct CatalogueKeyTests {
    static let sharedCorpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/corpus").standardizedFileURL
    static let folders = ["classical", "jazz"].map { sharedCorpus.appendingPathComponent($0).path }
    static let present = folders.allSatisfy { FileManager.default.fileExists(atPath: $0) }

    @Test(.enabled(if: present, "../shared/corpus/classical or jazz is not present"), .timeLimit(.minutes(5)))
    func everyKeptPieceHasTheKeyAnalyzeGives() throws {
        let corpus = try TinyCorpus.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: corpus) }
        _ = try CorpusIngest.run(sources: Self.folders, into: corpus.path)
        let kept = try CataloguedPiece.list(corpus: corpus.path)
            .filter { SourceStatus(rawValue: $0.status)?.isKept == true }
        #expect(kept.count >= 590)
        let analysed = try Self.analyzeKeys(of: kept.map(\.path))
        let differing = zip(kept, analysed).filter { piece, key in piece.summary?.key != key }
            .map { piece, key in "\(piece.path): catalogue \(piece.summary?.key ?? "none"), analyze \(key ?? "none")" }
        #expect(differing.isEmpty, "\(differing.count) of \(kept.count) differ:\n\(differing.joined(separator: "\n"))")
    }

    /// Keys of the files as `tunesmith analyze` finds them, on every core: debug builds
    /// analyse slowly.
    static func analyzeKeys(of paths: [String]) throws -> [String?] {
        var keys: [String?] = []
        let jobs = ProcessInfo.processInfo.activeProcessorCount
        try OrderedParallelMap.run(
            count: paths.count, jobs: jobs,
            work: { index in
                Result { try Analyzer.analyze(contentsOf: paths[index], options: .standard).key?.best.key.name }
            }
        ) { _, key in keys.append(try key.get()) }
        return keys
    }
}
