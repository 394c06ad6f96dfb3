import ArgumentParser
import Foundation
import MIDIFile
import MusicTheory
import Reports

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write an offline HTML report with charts of MIDI files or whole corpus folders.",
        discussion: """
            A training-run folder gives OUTPUT/runs/NAME.html (losses per epoch, best epoch, settings). \
            Writes OUTPUT/index.html (the corpus: defects, keys, frequencies, folders, a table of pieces) and \
            OUTPUT/pieces/NAME.html per piece (keys measure by measure, pitch and frequency histograms, a piano \
            roll, findings). Charts are inline SVG and need no network; each chart's numbers are written next \
            to it as CSV. Files that are not MIDI are listed, not fatal. Exit status: 0 when the report was \
            written, 1 when it could not be.
            """)

    @Argument(help: "MIDI files or folders (walked recursively), ingested corpus folders, or training-run folders written by `tunesmith train`.")
    var paths: [String]

    @Option(name: .shortAndLong, help: "Folder to write the report into, e.g. Reports/classical (created if missing).")
    var output: String

    @Option(help: "Analyse keys over the first M measures and show them in the piano roll (default: keys over the whole piece, 16 measures of piano roll).")
    var measures: Int?

    @Option(help: "Key profile: \(KeyProfile.Name.allCases.map(\.rawValue).joined(separator: ", ")).")
    var profile = AnalysisOptions.standard.profile

    @Option(help: "Weigh notes by duration (as music21) or count each once.")
    var weighting = AnalysisOptions.standard.weighting

    @Option(help: "Measures per window of the windowed key chart (windows slide by one measure).")
    var windowMeasures = 1

    @Flag(help: "Clean tracks before analysis (drop note-less tracks, doubled and zero-length notes) and list what changed.")
    var clean = false

    @Flag(help: "Engrave each piece with MuseScore 3 (make deps-score) and show its first page; takes seconds per piece.")
    var scores = false

    @Option(help: "Title of the corpus page (default: the folder or file names given).")
    var title: String?

    @Flag(help: "Print one JSON object describing the report on standard output.")
    var json = false

    func validate() throws {
        if let measures, measures < 1 { throw ValidationError("--measures \(measures): give 1 or more measures") }
        guard windowMeasures >= 1 else { throw ValidationError("--window-measures \(windowMeasures): give 1 or more measures") }
    }

    func run() throws {
        let analysis = AnalysisOptions(profile: profile, weighting: weighting, windowMeasures: windowMeasures, measureLimit: measures, cleanTracks: clean)
        let defaultTitle = "Report: " + paths.map { URL(fileURLWithPath: $0).standardizedFileURL.lastPathComponent }.joined(separator: ", ")
        let options = ReportOptions(analysis: analysis, pianoRollMeasures: measures ?? 16, title: title ?? defaultTitle, scores: scores)
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
        let progress = PagesProgress(shown: !json && isatty(STDERR_FILENO) != 0)
        let summary: ReportSummary
        do {
            summary = try ReportBuilder.build(paths: pieces, output: output, options: options) { done, total in
                progress.update(done: done, of: total)
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
            print("\(summary.index): \(summary.pieces) pieces, \(summary.findings) findings, \(summary.unreadable.count) files not MIDI, in \(String(format: "%.1f", summary.seconds)) s")
        }
    }
}

/// "report: 120/751 pieces" on standard error, redrawn in place; only on a terminal.
private struct PagesProgress: Sendable {
    let shown: Bool

    func update(done: Int, of total: Int) {
        guard shown, done % 10 == 0 || done == total else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[Kreport: \(done)/\(total) pieces".utf8))
    }

    func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
