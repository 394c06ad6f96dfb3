/// A piece's own variable-order n-gram model, grown one token at a time as the piece is read or
/// written: IDyOM's short-term model (Pearce, *The construction and evaluation of statistical
/// models of melodic structure*, 2005), which predicts what the piece has already done — its
/// motifs, riffs and repeated sections — however far back, where a network sees only its window
/// and has to learn to copy. `MemoryMixture` blends it with the run's model.
///
/// It reads the piece with each pitch as the step from the pitch before it (IDyOM's chromatic
/// interval viewpoint), every other token as it is: a motif played again a third higher, or a
/// sequence climbing by steps, is then the same run of tokens. On the visible corpus's
/// validation pieces that took the memory alone from 3.13 to 2.84 bits a token (5.28 to 4.69 a
/// pitch). A step to a pitch the vocabulary lacks keeps its share, so the probabilities of the
/// vocabulary's tokens may add up to a little under 1: scoring is then pessimistic, never
/// optimistic, and the sampler normalises.
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
    /// (V) the MIDI pitch of each `Pitch_` token, −1 for every other token (`Vocabulary.pitchOfToken`).
    let pitches: [Int]
    /// Tokens as the memory reads them: the vocabulary's, then one per step between pitches.
    let viewSize: Int
    /// (tokens read) the piece so far.
    public private(set) var history: [Int32] = []
    /// (tokens read) the piece as the memory reads it (`view(of:)`).
    private var viewed: [Int32] = []
    /// The pitch steps are counted from; middle C before the piece's first pitch.
    private var lastPitch = 60
    /// (viewSize) how often each viewed token occurred in the piece.
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

    /// `pitches`: the MIDI pitch of each token, −1 for a token without one; empty for a
    /// vocabulary without pitches, read as it is.
    public init(vocabularySize: Int, pitches: [Int] = []) {
        precondition(vocabularySize >= 1, "a vocabulary of at least one token")
        precondition(pitches.isEmpty || pitches.count == vocabularySize, "a pitch or −1 for every token")
        self.vocabularySize = vocabularySize
        self.pitches = pitches
        viewSize = vocabularySize + (pitches.isEmpty ? 0 : Self.steps)
        unigram = [Int32](repeating: 0, count: viewSize)
        pendingHashes = [UInt64](repeating: 0, count: Self.orders.count)
        pendingContexts = [Int32](repeating: -1, count: Self.orders.count)
    }

    /// Steps between two MIDI pitches: −127…127, stored from 1 (0 unused).
    static let steps = 256

    /// How the memory reads `token` after the piece so far: a pitch as the step from the last one.
    func view(of token: Int32) -> Int32 {
        guard !pitches.isEmpty, pitches[Int(token)] >= 0 else { return token }
        return Int32(vocabularySize + pitches[Int(token)] - lastPitch + Self.steps / 2)
    }

    /// Reads the next token of the piece.
    public mutating func append(_ token: Int32) {
        precondition(token >= 0 && Int(token) < vocabularySize, "token \(token) outside the vocabulary")
        let viewedToken = view(of: token)
        for (order, length) in Self.orders.enumerated() where length <= history.count {
            var index = pendingContexts[order]
            if index < 0 {
                index = Int32(contexts.count)
                contexts.append(Context())
                contextIndex[pendingHashes[order]] = index
            }
            count(viewedToken, after: Int(index))
        }
        if unigram[Int(viewedToken)] == 0 { distinctTokens += 1 }
        unigram[Int(viewedToken)] += 1
        history.append(token)
        viewed.append(viewedToken)
        if !pitches.isEmpty, pitches[Int(token)] >= 0 { lastPitch = pitches[Int(token)] }
        findContexts()
    }

    public mutating func append(contentsOf tokens: some Sequence<Int32>) {
        for token in tokens { append(token) }
    }

    /// The probability that the next token is `token`.
    public func probability(of token: Int32) -> Double {
        let viewedToken = view(of: token)
        var probability = unigramProbability(of: viewedToken)
        for index in pendingContexts {
            guard index >= 0 else { break }
            let context = contexts[Int(index)]
            let escape = Double(context.distinct)
            probability =
                (Double(followers(of: viewedToken, in: context)) + escape * probability)
                / (Double(context.total) + escape)
        }
        return probability
    }

    /// (V) the next token's probabilities, written out: `probability(of:)` of every token.
    public func distribution() -> [Double] {
        let viewedDistribution = viewDistribution()
        return (0..<vocabularySize).map { viewedDistribution[Int(view(of: Int32($0)))] }
    }

    /// (viewSize) the distribution of the next viewed token.
    private func viewDistribution() -> [Double] {
        let seen = Double(history.count), escape = Double(distinctTokens)
        var result = [Double](repeating: 1 / Double(viewSize), count: viewSize)
        if seen > 0 {
            for token in 0..<viewSize {
                result[token] = (Double(unigram[token]) + escape * result[token]) / (seen + escape)
            }
        }
        for index in pendingContexts {
            guard index >= 0 else { break }
            let context = contexts[Int(index)]
            let escape = Double(context.distinct), total = Double(context.total)
            let kept = escape / (total + escape)
            for token in 0..<viewSize { result[token] *= kept }
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
        let uniform = 1 / Double(viewSize)
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
                hash = (hash ^ UInt64(UInt32(bitPattern: viewed[viewed.count - walked]))) &* 0x9E37_79B9_7F4A_7C15
                hash ^= hash >> 29
            }
            pendingHashes[order] = hash
            pendingContexts[order] = contextIndex[hash] ?? -1
        }
    }
}

/// The reference for `PieceMemory`: the same blend computed from scratch for every prediction,
/// the piece viewed again from its start and each order's counts found by scanning all of it.
public struct PieceMemoryReference {
    public let vocabularySize: Int
    public let pitches: [Int]
    public var history: [Int32] = []

    public init(vocabularySize: Int, pitches: [Int] = []) {
        self.vocabularySize = vocabularySize
        self.pitches = pitches
    }

    public func probability(of token: Int32) -> Double {
        // Each token viewed as `PieceMemory.view(of:)` does, stepping from the pitch before it.
        var lastPitch = 60
        var viewed: [Int32] = []
        for next in history + [token] {
            if !pitches.isEmpty, pitches[Int(next)] >= 0 {
                viewed.append(Int32(vocabularySize + pitches[Int(next)] - lastPitch + PieceMemory.steps / 2))
                lastPitch = pitches[Int(next)]
            } else {
                viewed.append(next)
            }
        }
        let target = viewed.removeLast()
        let uniform = 1 / Double(vocabularySize + (pitches.isEmpty ? 0 : PieceMemory.steps))
        var probability = uniform
        if !viewed.isEmpty {
            let count = viewed.filter { $0 == target }.count
            let distinct = Set(viewed).count
            probability = (Double(count) + Double(distinct) * uniform) / Double(viewed.count + distinct)
        }
        for length in PieceMemory.orders where length <= viewed.count {
            let context = viewed.suffix(length)
            var followers: [Int32: Int] = [:]
            for end in length..<viewed.count where viewed[(end - length)..<end].elementsEqual(context) {
                followers[viewed[end], default: 0] += 1
            }
            let total = followers.values.reduce(0, +)
            // A context never seen before has no longer context that was seen either.
            guard total > 0 else { break }
            let escape = Double(followers.count)
            probability = (Double(followers[target] ?? 0) + escape * probability) / (Double(total) + escape)
        }
        return probability
    }
}
