/// Interpolated modified Kneser–Ney smoothing (Chen & Goodman 1998) over `NGramCounts`.
/// Level k predicts from the k − 1 tokens before: the top level from raw counts, every lower
/// level from continuation counts (how many distinct tokens, or a piece's start, precede the
/// k-gram), each with its own three discounts (for counts 1, 2 and 3+), and the uniform
/// distribution under level 1, so every token of the vocabulary keeps a probability above 0.
/// A context a level has never seen leaves the level below in charge.
public struct KneserNeyModel: Sendable {
    public let order: Int
    public let vocabularySize: Int
    let packing: TokenPacking
    /// levels[k − 1] predicts from k − 1 tokens.
    let levels: [Level]

    /// The three discounts of one level, from its count-of-counts n1…n4 (Chen & Goodman's
    /// estimates). An estimate outside (0, c] — counts too few to estimate from — falls back to
    /// the plain Kneser–Ney discount n1 / (n1 + 2 n2), or ½ without singletons.
    public struct Discounts: Sendable, Equatable {
        public var one: Double, two: Double, threeOrMore: Double

        public init(countOfCounts n: [Int]) {
            let n = n.map(Double.init) + [Double](repeating: 0, count: max(0, 4 - n.count))
            let plain = n[0] > 0 ? n[0] / (n[0] + 2 * n[1]) : 0.5
            func estimate(_ count: Double, _ nc: Double, _ next: Double) -> Double {
                guard nc > 0 else { return plain }
                let discount = count - (count + 1) * plain * next / nc
                return discount > 0 && discount <= count ? discount : plain
            }
            one = estimate(1, n[0], n[1])
            two = estimate(2, n[1], n[2])
            threeOrMore = estimate(3, n[2], n[3])
        }

        public func callAsFunction(_ count: Int32) -> Double {
            count >= 3 ? threeOrMore : count == 2 ? two : count == 1 ? one : 0
        }
    }

    struct Context: Sendable {
        /// Where its successors start in the level's arrays, and how many there are.
        var first: Int
        var successors: Int
        var total: Double
        /// The probability mass the discounts take, given to the level below.
        var backoff: Double
    }

    struct Level: Sendable {
        /// Context (most recent token in slot 0) → its successors, sorted by token.
        var contexts: [PackedTokens: Context]
        var successorTokens: [Int32]
        var successorCounts: [Int32]
        var discounts: Discounts
    }

    public init(counts: NGramCounts) {
        self = Self.family(counts: counts, orders: [counts.order])[0]
    }

    init(order: Int, vocabularySize: Int, packing: TokenPacking, levels: [Level]) {
        self.order = order
        self.vocabularySize = vocabularySize
        self.packing = packing
        self.levels = levels
    }

    /// The models of several orders from one set of counts, sharing what they have in common:
    /// the lower levels (continuation counts) do not depend on the order, only the top one does.
    /// Each equals `KneserNeyModel(counts: counts.truncated(to: order))`.
    public static func family(counts: NGramCounts, orders: [Int]) -> [KneserNeyModel] {
        precondition(orders.allSatisfy { (1...counts.order).contains($0) })
        let highest = orders.max() ?? 1
        let occurrences = (1...highest).map { counts.occurrences(ofOrder: $0) }
        let packing = counts.packing
        let continuationLevels = (1..<highest).map { k in
            level(
                continuationCounts(of: occurrences[k - 1], extensions: occurrences[k], order: k, packing: packing),
                packing: packing)
        }
        return orders.map { order in
            KneserNeyModel(
                order: order, vocabularySize: counts.vocabularySize, packing: packing,
                levels: Array(continuationLevels.prefix(order - 1)) + [level(occurrences[order - 1], packing: packing)])
        }
    }

    /// For each k-gram: the distinct tokens seen before it, plus one when it also opens a
    /// piece (some of its occurrences have no token before them).
    static func continuationCounts(
        of counts: [PackedTokens: Int32], extensions: [PackedTokens: Int32], order k: Int,
        packing: TokenPacking
    ) -> [PackedTokens: Int32] {
        var distinctBefore: [PackedTokens: Int32] = [:]
        var extended: [PackedTokens: Int32] = [:]
        distinctBefore.reserveCapacity(counts.count)
        extended.reserveCapacity(counts.count)
        for (longer, count) in extensions {
            let suffix = packing.keepingNewest(longer, k)
            distinctBefore[suffix, default: 0] += 1
            extended[suffix, default: 0] += count
        }
        for (ngram, count) in counts where count > extended[ngram, default: 0] {
            distinctBefore[ngram, default: 0] += 1
        }
        return distinctBefore
    }

    static func level(_ counts: [PackedTokens: Int32], packing: TokenPacking) -> Level {
        var countOfCounts = [0, 0, 0, 0]
        for count in counts.values where count <= 4 { countOfCounts[Int(count) - 1] += 1 }
        let discounts = Discounts(countOfCounts: countOfCounts)
        let rows = counts.map {
            (context: packing.droppingNewest($0.key), token: packing.token($0.key, slot: 0), count: $0.value)
        }
        .sorted { ($0.context.high, $0.context.low, $0.token) < ($1.context.high, $1.context.low, $1.token) }
        var contexts: [PackedTokens: Context] = [:]
        contexts.reserveCapacity(rows.count / 2)
        var start = 0
        while start < rows.count {
            var end = start
            var total = 0.0
            var discounted = 0.0
            while end < rows.count && rows[end].context == rows[start].context {
                total += Double(rows[end].count)
                discounted += discounts(rows[end].count)
                end += 1
            }
            contexts[rows[start].context] = Context(
                first: start, successors: end - start, total: total,
                backoff: discounted / total)
            start = end
        }
        return Level(
            contexts: contexts, successorTokens: rows.map(\.token), successorCounts: rows.map(\.count),
            discounts: discounts)
    }

    /// Calls `body` with each level and its context's entry, from level 1 up, while the history
    /// is long enough and the context has been seen: a context unseen at one level is unseen at
    /// every level above it, so the levels below it are the whole model there.
    private func forEachSeenContext<History: BidirectionalCollection<Int32>>(
        _ history: History, _ body: (Level, Context) -> Void
    ) {
        var key = PackedTokens()
        var next = history.endIndex
        for (index, level) in levels.enumerated() {
            if index > 0 {
                guard next > history.startIndex else { return }
                next = history.index(before: next)
                key = packing.setting(key, slot: index - 1, to: history[next])
            }
            guard let entry = level.contexts[key] else { return }
            body(level, entry)
        }
    }

    /// P(token | history), the history's most recent token last.
    public func probability<History: BidirectionalCollection<Int32>>(of token: Int32, after history: History) -> Double
    {
        var probability = 1 / Double(vocabularySize)
        forEachSeenContext(history) { level, entry in
            let count = level.count(of: token, in: entry)
            probability =
                (count > 0 ? (Double(count) - level.discounts(count)) / entry.total : 0) + entry.backoff * probability
        }
        return probability
    }

    /// P(· | history) over the whole vocabulary.
    public func distribution<History: BidirectionalCollection<Int32>>(after history: History) -> [Double] {
        var probabilities = [Double](repeating: 1 / Double(vocabularySize), count: vocabularySize)
        forEachSeenContext(history) { level, entry in
            for index in probabilities.indices { probabilities[index] *= entry.backoff }
            for successor in entry.first..<(entry.first + entry.successors) {
                let count = level.successorCounts[successor]
                probabilities[Int(level.successorTokens[successor])] +=
                    (Double(count) - level.discounts(count)) / entry.total
            }
        }
        return probabilities
    }
}

extension KneserNeyModel.Level {
    func count(of token: Int32, in context: KneserNeyModel.Context) -> Int32 {
        var low = context.first
        var high = context.first + context.successors
        while low < high {
            let middle = (low + high) / 2
            if successorTokens[middle] < token { low = middle + 1 } else { high = middle }
        }
        return low < context.first + context.successors && successorTokens[low] == token ? successorCounts[low] : 0
    }
}

/// The same smoothing computed from the definitions, straight from the pieces, with n-grams
/// as arrays: slow, and the reference the packed model is tested against.
public struct KneserNeyReference {
    public let order: Int
    public let vocabularySize: Int
    /// tables[k − 1]: k-gram → its raw count (top level) or continuation count (lower levels).
    let tables: [[[Int32]: Int]]

    public init(pieces: [[Int32]], order: Int, vocabularySize: Int) {
        self.order = order
        self.vocabularySize = vocabularySize
        tables = (1...order).map { k in
            var raw: [[Int32]: Int] = [:]
            var before: [[Int32]: Set<Int32>] = [:]
            for piece in pieces where piece.count >= k {
                for end in (k - 1)..<piece.count {
                    let ngram = Array(piece[(end - k + 1)...end])
                    raw[ngram, default: 0] += 1
                    // −1 stands for the start of the piece.
                    before[ngram, default: []].insert(end - k >= 0 ? piece[end - k] : -1)
                }
            }
            return k == order ? raw : before.mapValues(\.count)
        }
    }

    public func probability(of token: Int32, after history: [Int32]) -> Double {
        var probability = 1 / Double(vocabularySize)
        for k in 1...order where history.count >= k - 1 {
            let table = tables[k - 1]
            let context = Array(history.suffix(k - 1))
            let discounts = KneserNeyModel.Discounts(
                countOfCounts: (1...4).map { c in table.values.filter { $0 == c }.count })
            let counts = (0..<Int32(vocabularySize)).map { table[context + [$0]] ?? 0 }
            let total = Double(counts.reduce(0, +))
            guard total > 0 else { continue }
            let taken = counts.reduce(0.0) { $0 + discounts(Int32($1)) }
            let count = counts[Int(token)]
            probability =
                (count > 0 ? (Double(count) - discounts(Int32(count))) / total : 0) + taken / total * probability
        }
        return probability
    }
}
