import Foundation
import Testing

@testable import Corpus

/// Corpus and filter failures come back as cases carrying the folder or text at fault.
@Suite struct CorpusErrorTests {
    @Test func listingAFolderWithoutACatalogueSaysSo() throws {
        let folder = try TinyCorpus.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: CorpusError.noCatalogue(folder: folder.path)) {
            try CataloguedPiece.list(corpus: folder.path)
        }
    }

    @Test func aKeyFilterThatIsNotAKeyIsRefusedBeforeReading() {
        #expect(throws: FilterError.notAKey("H major")) {
            try CataloguedPiece.list(corpus: "/nowhere", matching: CatalogueQuery(key: "H major"))
        }
    }

    @Test func anInvalidPathPatternNamesWhichFilterItIs() throws {
        var filters = IngestFilters()
        filters.excludedPathPattern = "(unclosed"
        let error = try #require(throws: FilterError.self) { try FilterCheck(filters) }
        guard case .invalidPattern(let role, let pattern, _) = error else {
            Issue.record("expected invalidPattern, got \(error)")
            return
        }
        #expect(role == .excludedPath)
        #expect(pattern == "(unclosed")
    }

    @Test func aCorpusFolderThatCannotBeMadeIsNamed() throws {
        let folder = try TinyCorpus.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a-file")
        try Data("not a folder".utf8).write(to: file)
        let error = try #require(throws: CorpusError.self) {
            try CorpusIngest.run(sources: [folder.path], into: file.appendingPathComponent("corpus").path)
        }
        guard case .cannotCreateFolder(let path, _) = error else {
            Issue.record("expected cannotCreateFolder, got \(error)")
            return
        }
        #expect(path == file.appendingPathComponent("corpus").path)
    }

    @Test func descriptionsNameNoCommandLineFlagOrCommand() {
        let errors: [any Error] = [
            CorpusError.noCatalogue(folder: "c"), CorpusError.catalogueFromAnotherVersion(path: "c/catalog.sqlite"),
            CorpusError.cannotCreateFolder(path: "c", reason: "denied"), CorpusError.busy(folder: "c", holderPID: 7),
            FilterError.notAKey("H"), FilterError.invalidPattern(.path, pattern: "(", reason: "unbalanced"),
        ]
        for error in errors {
            #expect(!"\(error)".contains("--") && !"\(error)".contains("tunesmith "), "\(error)")
        }
    }
}
