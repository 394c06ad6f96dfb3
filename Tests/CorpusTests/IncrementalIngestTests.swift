import Foundation
import Testing
import Utilities

@testable import Corpus

@Suite(.timeLimit(.minutes(10))) struct IncrementalIngestTests {
    func rows(_ corpus: URL) throws -> [String] {
        try CataloguedPiece.list(corpus: corpus.path).map {
            "\($0.path) \($0.status) \($0.reasonCode ?? "-") \($0.cleanFile ?? "-") \($0.findings)"
        }
    }

    @Test func reRunningWithTheSameFilesAndFiltersChangesNothing() throws {
        let scrape = try IngestCatalogueTests.makeScrape()
        let corpus = try TinyCorpus.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: scrape)
            try? FileManager.default.removeItem(at: corpus)
        }
        let first = try CorpusIngest.run(sources: [scrape.path], into: corpus.path)
        let before = try rows(corpus)
        let cleanFolder = CorpusFolder(corpus.path).cleanFolderPath
        let cleanFiles = try FileManager.default.contentsOfDirectory(atPath: cleanFolder).sorted()
        let modified = try cleanFiles.map {
            try FileManager.default.attributesOfItem(atPath: cleanFolder + "/" + $0)[.modificationDate] as? Date
        }

        let second = try CorpusIngest.run(sources: [scrape.path], into: corpus.path)
        #expect(first.processed == first.scanned)
        #expect(second.processed == 0)
        #expect(second.unchanged == second.scanned)
        #expect(try rows(corpus) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cleanFolder).sorted() == cleanFiles)
        #expect(
            try cleanFiles.map {
                try FileManager.default.attributesOfItem(atPath: cleanFolder + "/" + $0)[.modificationDate] as? Date
            } == modified)
        #expect(try CorpusStatistics.read(corpus: corpus.path).runs == 2)
    }

    @Test func aChangedFileIsProcessedAgainAndOnlyIt() throws {
        let scrape = try IngestCatalogueTests.makeScrape()
        let corpus = try TinyCorpus.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: scrape)
            try? FileManager.default.removeItem(at: corpus)
        }
        _ = try CorpusIngest.run(sources: [scrape.path], into: corpus.path)
        // The fragment grows into a full piece.
        try TinyCorpus.write(
            TinyCorpus.bytes(TinyCorpus.file(TinyCorpus.melody(firstPitch: 67, count: 48))), to: scrape,
            "g-fragment.mid")

        let rerun = try CorpusIngest.run(sources: [scrape.path], into: corpus.path)
        #expect(rerun.processed == 1)
        #expect(rerun.clean == 1)
        let fragment = try #require(
            try CataloguedPiece.list(corpus: corpus.path).first { $0.path.hasSuffix("g-fragment.mid") })
        #expect(fragment.status == "clean")
        #expect(fragment.summary?.notes == 48)
    }

    @Test func changedFiltersReprocessAndRemoveCleanFilesOfNewlyRejectedPieces() throws {
        let scrape = try IngestCatalogueTests.makeScrape()
        let corpus = try TinyCorpus.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: scrape)
            try? FileManager.default.removeItem(at: corpus)
        }
        _ = try CorpusIngest.run(sources: [scrape.path], into: corpus.path)

        var stricter = IngestSettings()
        stricter.filters.keys = ["C major"]
        let rerun = try CorpusIngest.run(sources: [scrape.path], into: corpus.path, settings: stricter)
        #expect(rerun.unchanged == 0)
        let kept = try CataloguedPiece.list(corpus: corpus.path).filter { $0.cleanFile != nil }
        #expect(kept.map { $0.summary?.key } == ["C major"])
        let cleanFiles = try FileManager.default.contentsOfDirectory(atPath: CorpusFolder(corpus.path).cleanFolderPath)
        #expect(cleanFiles == kept.compactMap { $0.cleanFile.map { ($0 as NSString).lastPathComponent } })
        #expect(rerun.rejectedByReason["key", default: 0] >= 4)
    }

    @Test func aSecondIngestIntoTheSameCorpusRefusesWhileTheFirstHoldsIt() throws {
        let scrape = try IngestCatalogueTests.makeScrape()
        let corpus = try TinyCorpus.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: scrape)
            try? FileManager.default.removeItem(at: corpus)
        }
        let held = try IngestLock(corpusDirectory: corpus.path)
        #expect(throws: CorpusError.busy(folder: corpus.path, holderPID: getpid())) {
            _ = try CorpusIngest.run(sources: [scrape.path], into: corpus.path)
        }
        withExtendedLifetime(held) {}
    }

    /// flock(2) locks of two opens conflict even within one process (the test above), so
    /// taking the lock here fails if the ingest kept its lock past its return.
    @Test func theLockIsFreeAgainAfterAnIngest() throws {
        let scrape = try IngestCatalogueTests.makeScrape()
        let corpus = try TinyCorpus.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: scrape)
            try? FileManager.default.removeItem(at: corpus)
        }
        _ = try CorpusIngest.run(sources: [scrape.path], into: corpus.path)
        #expect(throws: Never.self) { try IngestLock(corpusDirectory: corpus.path) }
    }

    @Test func pathFiltersRejectByOriginalPathAndKeepTheRowsWithTheReason() throws {
        let scrape = try IngestCatalogueTests.makeScrape()
        let corpus = try TinyCorpus.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: scrape)
            try? FileManager.default.removeItem(at: corpus)
        }
        var settings = IngestSettings()
        settings.filters.excludedPathPattern = "/zz-mirror/"
        _ = try CorpusIngest.run(sources: [scrape.path], into: corpus.path, settings: settings)
        let mirror = try #require(
            try CataloguedPiece.list(corpus: corpus.path).first { $0.path.contains("/zz-mirror/") })
        #expect(mirror.status == "rejected")
        #expect(mirror.reasonCode == "path_pattern")
    }

    @Test func anInvalidRegularExpressionNamesTheOption() throws {
        var settings = IngestSettings()
        settings.filters.pathPattern = "(unclosed"
        let error = try #require(throws: FilterError.self) { try FilterCheck(settings.filters) }
        guard case .invalidPattern(.path, let pattern, _) = error else {
            Issue.record("expected an invalid path pattern, got \(error)")
            return
        }
        #expect(pattern == "(unclosed")
    }
}
