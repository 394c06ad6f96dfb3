/// What became of a source file.
public enum SourceStatus: String, Codable, CaseIterable, Sendable, Hashable {
    /// Read without a defect; its clean copy is in the corpus.
    case clean
    /// Defects or empty tracks were repaired; its clean copy is in the corpus.
    case repaired
    /// Read, but a filter turned it down (the reason says which).
    case rejected
    /// The same bytes, or the same notes, as a piece already kept.
    case duplicate
    /// Not a MIDI file by its content, or not readable at all.
    case skipped

    public var isKept: Bool { self == .clean || self == .repaired }
}

/// Why a file was rejected, skipped or counted as a duplicate; stable codes for machines.
public enum StatusReason: String, Codable, CaseIterable, Sendable, Hashable {
    case notMIDI = "not_midi"
    case unreadable
    case pathPattern = "path_pattern"
    case tooFewNotes = "too_few_notes"
    case tooShort = "too_short"
    case tooLong = "too_long"
    case drumOnly = "drum_only"
    case instrumentFamily = "instrument_family"
    case timeSignature = "time_signature"
    case key
    case sameBytes = "same_bytes"
    case sameMusic = "same_music"
}

/// A status with its reason code and the words that explain it.
struct Verdict: Sendable, Hashable {
    var status: SourceStatus
    var reason: StatusReason?
    var detail: String?
}
