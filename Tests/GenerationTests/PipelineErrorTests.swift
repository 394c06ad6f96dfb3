import Foundation
import Testing

@testable import Generation

/// Failures come back as cases carrying the files and figures at fault.
@Suite struct PipelineErrorTests {
    static func emptyFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("tunesmith-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.path
    }

    @Test func aMissingCorpusRootIsNamed() {
        #expect(throws: PipelineError.corpusNotFound(path: "/nowhere/corpus")) {
            try CorpusFiles.pieces(in: ["/nowhere/corpus"], names: CorpusFiles.fileNamesOnly)
        }
    }

    @Test func aFolderWithoutMIDIFilesSaysWhichExtensionsWereLookedFor() throws {
        let folder = try Self.emptyFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = try #require(throws: PipelineError.self) {
            try CorpusFiles.pieces(in: [folder], names: CorpusFiles.fileNamesOnly)
        }
        guard case .noMIDIFiles(let roots, let extensions) = error else {
            Issue.record("expected noMIDIFiles, got \(error)")
            return
        }
        #expect(roots == [folder])
        #expect(extensions.contains("mid"))
    }

    @Test func aRunFolderWithoutItsFilesNamesTheMissingFile() throws {
        let folder = RunFolder(try Self.emptyFolder())
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        #expect(throws: PipelineError.runFileMissing(path: folder.runFile, runFolder: folder.path)) {
            try TrainedRun(folder.path, names: CorpusFiles.fileNamesOnly)
        }
    }

    @Test func seedProtocolWindowsKeepTheirLength() {
        let options = TrainingOptions(corpus: ["x"], model: .lstm, tokenizer: .notes, splitProtocol: .seed, context: 64)
        #expect(options.problem == .contextFixedBySeedProtocol(context: 64, seedContext: Dataset.seedContext))
        #expect(throws: TrainingOptions.Problem.self) {
            try TrainingRun(
                options: options, folder: RunFolder("/nowhere/run"), cacheFolder: nil,
                names: CorpusFiles.fileNamesOnly
            ).run(resume: false)
        }
    }

    @Test func descriptionsNameNoCommandLineFlag() {
        let errors: [any Error] = [
            PipelineError.corpusNotFound(path: "c"),
            PipelineError.corpusTooSmall(roots: ["c"], pieces: 1, tokens: 9, context: 64),
            PipelineError.vocabularyChanged(path: "v"), PipelineError.runFinished(runFolder: "r"),
            PipelineError.promptOutsideVocabulary(path: "p"), PipelineError.silentSamples(output: "o", attempts: 3),
            PipelineError.copiedSamples(
                output: "o", attempts: 3, closest: "jazz/a.mid", sharedNotes: 40, percentile: 100),
            TrainingOptions.Problem.contextFixedBySeedProtocol(context: 64, seedContext: 32),
            TrainingOptions.Problem.transpositionNeedsEventTokens(transpose: 5, tokenizer: .notes),
        ]
        for error in errors {
            #expect(!"\(error)".contains("--") && !"\(error)".contains("tunesmith "), "\(error)")
        }
    }
}
