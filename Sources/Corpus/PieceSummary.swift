import MIDIFile
import MusicTheory

/// The analysis summary the catalogue keeps for each piece: enough to choose pieces for
/// training without opening them.
public struct PieceSummary: Codable, Hashable, Sendable {
    public var notes: Int
    public var drumNotes: Int
    public var durationSeconds: Double
    public var tracksKept: Int
    public var tracksDropped: Int
    /// Programs that play pitched notes, 0–127.
    public var programs: [Int]
    public var families: [InstrumentFamily]
    public var tempoMinimumBPM: Double
    public var tempoMaximumBPM: Double
    /// Distinct time signatures in order of appearance, "4/4" when the file states none.
    public var timeSignatures: [String]
    /// The source file's key by `AnalysisOptions.standard`, as `tunesmith analyze` gives it;
    /// nil without pitched notes.
    public var key: String?
    public var keyCorrelation: Double?
    public var keyConfidence: Double?
    public var lowestPitch: Int?
    public var highestPitch: Int?

    enum CodingKeys: String, CodingKey {
        case notes
        case drumNotes = "drum_notes"
        case durationSeconds = "duration_seconds"
        case tracksKept = "tracks_kept"
        case tracksDropped = "tracks_dropped"
        case programs, families
        case tempoMinimumBPM = "tempo_min_bpm"
        case tempoMaximumBPM = "tempo_max_bpm"
        case timeSignatures = "time_signatures"
        case key
        case keyCorrelation = "key_correlation"
        case keyConfidence = "key_confidence"
        case lowestPitch = "pitch_min"
        case highestPitch = "pitch_max"
    }

    public var pitchedNotes: Int { notes - drumNotes }

    /// Summarises the cleaned file; `originalTracks` is the track count before cleanup, `key`
    /// the source file's estimate (cleanup re-pairs notes, which can move it).
    init(cleaned file: MIDIFile, notes pieceNotes: PieceNotes, originalTracks: Int, key estimate: KeyEstimate?) {
        let notes = pieceNotes.notes
        self.notes = notes.count
        drumNotes = notes.lazy.filter(\.isDrum).count
        durationSeconds = file.durationSeconds
        tracksKept = file.tracks.filter { track in track.events.contains(where: \.isNoteOn) }.count
        tracksDropped = max(0, originalTracks - tracksKept)
        let pitched = notes.filter { !$0.isDrum }
        programs = Set(pitched.map { Int($0.program) }).sorted()
        let voices = Set(notes.map { Int($0.program) | ($0.isDrum ? 128 : 0) })
        families = Set(voices.map { InstrumentFamily(program: $0 & 127, isDrum: $0 >= 128) })
            .sorted { InstrumentFamily.allCases.firstIndex(of: $0)! < InstrumentFamily.allCases.firstIndex(of: $1)! }
        let bpms = pieceNotes.tempoMap.changes.map { 60e6 / Double($0.microsecondsPerQuarter) }
        tempoMinimumBPM = bpms.min() ?? 120
        tempoMaximumBPM = bpms.max() ?? 120
        timeSignatures = Self.timeSignatures(of: file)
        key = estimate?.best.key.name
        keyCorrelation = estimate?.best.correlation
        keyConfidence = estimate?.confidence
        lowestPitch = pitched.map { Int($0.pitch) }.min()
        highestPitch = pitched.map { Int($0.pitch) }.max()
    }

    private static func timeSignatures(of file: MIDIFile) -> [String] {
        var found: [(tick: Int, name: String)] = []
        for track in file.tracks {
            for event in track.events where event.isMeta && event.data1 == MetaType.timeSignature.rawValue {
                if let signature = track.timeSignature(of: event) {
                    found.append((event.tick, "\(signature.numerator)/\(signature.denominator)"))
                }
            }
        }
        found.sort { $0.tick < $1.tick }
        var names: [String] = []
        for entry in found where !names.contains(entry.name) { names.append(entry.name) }
        return names.isEmpty ? ["4/4"] : names
    }
}
