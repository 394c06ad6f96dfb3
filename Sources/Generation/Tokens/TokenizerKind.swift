import MIDIFile

/// The two vocabularies a run can use.
public enum TokenizerKind: String, CaseIterable, Sendable, Codable {
    case notes, events

    public var version: Int {
        switch self {
        case .notes: NoteTokenizer.version
        case .events: EventTokenizer.version
        }
    }

    public func tokens(for file: MIDIFile) -> [String] {
        switch self {
        case .notes: NoteTokenizer().tokens(for: file)
        case .events: EventTokenizer.standard.tokens(for: QuantisedPiece(file))
        }
    }
}
