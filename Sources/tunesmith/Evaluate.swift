import ArgumentParser
import Clearance
import Corpus
import Foundation
import Generation
import MIDIFile
import Utilities

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract:
            "Measure pieces against a corpus: musical metrics, their place in its distribution, and the clearance check.",
        discussion: """
            Originality is the clearance check (`tunesmith clearance check`) against the reference pieces: with --run \
            the run's training pieces, else the --against corpus. Their clearance index, with its baseline of \
            unrelated pieces, is built on first use and kept (in RUNDIR/clearance, or under ~/.cache/tunesmith/\
            clearance), so percentiles and verdicts mean what `clearance check` says against an index of those \
            pieces. With --run, the run's held-out test pieces are checked too: what real music not copied from the \
            training pieces looks like.
            """)

    @Argument(help: "MIDI files or folders of them.") var inputs: [String]
    @Option(help: "Corpus folder to compare with (repeatable).") var against: [String]
    @Option(name: .customLong("run"), help: "Run folder whose training pieces originality is checked against.")
    var runFolder: String?
    @Option(
        help:
            "Folder the --against corpus's clearance index is kept in between runs (default ~/.cache/tunesmith/clearance); a --run keeps its own in the run folder."
    )
    var cache: String?
    @OptionGroup var verdict: VerdictArguments
    @OptionGroup var retired: RetiredCopyThresholdArguments
    @OptionGroup var output: OutputArguments
    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: "Write the results to this file (replaced whole, never half-written) instead of standard output.")
    var resultsFile: String?

    func run() throws {
        let files = try InputFiles.midiFiles(in: inputs)
        if files.isEmpty { throw ValidationError("\(inputs.joined(separator: " ")): no MIDI files to evaluate") }
        let names = CataloguedPiece.sourceNamesOfCleanFiles
        let metrics = try CorpusMetrics(corpusFolders: against, names: names)
        let evaluation: PieceEvaluation
        if let runFolder {
            let run = try TrainedRun(runFolder, names: names)
            evaluation = try PieceEvaluation(
                metrics: metrics, reference: try ReferenceIndexes.training(of: run, thresholds: verdict.thresholds),
                heldOut: try run.files(named: run.description.test))
        } else {
            evaluation = try PieceEvaluation(
                metrics: metrics,
                reference: try ReferenceIndexes.corpus(
                    against, names: names, cacheRoot: cache ?? ReferenceIndexes.cacheRoot,
                    thresholds: verdict.thresholds))
        }
        let frontend = BatchFrontend(
            json: output.json, inputCount: files.count, unit: "pieces", resultsFile: resultsFile)
        var reports: [PieceEvaluation.PieceReport] = []
        // One piece at a time: one reading of the index serves them all.
        try evaluation.reference.checking { check in
            frontend.process(
                files, text: { Self.describe($0) },
                perform: { file, _ in
                    let report = try evaluation.report(file: file, check: check)
                    if report == nil { frontend.diagnostics.warn("\(file): no pitched notes to measure") }
                    return report
                }, collect: { reports.append($0) })
        }
        let summary = evaluation.summary(of: reports)
        frontend.emit(summary, text: Self.describe(summary))
        try frontend.finish()
    }

    static func describe(_ report: PieceEvaluation.PieceReport) -> String {
        var lines = ["\(report.file): \(report.notes) notes"]
        for metric in report.metrics {
            lines.append(
                "  " + metric.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                    + String(
                        format: "%8.3f  percentile %3.0f%@", metric.value, metric.percentile * 100,
                        metric.typical ? "" : "  (outside the corpus's 5–95 % range)"))
        }
        lines.append("  clearance: " + ClearanceCheckCommand.verdictText(report.clearance))
        return lines.joined(separator: "\n")
    }

    static func describe(_ summary: PieceEvaluation.SetSummary) -> String {
        var lines = [
            "\(summary.pieces) pieces against \(summary.corpusPieces) corpus pieces; "
                + "checked against \(summary.referencePieces) reference pieces: " + describe(summary.clearance)
        ]
        for name in summary.overlap.keys.sorted() {
            lines.append(
                "  " + name.padding(toLength: 20, withPad: " ", startingAt: 0)
                    + String(
                        format: "overlap %.3f, %3.0f %% inside the corpus's 5–95 %% range",
                        summary.overlap[name]!, (summary.typicalShare[name] ?? 0) * 100))
        }
        if let heldOut = summary.heldOut {
            lines.append("  the run's \(heldOut.pieces) held-out test pieces: " + describe(heldOut))
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ checks: PieceEvaluation.CheckSummary) -> String {
        let counts = Verdict.allCases.map { "\(checks.verdicts[$0.rawValue] ?? 0) \($0.rawValue)" }
        return counts.joined(separator: ", ")
            + String(
                format: "; best match: median %.0f shared notes, median percentile %.1f", checks.medianSharedNotes,
                checks.medianPercentile)
    }
}
