/// Training windows moved up or down a few semitones: the same music in another key, so
/// a small corpus teaches intervals and rhythm instead of its pieces' keys.
struct Transposition: Sendable {
    let maximum: Int
    private let vocabularySize: Int
    /// (2 × maximum + 1, vocabulary): the id of each token after each shift from −maximum
    /// up, or −1 when the shifted token is not in the vocabulary (a pitch beyond 0…127).
    private let table: [Int32]

    /// Nil for vocabularies whose tokens cannot be shifted one by one (`notes` spells
    /// chords as normal-order pitch classes).
    init?(vocabulary: Vocabulary, maximum: Int) {
        guard vocabulary.tokenizer == TokenizerKind.events.rawValue, maximum > 0 else { return nil }
        self.maximum = maximum
        vocabularySize = vocabulary.count
        var table = [Int32](repeating: -1, count: (2 * maximum + 1) * vocabulary.count)
        for shift in -maximum...maximum {
            let row = (shift + maximum) * vocabulary.count
            for (id, token) in vocabulary.tokens.enumerated() {
                if token.hasPrefix("Pitch_"), let pitch = Int(token.dropFirst(6)) {
                    table[row + id] = vocabulary.id(of: "Pitch_\(pitch + shift)") ?? -1
                } else {
                    table[row + id] = Int32(id)
                }
            }
        }
        self.table = table
    }

    /// The tokens shifted by `shift` semitones, or nil when one of them would leave the vocabulary.
    func shifted<Tokens: Collection<Int32>>(_ tokens: Tokens, by shift: Int) -> [Int32]? {
        let row = (shift + maximum) * vocabularySize
        var result: [Int32] = []
        result.reserveCapacity(tokens.count)
        for token in tokens {
            let moved = table[row + Int(token)]
            if moved < 0 { return nil }
            result.append(moved)
        }
        return result
    }
}
