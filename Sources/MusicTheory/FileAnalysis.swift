import Foundation
import MIDIFile

/// Everything `tunesmith analyze` says about one file.
public struct FileAnalysis: Sendable {
    public var file: String
    public var notes: PieceNotes
    public var meter: Meter
    /// Nil when the file has no pitched notes.
    public var key: KeyEstimate?
    public var windows: [WindowKey]
    public var histograms: NoteHistograms
    /// Key signatures written in the file, with their ticks: shown beside the estimate,
    /// never used to make it.
    public var keySignatures: [(tick: Int, signature: KeySignature)]
    public var findings: [Finding]
    /// What track cleanup changed, when it was asked for.
    public var cleanup: [CleanupChange]

    public var pitchedNoteCount: Int { notes.notes.count - drumNoteCount }
    public var drumNoteCount: Int { notes.notes.lazy.filter(\.isDrum).count }

    /// Spelling for note names: the estimated key's, sharps when there is none.
    public var spelling: Spelling { key?.best.key.spelling ?? .sharps }
}

/// The library side of `tunesmith analyze`: read leniently, pair notes, find bars, keys
/// and histograms.
public enum Analyzer {
    public static func analyze(
        contentsOf path: String, options: AnalysisOptions, readOptions: ReadOptions = ReadOptions()
    ) throws -> FileAnalysis {
        analyze(try MIDIReader.read(contentsOf: path, options: readOptions), file: path, options: options)
    }

    public static func analyze(_ result: ReadResult, file: String, options: AnalysisOptions) -> FileAnalysis {
        analyze(result.file, file: file, findings: result.findings, options: options)
    }

    public static func analyze(_ input: MIDIFile, file: String, findings: [Finding] = [], options: AnalysisOptions)
        -> FileAnalysis
    {
        var midi = input
        var cleanup: [CleanupChange] = []
        if options.cleanTracks {
            let cleaned = TrackCleanup.clean(input)
            midi = cleaned.file
            cleanup = cleaned.changes
        }
        let notes = PieceNotes(midi, pairing: options.pairing)
        let meter = Meter(midi)
        let finder = options.keyFinder
        let histograms = options.histograms(of: notes.notes)
        let windows = WindowedKeys(
            notes: notes.notes, meter: meter, tempoMap: notes.tempoMap, finder: finder,
            weighting: options.weighting, windowMeasures: options.windowMeasures,
            measureLimit: options.measureLimit)
        var keySignatures: [(tick: Int, signature: KeySignature)] = []
        for track in midi.tracks {
            for event in track.events where event.isMeta && event.data1 == MetaType.keySignature.rawValue {
                if let signature = track.keySignature(of: event) { keySignatures.append((event.tick, signature)) }
            }
        }
        keySignatures.sort { $0.tick < $1.tick }
        return FileAnalysis(
            file: file, notes: notes, meter: meter, key: finder.estimate(histograms.pitchClass),
            windows: windows.windows, histograms: histograms, keySignatures: keySignatures,
            findings: findings, cleanup: cleanup)
    }
}
