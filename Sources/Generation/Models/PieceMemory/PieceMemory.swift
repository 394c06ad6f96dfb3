/// A piece's own variable-order n-gram model, grown one token at a time as the piece is read or
/// written: IDyOM's short-term model (Pearce, *The construction and evaluation of statistical
/// models of melodic structure*, 2005), which predicts what the piece has already done — its
/// motifs, riffs and repeated sections — however far back, where a network sees only its window
/// and has to learn to copy. `MemoryMixture` blends it with the run's model.
///
/// Orders are blended by Witten–Bell (PPM's escape method C): a context seen before moves the
/// distribution of the shorter contexts toward what followed it, by how often it was seen against
/// how many different tokens followed it. Below every context, the piece's token counts, and below
/// those the uniform distribution, so no token is ever impossible.
public struct PieceMemory {
    /// Context lengths blended, shortest first. The longest, 32 tokens, is about eight notes of
    /// `events` tokens (3.8 a note in the visible corpus): long enough to know which repeat of a
    /// section the piece is in.
    public static let orders = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32]

    /// Evidence classes `bucket` sorts a prediction into: no context seen, or the longest order
    /// seen × how often it was seen (once, twice, three times or more).
    public static let buckets = 1 + orders.count * 3

    public let vocabularySize: Int
    /// (tokens read) the piece so far.
    public private(set) var history: [Int32] = []
    /// (V) how often each token occurred in the piece.
    private var unigram: [Int32]
    private var distinctTokens = 0

    /// One context of one order: how often it was followed by a token, by how many different
    /// ones, and the head of its list of followers.
    private struct Context {
        var total: Int32 = 0
        var distinct: Int32 = 0
        var firstFollower: Int32 = -1
    }
    /// The hashed context (its order and tokens) → its index in `contexts`.
    private var contextIndex: [UInt64: Int32] = [:]
    private var contexts: [Context] = []  // (contexts seen)
    // (followers) one linked list per context of the tokens that followed it, with their counts.
    private var followerToken: [Int32] = []
    private var followerCount: [Int32] = []
    private var followerNext: [Int32] = []

    /// (orders) the hash of each order's context before the next token, and its index in
    /// `contexts` (−1: not seen yet, or the piece is shorter than the order).
    private var pendingHashes: [UInt64]
    private var pendingContexts: [Int32]

    public init(vocabularySize: Int) {
        precondition(vocabularySize >= 1, "a vocabulary of at least one token")
        self.vocabularySize = vocabularySize
        unigram = [Int32](repeating: 0, count: vocabularySize)
        pendingHashes = [UInt64](repeating: 0, count: Self.orders.count)
        pendingContexts = [Int32](repeating: -1, count: Self.orders.count)
    }

    /// Reads the next token of the piece.
    public mutating func append(_ token: Int32) {
        precondition(token >= 0 && Int(token) < vocabularySize, "token \(token) outside the vocabulary")
        for (order, length) in Self.orders.enumerated() where length <= history.count {
            var index = pendingContexts[order]
            if index < 0 {
                index = Int32(contexts.count)
                contexts.append(Context())
                contextIndex[pendingHashes[order]] = index
            }
            count(token, after: Int(index))
        }
        if unigram[Int(token)] == 0 { distinctTokens += 1 }
        unigram[Int(token)] += 1
        history.append(token)
        findContexts()
    }

    public mutating func append(contentsOf tokens: some Sequence<Int32>) {
        for token in tokens { append(token) }
    }

    /// The probability that the next token is `token`.
    public func probability(of token: Int32) -> Double {
        var probability = unigramProbability(of: token)
        for index in pendingContexts {
            guard index >= 0 else { break }
            let context = contexts[Int(index)]
            let escape = Double(context.distinct)
            probability =
                (Double(followers(of: token, in: context)) + escape * probability) / (Double(context.total) + escape)
        }
        return probability
    }

    /// (V) the distribution of the next token, written out: `probability(of:)` of every token.
    public func distribution() -> [Double] {
        let seen = Double(history.count), escape = Double(distinctTokens)
        var result = [Double](repeating: 1 / Double(vocabularySize), count: vocabularySize)
        if seen > 0 {
            for token in 0..<vocabularySize {
                result[token] = (Double(unigram[token]) + escape * result[token]) / (seen + escape)
            }
        }
        for index in pendingContexts {
            guard index >= 0 else { break }
            let context = contexts[Int(index)]
            let escape = Double(context.distinct), total = Double(context.total)
            let kept = escape / (total + escape)
            for token in 0..<vocabularySize { result[token] *= kept }
            var follower = context.firstFollower
            while follower >= 0 {
                result[Int(followerToken[Int(follower)])] += Double(followerCount[Int(follower)]) / (total + escape)
                follower = followerNext[Int(follower)]
            }
        }
        return result
    }

    /// How much the piece knows about its next token: 0 when not even the shortest context has
    /// been seen, else by the longest order seen and how often it was seen (1, 2, 3 or more).
    public var bucket: Int {
        guard let longest = pendingContexts.lastIndex(where: { $0 >= 0 }) else { return 0 }
        let seen = Int(contexts[Int(pendingContexts[longest])].total)
        return 1 + longest * 3 + min(seen, 3) - 1
    }

    private func unigramProbability(of token: Int32) -> Double {
        let uniform = 1 / Double(vocabularySize)
        guard !history.isEmpty else { return uniform }
        let escape = Double(distinctTokens)
        return (Double(unigram[Int(token)]) + escape * uniform) / (Double(history.count) + escape)
    }

    private func followers(of token: Int32, in context: Context) -> Int32 {
        var follower = context.firstFollower
        while follower >= 0 {
            if followerToken[Int(follower)] == token { return followerCount[Int(follower)] }
            follower = followerNext[Int(follower)]
        }
        return 0
    }

    private mutating func count(_ token: Int32, after index: Int) {
        contexts[index].total += 1
        var follower = contexts[index].firstFollower
        while follower >= 0 {
            if followerToken[Int(follower)] == token {
                followerCount[Int(follower)] += 1
                return
            }
            follower = followerNext[Int(follower)]
        }
        followerToken.append(token)
        followerCount.append(1)
        followerNext.append(contexts[index].firstFollower)
        contexts[index].firstFollower = Int32(followerToken.count - 1)
        contexts[index].distinct += 1
    }

    /// Hashes the contexts that end the piece so far, walking back from its last token: the
    /// hash after k tokens is the order-k context's, so one walk gives every order. Hashes
    /// differ by order as well as by tokens, since a walk of k steps is mixed k times.
    private mutating func findContexts() {
        var hash: UInt64 = 0x6A09_E667_F3BC_C908
        var walked = 0
        for (order, length) in Self.orders.enumerated() {
            guard length <= history.count else {
                pendingContexts[order] = -1
                continue
            }
            while walked < length {
                walked += 1
                hash = (hash ^ UInt64(UInt32(bitPattern: history[history.count - walked]))) &* 0x9E37_79B9_7F4A_7C15
                hash ^= hash >> 29
            }
            pendingHashes[order] = hash
            pendingContexts[order] = contextIndex[hash] ?? -1
        }
    }
}

/// The reference for `PieceMemory`: the same blend computed from scratch for every prediction,
/// each order's counts found by scanning the whole history for its context.
public struct PieceMemoryReference {
    public let vocabularySize: Int
    public var history: [Int32] = []

    public init(vocabularySize: Int) { self.vocabularySize = vocabularySize }

    public func probability(of token: Int32) -> Double {
        let uniform = 1 / Double(vocabularySize)
        var probability = uniform
        if !history.isEmpty {
            let count = history.filter { $0 == token }.count
            let distinct = Set(history).count
            probability = (Double(count) + Double(distinct) * uniform) / Double(history.count + distinct)
        }
        for length in PieceMemory.orders where length <= history.count {
            let context = history.suffix(length)
            var followers: [Int32: Int] = [:]
            for end in length..<history.count where history[(end - length)..<end].elementsEqual(context) {
                followers[history[end], default: 0] += 1
            }
            let total = followers.values.reduce(0, +)
            // A context never seen before has no longer context that was seen either.
            guard total > 0 else { break }
            let escape = Double(followers.count)
            probability = (Double(followers[token] ?? 0) + escape * probability) / (Double(total) + escape)
        }
        return probability
    }
}
