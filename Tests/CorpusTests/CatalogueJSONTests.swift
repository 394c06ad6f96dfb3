import Foundation
import Testing
import Utilities

@testable import Corpus

/// `corpus ingest`, `list` and `stats --json` lines: the streaming encoder against
/// Foundation's JSONEncoder (the reference) on a catalogue holding every kind of file.
@Suite struct CatalogueJSONTests {
    func expectReferenceParity<Value: Encodable>(_ value: Value, _ comment: Comment? = nil) throws {
        let streamed = try ReferenceJSON.canonical(StreamingJSONEncoder.encode(value))
        #expect(streamed == (try ReferenceJSON.canonicalEncoding(of: value)), comment)
    }

    @Test func ingestListAndStatsLines() throws {
        let scrape = try IngestCatalogueTests.makeScrape()
        let corpus = try TinyCorpus.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: scrape)
            try? FileManager.default.removeItem(at: corpus)
        }
        var ingested: [IngestedFile] = []
        let summary = try CorpusIngest.run(sources: [scrape.path], into: corpus.path, fileDone: { ingested.append($0) })
        #expect(ingested.count == IngestCatalogueTests.expectations.count)
        for file in ingested { try expectReferenceParity(file, "\(file.path)") }
        try expectReferenceParity(summary)
        let pieces = try CataloguedPiece.list(corpus: corpus.path)
        #expect(pieces.contains { $0.summary != nil } && pieces.contains { $0.duplicateOf != nil })
        for piece in pieces { try expectReferenceParity(piece, "\(piece.path)") }
        let statistics = try CorpusStatistics.read(corpus: corpus.path)
        #expect(!statistics.repairsByKind.isEmpty)
        try expectReferenceParity(statistics)
        let line = String(decoding: try StreamingJSONEncoder.encode(statistics), as: UTF8.self)
        #expect(line.contains("\"repairs_by_kind\":{") && line.contains("\"kept_pieces\":"))
    }
}
