import ArgumentParser
import Foundation
import Score

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Engrave MIDI files as sheet music (PDF, SVG, PNG or MusicXML) through MuseScore 3.",
        discussion: """
            Each input is written out as a score first: tracks and channels of one instrument merged into one \
            part, piano music on a grand staff split by hand position (a line stays on its staff through the \
            middle), voices where lines overlap, bars and pickup from the file's time signatures, each bar on \
            the sixteenth, triplet or thirty-second grid that fits it, the key signature the file states (else \
            the detected key), an opening tempo mark from the first bars and further marks only where the \
            tempo moves by more than 10 % for four bars or more (rit. / accel. where it keeps moving, and \
            for a slowing into the last bar), and the title and composer from the file's text, on A4 pages \
            with a 6.5 mm staff. MuseScore 3 (mscore3) engraves it headless. SVG and PNG write one file per \
            page: OUT.svg, OUT-2.svg, … With several inputs, each score goes to OUT-<input name>.<ext>. Needs \
            mscore3: `make deps-score`. Exit status: 0 when every score was written, 1 when one failed or \
            MuseScore is missing, 2 on usage errors.

            """)

    @Argument(help: "MIDI files to engrave.")
    var inputs: [String]

    @OptionGroup var destination: OutputPathArguments<ScoreFile>

    @Option(help: "Keep only the first N pages (pdf, svg, png).")
    var pages: Int?

    @Option(help: "Seconds MuseScore may spend on one file.")
    var timeout: Double = MuseScore.defaultTimeout

    @OptionGroup var output: OutputArguments

    enum ScoreFile: OutputPathPurpose {
        static let help = "Output file: .pdf, .svg, .png or .musicxml."
    }

    func validate() throws {
        guard let format = ScoreFormat(path: destination.output) else {
            throw ValidationError(ErrorHints.message(for: ScoreError.unsupportedOutput(path: destination.output)))
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
        let scores = ScoreRenderer.outputPaths(for: inputs, output: destination.output)
        let frontend = BatchFrontend(json: output.json, inputCount: inputs.count)
        // One file at a time: each MuseScore run is a whole engraving application.
        frontend.process(inputs, text: Self.describe) { input, position in
            try ScoreRenderer.render(input, to: scores[position], pages: pages, museScore: museScore)
        }
        try frontend.finish()
    }

    private static func describe(_ result: ScoreResult) -> String {
        let pageText =
            result.pages.map { pages in
                result.totalPages.map { total in
                    total > pages ? ", \(pages) of \(total) pages" : ", \(pages) page\(pages == 1 ? "" : "s")"
                } ?? ""
            } ?? ""
        let staves = "\(result.staves.count) stave\(result.staves.count == 1 ? "" : "s")"
        let museScore = String(format: "%.1f", result.museScoreSeconds)
        let marks = result.metronomeMarks + result.tempoWords
        return "\(result.file) → \(result.outputs.joined(separator: ", ")): \"\(result.title)\"\(composer(result)), "
            + "\(result.key ?? "no key"), \(result.measures) bars (\(grids(result))), \(staves)\(pageText), "
            + "\(marks) tempo mark\(marks == 1 ? "" : "s") (MuseScore \(museScore) s)"
    }

    private static func composer(_ result: ScoreResult) -> String {
        result.composer.map { " by \($0)" } ?? ""
    }

    /// "sixteenths", or "sixteenths; 3 in triplets" when some bars use another grid.
    private static func grids(_ result: ScoreResult) -> String {
        let counts = [
            ("sixteenths", result.barsInSixteenths), ("triplets", result.barsInTriplets),
            ("thirty-seconds", result.barsInThirtySeconds),
        ]
        let others = counts.filter { $0.0 != result.grid && $0.1 > 0 }.map { "\($0.1) in \($0.0)" }
        return ([result.grid] + others).joined(separator: "; ")
    }
}
