/// The remap behind on-the-fly augmentation: every token a rule names (its prefix, then a
/// number, then optionally `_` and more) moves by the same offset (a transposition's
/// semitones, a tempo stretch's buckets) and every other token stays. One row of ids per
/// offset, built once per vocabulary.
struct TokenShiftTable: Sendable {
    /// Tokens that move: `prefix` + number + rest, the number becoming `moved(number, offset)`.
    struct Rule {
        var prefix: String
        var absent: Absent
        var moved: (_ number: Int, _ offset: Int) -> Int
    }

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

    init(vocabulary: Vocabulary, maximum: Int, rules: [Rule]) {
        self.maximum = maximum
        vocabularySize = vocabulary.count
        var table = [Int32](repeating: -1, count: (2 * maximum + 1) * vocabulary.count)
        for offset in -maximum...maximum {
            let row = (offset + maximum) * vocabulary.count
            for (id, token) in vocabulary.tokens.enumerated() {
                table[row + id] = Int32(id)
                for rule in rules where token.hasPrefix(rule.prefix) {
                    let rest = token.dropFirst(rule.prefix.count)
                    let digits = rest.prefix { $0 != "_" }
                    guard let number = Int(digits) else { continue }
                    let moved = rule.prefix + String(rule.moved(number, offset)) + rest.dropFirst(digits.count)
                    let fallback: Int32 = rule.absent == .staysPut ? Int32(id) : -1
                    table[row + id] = vocabulary.id(of: moved) ?? fallback
                }
            }
        }
        self.table = table
    }

    /// The tokens moved by `offset`, or nil when one of them would leave the vocabulary.
    /// Tokens whose `fixed` entry is true stay as they are (a drum's key number is a drum).
    func moved(_ tokens: some Collection<Int32>, by offset: Int, fixed: [Bool] = []) -> [Int32]? {
        precondition(fixed.isEmpty || fixed.count == tokens.count, "one fixed flag per token, or none")
        let row = (offset + maximum) * vocabularySize
        var result: [Int32] = []
        result.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() {
            if !fixed.isEmpty && fixed[index] {
                result.append(token)
                continue
            }
            let moved = table[row + Int(token)]
            if moved < 0 { return nil }
            result.append(moved)
        }
        return result
    }
}
