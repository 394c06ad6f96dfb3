import ArgumentParser
import Clearance
import Corpus
import Foundation
import Utilities

struct ClearanceIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Add the melodic lines of every MIDI file under the sources to a clearance index.",
        discussion: """
            A SOURCE is a Tunesmith corpus folder (its clean copies are indexed under their source paths) or any \
            folder of MIDI files, walked recursively. The index is INDEXDIR/\(ClearanceIndex.fileName). Files are \
            stored in batches of \(Indexer.batchSize), each in one transaction, so a stopped run keeps its finished \
            batches; a re-run skips files whose size and modification time are unchanged, then measures the baseline \
            of unrelated pieces again. Exit status: 0 when every file was indexed, 1 when a file could not be read \
            (it is reported and skipped) or the index could not be written, 2 on usage errors.
            """)

    @Argument(help: "Corpus folders, folders of MIDI files, or MIDI files.")
    var sources: [String]

    @Option(name: .customLong("into"), help: "The index folder (created if missing).")
    var index: String

    @Option(help: "Catalogue pieces matched against the rest to measure the baseline.")
    var baselineSample = Calibration.defaultSample

    @OptionGroup var parallel: ParallelArguments
    @OptionGroup var output: OutputArguments

    func validate() throws {
        guard baselineSample >= 1 else { throw ValidationError("--baseline-sample \(baselineSample): give 1 or more") }
    }

    func run() throws {
        let inputs: [IndexInput]
        do {
            inputs = try Self.inputs(from: sources)
        } catch {
            throw ValidationError("\(error)")
        }
        let progress = ProgressDisplay(unit: "files")
        let diagnostics = DiagnosticsEngine(progress: progress)
        let json = output.json
        let summary: IndexSummary
        do {
            summary = try Indexer.run(
                inputs, into: index, jobs: parallel.jobs, baselineSample: baselineSample,
                progress: { progress.update(done: $0, total: $1) },
                fileDone: { file in
                    if json { JSONLine.print(file) }
                    if file.outcome == .failed { diagnostics.failed(IndexFailure(message: file.error ?? file.file)) }
                })
        } catch {
            progress.clear()
            Diagnostics.warn(ErrorHints.message(for: error))
            throw ExitCode(1)
        }
        progress.clear()
        if json {
            JSONLine.print(summary)
        } else {
            print(
                """
                \(summary.index): \(summary.pieces) pieces (\(summary.indexed) added, \(summary.unchanged) unchanged, \
                \(summary.failed) unreadable) in \(String(format: "%.1f", summary.seconds)) s; baseline of \
                \(summary.baselinePieces) pieces measured in \(String(format: "%.1f", summary.baselineSeconds)) s
                """)
        }
        try diagnostics.exitIfAnyFailed()
    }

    /// Corpus folders give their clean copies, named by source path; anything else gives its MIDI files.
    static func inputs(from sources: [String]) throws -> [IndexInput] {
        try sources.flatMap { source -> [IndexInput] in
            let corpus = CorpusFolder(source)
            guard corpus.hasCatalogue else {
                return try InputFiles.midiFiles(in: [source]).map { IndexInput(file: $0, name: $0) }
            }
            return try CataloguedPiece.list(corpus: source).compactMap { row in
                row.cleanFile.map {
                    IndexInput(file: (corpus.root as NSString).appendingPathComponent($0), name: row.path)
                }
            }
        }
    }
}

/// A file the index run reported as unreadable, already worded by the library.
private struct IndexFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
