/// Something the reader found wrong with a file, where, and what it did about it.
public struct Finding: Hashable, Sendable, Codable {
    /// Byte offset in the input where the problem starts (of the first occurrence).
    public var offset: Int
    /// Index of the track chunk it belongs to, when it belongs to one.
    public var track: Int?
    public var kind: Kind
    public var action: Action
    public var message: String
    /// Repetitions of the same problem in the same track are folded into one finding.
    public var occurrences: Int

    public init(offset: Int, track: Int?, kind: Kind, action: Action, message: String, occurrences: Int = 1) {
        self.offset = offset
        self.track = track
        self.kind = kind
        self.action = action
        self.message = message
        self.occurrences = occurrences
    }

    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case junkBeforeHeader
        case riffWrapper
        case badHeaderLength
        case unknownFormat
        case formatZeroWithSeveralTracks
        case trackCountMismatch
        case noTracks
        case unknownChunk
        case chunkLengthOverrun
        case chunkLengthUnderrun
        case truncatedFile
        case trailingBytes
        case missingEndOfTrack
        case eventsAfterEndOfTrack
        case runningStatusWithoutStatus
        case runningStatusAfterMetaOrSysex
        case dataByteOutOfRange
        case sysexDataByteOutOfRange
        case undefinedStatus
        case systemMessageInFile
        case overlongVariableLength
        case absurdDeltaTime
        case invalidKeySignature
        case invalidSMPTEOffset
        case invalidTempo
        case invalidTimeSignature
        case badMetaLength
        case truncatedEvent
        case invalidDivision
        case textModeTransfer
    }

    public enum Action: String, Hashable, Sendable, Codable {
        case clipped
        case droppedEvent
        case insertedEndOfTrack
        case resynchronised
        case truncatedTrack
        case skippedChunk
        case keptRaw
        case ignored
        case assumedDefault
        case assumedPreviousStatus
        case removedBytes
    }
}

/// Collects findings, folding repeats of one kind in one track into a single entry so a
/// file with ten thousand bad bytes yields one readable line, not ten thousand.
struct FindingLog {
    private(set) var findings: [Finding] = []
    private var indexByKey: [Key: Int] = [:]

    private struct Key: Hashable {
        var track: Int?
        var kind: Finding.Kind
    }

    mutating func record(
        _ kind: Finding.Kind, at offset: Int, track: Int?, action: Finding.Action, _ message: @autoclosure () -> String
    ) {
        let key = Key(track: track, kind: kind)
        if let index = indexByKey[key] {
            findings[index].occurrences += 1
            return
        }
        indexByKey[key] = findings.count
        findings.append(Finding(offset: offset, track: track, kind: kind, action: action, message: message()))
    }

    /// A finding that must not fold into an earlier one of its kind (chunk-level problems).
    mutating func recordSeparately(
        _ kind: Finding.Kind, at offset: Int, track: Int?, action: Finding.Action, _ message: String
    ) {
        findings.append(Finding(offset: offset, track: track, kind: kind, action: action, message: message))
    }
}

extension FindingLog {
    mutating func setLastOccurrences(_ count: Int) {
        findings[findings.count - 1].occurrences = count
    }
}
