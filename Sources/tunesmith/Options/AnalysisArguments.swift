import ArgumentParser
import MusicTheory

/// The analysis recipe shared by `analyze` and `report`, so both accept the same flags and
/// print the same keys and histograms for the same file.
struct AnalysisArguments: ParsableArguments {
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

    @Option(
        help: """
            Re-struck keys: fifo (each note-off ends the oldest sounding note) or off-ends-all (a note-off ends \
            every sounding note of its key, as synthesizers and music21 do; the default).
            """)
    var pairing = AnalysisOptions.standard.pairing

    @Option(
        help: """
            Note lengths for the key and histograms: none (as written) or music21 (snapped to 1/4 or 1/3 beat, \
            as music21's MIDI import does; the default).
            """)
    var durationGrid = AnalysisOptions.standard.durationGrid

    @Flag(
        help: """
            Drop tracks without notes (keeping their tempo, meter and key), exact duplicate and zero-length notes \
            before analysing, and list each change.
            """)
    var clean = false

    func validate() throws {
        guard windowMeasures >= 1 else {
            throw ValidationError("--window-measures \(windowMeasures): give 1 or more measures")
        }
        if let measures, measures < 1 { throw ValidationError("--measures \(measures): give 1 or more measures") }
        guard a4 > 0, a4.isFinite else {
            throw ValidationError("--a4 \(a4): give a positive frequency in Hz, e.g. 440 or 415")
        }
        guard binHz > 0, binHz.isFinite else { throw ValidationError("--bin-hz \(binHz): give a positive width in Hz") }
        if let binsPerOctave, binsPerOctave < 1 {
            throw ValidationError("--bins-per-octave \(binsPerOctave): give 1 or more")
        }
    }

    var analysisOptions: AnalysisOptions {
        AnalysisOptions(
            profile: profile, weighting: weighting, windowMeasures: windowMeasures, measureLimit: measures,
            tuning: Tuning(a4: a4),
            frequencyBinning: binsPerOctave.map { .logarithmic(binsPerOctave: $0) } ?? .linear(widthHz: binHz),
            pairing: pairing, durationGrid: durationGrid, cleanTracks: clean)
    }
}

extension KeyProfile.Name: ExpressibleByArgument {}
extension Weighting: ExpressibleByArgument {}
extension NotePairing: ExpressibleByArgument {}
extension DurationGrid: ExpressibleByArgument {}
