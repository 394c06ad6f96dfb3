import ArgumentParser
import Corpus
import Foundation
import Generation
import MIDIFile
import Utilities

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure pieces against a corpus: musical metrics, their place in its distribution, and originality.",
        discussion:
            "With --run, originality is measured against that run's training pieces, and its held-out test pieces give the baseline a fresh piece should not exceed."
    )

    @Argument(help: "MIDI files or folders of them.") var inputs: [String]
    @Option(help: "Corpus folder to compare with (repeatable).") var against: [String]
    @Option(name: .customLong("run"), help: "Run folder whose training pieces originality is measured against.")
    var runFolder: String?
    @OptionGroup var copyThreshold: CopyThresholdArguments
    @OptionGroup var output: OutputArguments
    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: "Write the results to this file (replaced whole, never half-written) instead of standard output.")
    var resultsFile: String?

    func run() throws {
        let files = try InputFiles.midiFiles(in: inputs)
        if files.isEmpty { throw ValidationError("\(inputs.joined(separator: " ")): no MIDI files to evaluate") }
        let names = CataloguedPiece.sourceNamesOfCleanFiles
        let evaluation = try PieceEvaluation(
            corpusFolders: against, run: try runFolder.map { try TrainedRun($0, names: names) },
            threshold: copyThreshold.threshold, names: names)
        let frontend = BatchFrontend(
            json: output.json, inputCount: files.count, unit: "pieces", resultsFile: resultsFile)
        var reports: [PieceEvaluation.PieceReport] = []
        // One piece at a time: the evaluation holds the corpus and is not shared between threads.
        frontend.process(
            files, text: { Self.describe($0) },
            perform: { file, _ in
                let report = try evaluation.report(file: file)
                if report == nil { frontend.diagnostics.warn("\(file): no pitched notes to measure") }
                return report
            }, collect: { reports.append($0) })
        let summary = evaluation.summary(of: reports)
        frontend.emit(summary, text: Self.describe(summary))
        try frontend.finish()
    }

    static func describe(_ report: PieceEvaluation.PieceReport) -> String {
        var lines = ["\(report.file): \(report.notes) notes\(report.copy ? " — FLAGGED AS A COPY" : "")"]
        for metric in report.metrics {
            lines.append(
                "  " + metric.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                    + String(
                        format: "%8.3f  percentile %3.0f%@", metric.value, metric.percentile * 100,
                        metric.typical ? "" : "  (outside the corpus's 5–95 % range)"))
        }
        lines.append(
            String(
                format: "  longest shared run %d notes%@, %.1f %% of 8-note n-grams shared",
                report.originality.longestSharedRun,
                report.originality.longestRunSource.map { " (\($0))" } ?? "", report.originality.sharedNGramShare * 100)
        )
        return lines.joined(separator: "\n")
    }

    static func describe(_ summary: PieceEvaluation.SetSummary) -> String {
        var lines = [
            "\(summary.pieces) pieces against \(summary.corpusPieces) corpus pieces; \(summary.copies) flagged as copies"
        ]
        for name in summary.overlap.keys.sorted() {
            lines.append(
                "  " + name.padding(toLength: 20, withPad: " ", startingAt: 0)
                    + String(
                        format: "overlap %.3f, %3.0f %% inside the corpus's 5–95 %% range",
                        summary.overlap[name]!, (summary.typicalShare[name] ?? 0) * 100))
        }
        lines.append(
            String(
                format: "  median shared 8-gram share %.3f, median longest shared run %.0f notes",
                summary.medianSharedNGramShare, summary.medianLongestSharedRun))
        if let share = summary.heldOutMedianSharedNGramShare, let run = summary.heldOutMedianLongestSharedRun {
            lines.append(
                String(
                    format:
                        "  held-out corpus pieces: median shared 8-gram share %.3f, median longest shared run %.0f notes",
                    share, run))
        }
        return lines.joined(separator: "\n")
    }
}
