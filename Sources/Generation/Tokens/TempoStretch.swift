/// Training windows played a little faster or slower: every `Tempo_b` token of a window
/// moves by the same number of buckets (each about 6 %), clamped to the vocabulary's range.
/// Positions and durations count grid steps of a beat, so the tempo is the whole of what a
/// stretch changes in the `events` vocabulary; nothing needs re-quantising.
struct TempoStretch: Sendable {
    private let stretches: TokenShiftTable

    var maximum: Int { stretches.maximum }

    /// Nil for vocabularies without tempo tokens (`notes`) or without a stretch.
    init?(vocabulary: Vocabulary, maximum: Int) {
        guard vocabulary.tokenizer == TokenizerKind.events.rawValue, maximum > 0 else { return nil }
        stretches = TokenShiftTable(
            vocabulary: vocabulary, maximum: maximum,
            rules: [
                .init(prefix: "Tempo_", absent: .staysPut) { bucket, buckets in
                    min(max(bucket + buckets, 0), TempoBuckets.count - 1)
                }
            ])
    }

    /// The tokens with every tempo moved by `buckets`; a tempo whose moved bucket the
    /// vocabulary lacks stays as it is, so no token is ever rejected.
    func stretched(_ tokens: some Collection<Int32>, by buckets: Int) -> [Int32] {
        stretches.moved(tokens, by: buckets)!
    }
}
