import ArgumentParser
import Clearance
import Foundation
import Utilities

struct ClearanceCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract:
            "Check MIDI files against a clearance index: what they share with the catalogue, and how unusual that is.",
        discussion: """
            Each piece's melodic lines (the top voice, each track, the voices within tracks) are compared with the \
            catalogue's in relative pitch and in beats, so transposition, tempo, doubled or halved note lengths, \
            swing, passing notes, another voice or octave and new accompaniment do not hide a quotation. A match's \
            percentile is its place among the best matches of catalogue pieces with other works; the verdict is \
            copy at or above --copy-percentile, review at or above --review-percentile, clear below. With --json, one \
            line per file: {"file", "verdict", "matches": [{"piece", "score", "percentile", "query_bars", \
            "source_bars", "shared_notes"}]}, best match first. Exit status: 0 when every file was checked, 1 when \
            a file could not be read (it is reported and skipped) or the index cannot be used, 2 on usage errors.
            """)

    @Argument(help: "MIDI files or folders (walked recursively).")
    var paths: [String]

    @Option(name: .customLong("against"), help: "The index folder made by `tunesmith clearance index`.")
    var index: String

    @OptionGroup var verdict: VerdictArguments

    @Option(name: .shortAndLong, help: "Folder for an HTML report per checked piece, with piano rolls and audio.")
    var output: String?

    @OptionGroup var printing: OutputArguments

    @Option(
        help: """
            Cores one check's look-ups and alignments share; the default is this machine's core count. The result is \
            the same on any number: 1 leaves the other cores to checks run side by side.
            """)
    var threads = Parallel.cores

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads \(threads): give at least 1") }
    }

    func run() throws {
        let files: [String]
        do {
            files = try InputFiles.midiFiles(in: paths)
        } catch {
            throw ValidationError("\(error)")
        }
        let opened: (ClearanceIndex, Baseline)
        do {
            let index = try ClearanceIndex.openForReading(folder: index)
            opened = (index, try index.baseline())
        } catch {
            Diagnostics.warn(ErrorHints.message(for: error))
            throw ExitCode(1)
        }
        let (clearanceIndex, baseline) = opened
        var settings = MatchSettings()
        settings.threads = threads
        let checker = ClearanceChecker(baseline: baseline, thresholds: verdict.thresholds, settings: settings)
        let frontend = BatchFrontend(json: printing.json, inputCount: files.count, unit: "pieces")
        let reports: ClearanceReportWriter?
        do {
            reports = try output.map {
                try ClearanceReportWriter(
                    folder: $0, files: files, baseline: baseline, thresholds: checker.thresholds,
                    warn: frontend.diagnostics.warn)
            }
        } catch {
            throw ValidationError("-o \(output ?? ""): \(error)")
        }
        try clearanceIndex.withReader { reader in
            frontend.process(
                files, text: Self.text,
                perform: { file, _ in
                    let piece = try ClearancePiece(contentsOf: file)
                    let result = try checker.check(piece, file: file, against: reader)
                    if let reports {
                        do {
                            try reports.write(result, query: piece)
                        } catch {
                            frontend.diagnostics.warn("\(file): the report could not be written: \(error)")
                        }
                    }
                    return result
                })
        }
        try frontend.finish()
    }

    static func text(_ result: CheckResult) -> String { "\(result.file): " + verdictText(result) }

    /// The verdict and the closest match in a sentence, for every command that runs the check.
    static func verdictText(_ result: CheckResult) -> String {
        guard let best = result.matches.first else {
            return "\(result.verdict.rawValue) (shares no melodic run with the catalogue)"
        }
        return """
            \(result.verdict.rawValue); closest: \(best.piece), \(best.sharedNotes) notes shared \
            (bars \(best.queryBars[0])–\(best.queryBars[1]) here, \
            \(best.sourceBars[0])–\(best.sourceBars[1]) there), score \(String(format: "%.1f", best.score)), \
            above \(String(format: "%.1f", best.percentile)) % of unrelated catalogue pieces
            """
    }
}
