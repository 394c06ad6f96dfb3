import ArgumentParser
import Foundation
import MIDIFile
import MusicTheory
import Reports

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an offline HTML report with charts of MIDI files or whole corpus folders.",
        discussion: """
            A training-run folder gives OUTPUT/runs/NAME.html (losses per epoch, best epoch, settings). \
            Writes OUTPUT/index.html (the corpus: defects, keys, frequencies, folders, a table of pieces) and \
            OUTPUT/pieces/NAME.html per piece (keys measure by measure, pitch and frequency histograms, a piano \
            roll, findings). Charts are inline SVG and need no network; each chart's numbers are written next \
            to it as CSV. --measures M limits the keys to the first M measures and sets the piano roll's length \
            (default 16 measures). Files that are not MIDI are listed, not fatal. Exit status: 0 when the report \
            was written, 1 when it could not be.
            """)

    @Argument(
        help:
            "MIDI files or folders (walked recursively), ingested corpus folders, or training-run folders written by `tunesmith train`."
    )
    var paths: [String]

    @OptionGroup var destination: OutputPathArguments<ReportDestination>
    @OptionGroup var analysis: AnalysisArguments

    @Flag(
        help: "Engrave each piece with MuseScore 3 (make deps-score) and show its first page; takes seconds per piece.")
    var scores = false

    @Option(help: "Title of the corpus page (default: the folder or file names given).")
    var title: String?

    @OptionGroup var reading: ReadingArguments
    @OptionGroup var output: OutputArguments

    enum ReportDestination: OutputPathPurpose {
        static let help = "Folder to write the report into, e.g. Reports/classical (created if missing)."
    }

    func run() throws {
        let names = paths.map { URL(fileURLWithPath: $0).standardizedFileURL.lastPathComponent }
        let options = ReportOptions(
            analysis: analysis.analysisOptions, pianoRollMeasures: analysis.measures ?? 16,
            title: title ?? "Report: " + names.joined(separator: ", "), readOptions: reading.readOptions,
            scores: scores)
        let output = destination.output, json = self.output.json
        let runFolders = paths.filter(TrainingRunFolders.isRunFolder)
        if !runFolders.isEmpty {
            do {
                for page in try TrainingRunFolders.write(runFolders, into: output) {
                    if json { JSONLine.print(["training_run_page": page]) } else { print("\(page): training run") }
                }
            } catch {
                Diagnostics.warn(error)
                throw ExitCode(1)
            }
            guard runFolders.count < paths.count else { return }
        }
        let pieces = paths.filter { !runFolders.contains($0) }
        let progress = ProgressDisplay(unit: "pieces")
        let summary: ReportSummary
        do {
            summary = try ReportBuilder.build(paths: pieces, output: output, options: options) { done, total in
                progress.update(done: done, total: total)
            }
        } catch let error as ReportInputError {
            throw ValidationError(ErrorHints.message(for: error))
        } catch {
            progress.clear()
            Diagnostics.warn(error)
            throw ExitCode(1)
        }
        progress.clear()
        if json {
            JSONLine.print(summary)
        } else {
            print(
                "\(summary.index): \(summary.pieces) pieces, \(summary.findings) findings, \(summary.unreadable.count) files not MIDI, in \(String(format: "%.1f", summary.seconds)) s"
            )
        }
    }
}
