/// Training windows moved up or down a few semitones: the same music in another key, so
/// a small corpus teaches intervals and rhythm instead of its pieces' keys. The header's
/// `Key_` token moves with the notes; drum notes keep their key numbers.
struct Transposition: Sendable {
    private let shifts: TokenShiftTable

    var maximum: Int { shifts.maximum }

    /// Nil for vocabularies whose tokens cannot be shifted one by one (`notes` spells
    /// chords as normal-order pitch classes).
    init?(vocabulary: Vocabulary, maximum: Int) {
        guard vocabulary.tokenizer == TokenizerKind.events.rawValue, maximum > 0 else { return nil }
        shifts = TokenShiftTable(
            vocabulary: vocabulary, maximum: maximum,
            rules: [
                .init(prefix: "Pitch_", absent: .rejectsWindow) { $0 + $1 },
                .init(prefix: "Key_", absent: .rejectsWindow) { (($0 + $1) % 12 + 12) % 12 },
            ])
    }

    /// The tokens shifted by `shift` semitones, or nil when one of them would leave the vocabulary
    /// (a pitch beyond 0…127). `drums` flags the tokens that are drum notes' key numbers
    /// (`DrumKeys`); empty when there are none.
    func shifted(_ tokens: some Collection<Int32>, by shift: Int, drums: [Bool] = []) -> [Int32]? {
        shifts.moved(tokens, by: shift, fixed: drums)
    }
}

/// Which `Pitch_` tokens of an `events` sequence are drum notes' key numbers: those after a
/// `Drums` token in the body, up to the next instrument token (instruments in the header
/// only list what comes).
struct DrumKeys: Sendable {
    private let drums: Int32?
    private let bar: Int32?
    private let instruments: Set<Int32>
    private let pitches: Set<Int32>

    init(vocabulary: Vocabulary) {
        drums = vocabulary.id(of: Instrument.drums.token)
        bar = vocabulary.id(of: "Bar")
        instruments = Set(Instrument.all.compactMap { vocabulary.id(of: $0.token) })
        pitches = Set((0..<128).compactMap { vocabulary.id(of: "Pitch_\($0)") })
    }

    /// One flag per token; empty when no token is a drum's (most pieces), to save the memory.
    func flags(of sequence: [Int32]) -> [Bool] {
        guard let drums, sequence.contains(drums) else { return [] }
        var flags = [Bool](repeating: false, count: sequence.count)
        var inBody = false, playingDrums = false
        for (index, token) in sequence.enumerated() {
            if token == bar { inBody = true }
            if inBody && instruments.contains(token) { playingDrums = token == drums }
            flags[index] = playingDrums && pitches.contains(token)
        }
        return flags
    }
}
