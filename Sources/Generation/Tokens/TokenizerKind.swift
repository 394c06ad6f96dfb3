import MIDIFile
import MusicTheory

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

    /// A file's tokens; for `events`, headed by `style` when given and by the key the file is
    /// in by `analyze`'s recipe (`AnalysisOptions.standard`), when it has pitched notes.
    public func tokens(for file: MIDIFile, style: String? = nil) -> [String] {
        switch self {
        case .notes:
            return NoteTokenizer().tokens(for: file)
        case .events:
            let key = AnalysisOptions.standard.key(of: file)?.best.key
            return EventTokenizer.standard.tokens(for: QuantisedPiece(file), style: style, key: key)
        }
    }
}
