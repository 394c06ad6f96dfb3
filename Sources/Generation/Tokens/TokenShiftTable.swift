/// The remap behind on-the-fly augmentation: every token whose name is `prefix` + a number
/// moves by the same offset (a transposition's semitones, a tempo stretch's buckets) and
/// every other token stays. One row of ids per offset, built once per vocabulary.
struct TokenShiftTable: Sendable {
    let maximum: Int
    private let vocabularySize: Int
    /// (2 × maximum + 1, vocabulary): each token's id after each offset from −maximum up,
    /// or −1 when the moved token is not in the vocabulary and `absent` is `.rejectsWindow`.
    private let table: [Int32]

    /// What a token does when the vocabulary lacks the token it would move to.
    enum Absent {
        /// The window cannot be moved (a pitch beyond 0…127 is not music any more).
        case rejectsWindow
        /// The token stays as it is (a tempo bucket the corpus never used).
        case staysPut
    }

    /// `moved` gives the number the token's own number becomes under an offset.
    init(
        vocabulary: Vocabulary, maximum: Int, prefix: String, absent: Absent,
        moved: (_ number: Int, _ offset: Int) -> Int
    ) {
        self.maximum = maximum
        vocabularySize = vocabulary.count
        var table = [Int32](repeating: -1, count: (2 * maximum + 1) * vocabulary.count)
        for offset in -maximum...maximum {
            let row = (offset + maximum) * vocabulary.count
            for (id, token) in vocabulary.tokens.enumerated() {
                if token.hasPrefix(prefix), let number = Int(token.dropFirst(prefix.count)) {
                    let fallback: Int32 = absent == .staysPut ? Int32(id) : -1
                    table[row + id] = vocabulary.id(of: prefix + String(moved(number, offset))) ?? fallback
                } else {
                    table[row + id] = Int32(id)
                }
            }
        }
        self.table = table
    }

    /// The tokens moved by `offset`, or nil when one of them would leave the vocabulary.
    func moved(_ tokens: some Collection<Int32>, by offset: Int) -> [Int32]? {
        let row = (offset + maximum) * vocabularySize
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
