import ArgumentParser
import Foundation
import MIDIFile
import MusicTheory
import Utilities

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find keys (Krumhansl–Schmuckler), bars and pitch / frequency histograms of MIDI files.",
        discussion: """
            Folders are walked recursively. The key comes from the notes only; key signatures written in \
            the file are shown beside it. Drum-channel notes have no pitch and are left out. Exit status: 0 \
            when every file was read, 1 when a file held no MIDI data.
            """)

    @Argument(help: "MIDI files or folders.")
    var paths: [String]

    @Option(help: "Key profile: \(KeyProfile.Name.allCases.map(\.rawValue).joined(separator: ", ")).")
    var profile = AnalysisOptions.standard.profile

    @Option(help: "Weigh notes by duration (as music21) or count each once.")
    var weighting = AnalysisOptions.standard.weighting

    @Option(help: "Measures per window of the windowed key analysis (windows slide by one measure).")
    var windowMeasures = 1

    @Option(help: "Analyse windows over the first M measures only (default: the whole piece).")
    var measures: Int?

    @Option(help: "Reference frequency of A4 in Hz for the frequency histogram.")
    var a4 = 440.0

    @Option(help: "Width of the linear frequency bins, in Hz.")
    var binHz = 50.0

    @Option(help: "Use log-spaced frequency bins, this many per octave, instead of linear ones.")
    var binsPerOctave: Int?

    @Option(help: "Re-struck keys: fifo (each note-off ends the oldest sounding note) or off-ends-all (a note-off ends every sounding note of its key, as synthesizers and music21 do; the default).")
    var pairing = AnalysisOptions.standard.pairing

    @Option(help: "Note lengths for the key and histograms: none (as written) or music21 (snapped to 1/4 or 1/3 beat, as music21's MIDI import does; the default).")
    var durationGrid = AnalysisOptions.standard.durationGrid

    @Flag(help: "Drop tracks without notes (keeping their tempo, meter and key), exact duplicate and zero-length notes before analysing, and list each change.")
    var clean = false

    @Flag(help: "After the files, print histograms summed over all of them.")
    var total = false

    @Flag(help: "One JSON object per file per line.")
    var json = false

    @Option(help: "Channel data bytes over 127: clip (to 127) or drop (the message).")
    var dataBytes: ReadOptions.OutOfRangeDataBytes = .clip

    func validate() throws {
        guard windowMeasures >= 1 else { throw ValidationError("--window-measures \(windowMeasures): give 1 or more measures") }
        if let measures, measures < 1 { throw ValidationError("--measures \(measures): give 1 or more measures") }
        guard a4 > 0, a4.isFinite else { throw ValidationError("--a4 \(a4): give a positive frequency in Hz, e.g. 440 or 415") }
        guard binHz > 0, binHz.isFinite else { throw ValidationError("--bin-hz \(binHz): give a positive width in Hz") }
        if let binsPerOctave, binsPerOctave < 1 { throw ValidationError("--bins-per-octave \(binsPerOctave): give 1 or more") }
    }

    func run() throws {
        let options = AnalysisOptions(
            profile: profile, weighting: weighting, windowMeasures: windowMeasures, measureLimit: measures,
            tuning: Tuning(a4: a4),
            frequencyBinning: binsPerOctave.map { .logarithmic(binsPerOctave: $0) } ?? .linear(widthHz: binHz),
            pairing: pairing, durationGrid: durationGrid, cleanTracks: clean)
        let files: [String]
        do {
            files = try InputFiles.midiFiles(in: paths)
        } catch {
            throw ValidationError(ErrorHints.message(for: error))
        }
        var totals = CorpusTotals(options: options)
        var failed = false
        let progress = ProgressLine(total: files.count, shown: !json && files.count > 20 && isatty(STDERR_FILENO) != 0)
        for (index, path) in files.enumerated() {
            progress.update(done: index)
            do {
                let analysis = try Analyzer.analyze(contentsOf: path, options: options, readOptions: ReadOptions(outOfRangeDataBytes: dataBytes))
                totals.add(analysis)
                let report = AnalysisReport(analysis, options: options)
                progress.clear()
                if json { JSONLine.print(report) } else { print(AnalysisText.render(report)) }
            } catch {
                failed = true
                progress.clear()
                if json { JSONLine.print(FailedFile(file: path, error: ErrorHints.message(for: error))) }
                Diagnostics.warn(error)
            }
        }
        progress.clear()
        if total {
            if json { JSONLine.print(totals) } else { print(totals.text) }
        }
        if failed { throw ExitCode(1) }
    }
}

/// "analysed 120/751" on standard error, redrawn in place; only on a terminal.
struct ProgressLine {
    let total: Int
    let shown: Bool

    func update(done: Int) {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[Kanalysed \(done)/\(total)".utf8))
    }

    func clear() {
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

extension KeyProfile.Name: ExpressibleByArgument {}
extension Weighting: ExpressibleByArgument {}
extension NotePairing: ExpressibleByArgument {}
extension DurationGrid: ExpressibleByArgument {}
