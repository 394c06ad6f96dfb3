import ArgumentParser
import Foundation
import MIDIFile
import MusicTheory
import Utilities

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Find keys (Krumhansl–Schmuckler), bars and pitch / frequency histograms of MIDI files.",
        discussion: """
            Folders are walked recursively. The key comes from the notes only; key signatures written in \
            the file are shown beside it. Drum-channel notes have no pitch and are left out. Files are analysed \
            on --jobs threads and shown in the order found. Exit status: 0 when every file was read, 1 when a \
            file held no MIDI data.
            """)

    @Argument(help: "MIDI files or folders.")
    var paths: [String]

    @OptionGroup var analysis: AnalysisArguments

    @Flag(help: "After the files, print histograms summed over all of them.")
    var total = false

    @OptionGroup var reading: ReadingArguments
    @OptionGroup var parallel: ParallelArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        let options = analysis.analysisOptions, readOptions = reading.readOptions
        let files: [String]
        do {
            files = try InputFiles.midiFiles(in: paths)
        } catch {
            throw ValidationError(ErrorHints.message(for: error))
        }
        var totals = CorpusTotals(options: options)
        let frontend = BatchFrontend(json: output.json, inputCount: files.count)
        try frontend.process(
            files, jobs: parallel.jobs, text: { AnalysisText.render($0.report) },
            perform: { path, _ in
                let analysis = try Analyzer.analyze(contentsOf: path, options: options, readOptions: readOptions)
                return AnalyzedFile(analysis: analysis, report: AnalysisReport(analysis, options: options))
            }, collect: { totals.add($0.analysis) })
        if total { frontend.emit(totals, text: totals.text) }
        try frontend.finish()
    }
}

/// One file's analysis, kept for the totals, and its report, which is what is printed.
private struct AnalyzedFile: Encodable, Sendable {
    let analysis: FileAnalysis
    let report: AnalysisReport

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
    }
}
