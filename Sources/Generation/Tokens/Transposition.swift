/// Training windows moved up or down a few semitones: the same music in another key, so
/// a small corpus teaches intervals and rhythm instead of its pieces' keys.
struct Transposition: Sendable {
    private let shifts: TokenShiftTable

    var maximum: Int { shifts.maximum }

    /// Nil for vocabularies whose tokens cannot be shifted one by one (`notes` spells
    /// chords as normal-order pitch classes).
    init?(vocabulary: Vocabulary, maximum: Int) {
        guard vocabulary.tokenizer == TokenizerKind.events.rawValue, maximum > 0 else { return nil }
        shifts = TokenShiftTable(vocabulary: vocabulary, maximum: maximum, prefix: "Pitch_", absent: .rejectsWindow) {
            $0 + $1
        }
    }

    /// The tokens shifted by `shift` semitones, or nil when one of them would leave the vocabulary
    /// (a pitch beyond 0…127).
    func shifted(_ tokens: some Collection<Int32>, by shift: Int) -> [Int32]? {
        shifts.moved(tokens, by: shift)
    }
}
