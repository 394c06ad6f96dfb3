/// Training windows played a little faster or slower: every `Tempo_b` token of a window
/// moves by the same number of buckets (each about 6 %), clamped to the vocabulary's range.
/// Positions and durations count grid steps of a beat, so the tempo is the whole of what a
/// stretch changes in the `events` vocabulary; nothing needs re-quantising.
struct TempoStretch: Sendable {
    let maximum: Int
    private let vocabularySize: Int
    /// (2 × maximum + 1, vocabulary): each token's id after each stretch from −maximum up.
    private let table: [Int32]

    /// Nil for vocabularies without tempo tokens (`notes`) or without a stretch.
    init?(vocabulary: Vocabulary, maximum: Int) {
        guard vocabulary.tokenizer == TokenizerKind.events.rawValue, maximum > 0 else { return nil }
        self.maximum = maximum
        vocabularySize = vocabulary.count
        var table = [Int32](repeating: 0, count: (2 * maximum + 1) * vocabulary.count)
        for buckets in -maximum...maximum {
            let row = (buckets + maximum) * vocabulary.count
            for (id, token) in vocabulary.tokens.enumerated() {
                if token.hasPrefix("Tempo_"), let bucket = Int(token.dropFirst(6)),
                    let moved = vocabulary.id(of: "Tempo_\(min(max(bucket + buckets, 0), TempoBuckets.count - 1))")
                {
                    table[row + id] = moved
                } else {
                    table[row + id] = Int32(id)
                }
            }
        }
        self.table = table
    }

    /// The tokens with every tempo moved by `buckets`.
    func stretched(_ tokens: some Collection<Int32>, by buckets: Int) -> [Int32] {
        let row = (buckets + maximum) * vocabularySize
        return tokens.map { table[row + Int($0)] }
    }
}
