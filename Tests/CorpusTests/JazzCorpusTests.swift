import Foundation
import Testing

@testable import Corpus

/// The original project's scrape: it could use 214 of its 301 files.
@Suite(.timeLimit(.minutes(10))) struct JazzCorpusTests {
    static let jazz = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/corpus/jazz").standardizedFileURL

    @Test(.enabled(if: FileManager.default.fileExists(atPath: jazz.path), "../shared/corpus/jazz is not present"))
    func atLeast295PiecesAreKeptAndTheByteIdenticalPairIsCaught() throws {
        let corpus = try TinyCorpus.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: corpus) }
        let summary = try CorpusIngest.run(sources: [Self.jazz.path], into: corpus.path)
        #expect(summary.clean + summary.repaired >= 295)
        let pieces = try CataloguedPiece.list(corpus: corpus.path)
        #expect(pieces.filter { $0.path.lowercased().hasSuffix(".mid") }.count == 301)
        let midi118 = try #require(pieces.first { $0.path.hasSuffix("/jazz/midi118.mid") })
        #expect(midi118.status == "duplicate")
        #expect(midi118.reasonCode == "same_bytes")
        #expect(midi118.duplicateOf == Self.jazz.appendingPathComponent("midi117.mid").path)
        let midi117 = try #require(pieces.first { $0.path.hasSuffix("/jazz/midi117.mid") })
        #expect(SourceStatus(rawValue: midi117.status)?.isKept == true)
        let preprocessed = pieces.filter { $0.path.contains("/need_to_be_preprocessed/") }
        #expect(preprocessed.count == 87)
        #expect(preprocessed.allSatisfy { SourceStatus(rawValue: $0.status)?.isKept == true })
    }
}
