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

    /// The pitched notes a token stands for: one per `Pitch_` token (events); one per pitch
    /// class of a note or chord (notes, which spells a chord as its distinct pitch classes).
    /// Bits per note divide by these, so models of either vocabulary compare.
    public func notes(in token: String) -> Int {
        switch self {
        case .events: token.hasPrefix("Pitch_") ? 1 : 0
        case .notes: token.split(separator: ".").count
        }
    }

    public func tokens(for file: MIDIFile) -> [String] {
        switch self {
        case .notes: NoteTokenizer().tokens(for: file)
        case .events: EventTokenizer.standard.tokens(for: QuantisedPiece(file))
        }
    }
}
