import ArgumentParser
import Foundation
import Score

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Engrave MIDI files as sheet music (PDF, SVG, PNG or MusicXML) through MuseScore 3.",
        discussion: """
            Each input is prepared first (notes quantised to the grid the piece uses, the detected key as key \
            signature, one staff per part with a one-track piano split at middle C, a title), then MuseScore 3 \
            (mscore3) engraves it headless. SVG and PNG write one file per page: OUT.svg, OUT-2.svg, … With \
            several inputs, each score goes to OUT-<input name>.<ext>. Needs mscore3: `make deps-score`. \
            Exit status: 0 when every score was written, 1 when one failed or MuseScore is missing, 2 on usage errors.
            """)

    @Argument(help: "MIDI files to engrave.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Output file: .pdf, .svg, .png or .musicxml.")
    var output: String

    @Option(help: "Keep only the first N pages (pdf, svg, png).")
    var pages: Int?

    @Option(help: "Seconds MuseScore may spend on one file.")
    var timeout: Double = MuseScore.defaultTimeout

    @Flag(help: "One JSON object per file per line.")
    var json = false

    func validate() throws {
        guard let format = ScoreFormat(path: output) else {
            throw ValidationError(ErrorHints.message(for: ScoreError.unsupportedOutput(path: output)))
        }
        if let pages {
            guard pages >= 1 else { throw ValidationError("--pages \(pages): give a page count of 1 or more") }
            guard format.supportsPageLimit else {
                throw ValidationError(ErrorHints.message(for: ScoreError.pagesNotApplicable(format: format)))
            }
        }
        guard timeout > 0 else { throw ValidationError("--timeout \(timeout): give a number of seconds above 0") }
    }

    func run() throws {
        let museScore: MuseScore
        do {
            museScore = try MuseScore.locate(timeout: timeout)
        } catch {
            Diagnostics.warn(error)
            throw ExitCode(1)
        }
        var failed = false
        for (input, destination) in zip(inputs, ScoreRenderer.outputPaths(for: inputs, output: output)) {
            do {
                let result = try ScoreRenderer.render(input, to: destination, pages: pages, museScore: museScore)
                if json {
                    JSONLine.print(result)
                } else {
                    let pageText = result.pages.map { pages in
                        result.totalPages.map { $0 > pages ? ", \(pages) of \($0) pages" : ", \(pages) page\(pages == 1 ? "" : "s")" } ?? ""
                    } ?? ""
                    print("\(input) → \(result.outputs.joined(separator: ", ")): \"\(result.title)\", \(result.key ?? "no key"), \(result.grid) grid\(otherGrid(result)), \(result.staves.count) stave\(result.staves.count == 1 ? "" : "s")\(pageText) (MuseScore \(String(format: "%.1f", result.museScoreSeconds)) s)")
                }
            } catch {
                failed = true
                if json { JSONLine.print(FailedFile(file: input, error: ErrorHints.message(for: error))) }
                Diagnostics.warn(error)
            }
        }
        if failed { throw ExitCode(1) }
    }

    private func otherGrid(_ result: ScoreResult) -> String {
        guard result.beatsOnOtherGrid > 0 else { return "" }
        let other = result.grid == "triplets" ? "sixteenths" : "triplets"
        return " (\(result.beatsOnOtherGrid) beat\(result.beatsOnOtherGrid == 1 ? "" : "s") in \(other))"
    }
}
