import Foundation

/// Nats per token in the unit that compares models across tokenizers and vocabularies: bits
/// per pitched note. A vocabulary that spends more tokens on each note has an easier time per
/// token, never per note.
public enum BitsPerNote {
    /// NaN when there are no notes to share the bits among.
    public static func of(nats: Double, notes: Int) -> Double {
        notes > 0 ? nats / log(2) / Double(notes) : .nan
    }
}

extension Dataset {
    /// Tokens and the pitched notes they stand for in the given pieces: the ratio that turns
    /// their mean loss per token into bits per note.
    public func tokensAndNotes(of pieces: [Int]) -> (tokens: Int, notes: Int) {
        guard let tokenizer = TokenizerKind(rawValue: vocabulary.tokenizer) else { return (tokenCount(of: pieces), 0) }
        let notesPerId = vocabulary.tokens.map { tokenizer.notes(in: $0) }
        let notes = pieces.reduce(0) { total, piece in sequences[piece].reduce(total) { $0 + notesPerId[Int($1)] } }
        return (tokenCount(of: pieces), notes)
    }

    /// Bits per note of a mean loss per token over held-out tokens, by the tokens-per-note
    /// ratio of the pieces they come from: the validation pieces when split by piece, every
    /// piece under the seed protocol (its held-out windows come from all of them).
    public func validationBitsPerNote(natsPerToken: Double) -> Double {
        let (tokens, notes) = tokensAndNotes(of: splitProtocol == .piece ? validation : training)
        return BitsPerNote.of(nats: natsPerToken * Double(tokens), notes: notes)
    }
}
