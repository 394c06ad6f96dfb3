import Foundation

/// How a run's model and the piece's own memory (`PieceMemory`) are blended: a linear mixture
/// whose memory share depends on what the memory knows about the next token (its `bucket`) and
/// on the kind of token that came last (a pitch is followed by its duration, a duration by a
/// velocity…), fitted on the run's validation pieces. IDyOM blends its long- and short-term
/// models by their entropies; fitting the share per bucket and kind instead lets held-out pieces
/// say how far a context seen once or thrice in the piece can be trusted against the model: a
/// piece's velocities repeat far more exactly than its pitches.
public struct MemoryMixture: Codable, Equatable, Sendable {
    /// Raised whenever `PieceMemory` or the mixture's features change meaning: a fit of another
    /// version is refitted, not used.
    public static let currentVersion = 3
    public var version = currentVersion
    /// (classes × buckets) the memory's share of the next token's distribution, by the last
    /// token's class and `PieceMemory.bucket`.
    public var weights: [Double]
    /// (V) each token's class as the token before a prediction: its kind in the events grammar
    /// (`TokenGrammar.kinds`), or 0 for every token of a vocabulary without one.
    public var contextClasses: [UInt8]
    /// (V) the MIDI pitch of each token, −1 for the others: how the memory reads pitches (`PieceMemory`).
    public var pitches: [Int]
    /// The orders the memory was fitted with; a memory of other orders needs a new fit.
    public var orders: [Int]
    public var fit: Fit

    /// What the weights were fitted on, and what they gained there.
    public struct Fit: Codable, Equatable, Sendable {
        /// Held-out tokens scored.
        public var tokens: Int
        /// Those tokens' bits per note under the model alone and under the mixture.
        public var bitsPerNoteWithout: Double
        public var bitsPerNoteWith: Double

        public init(tokens: Int, bitsPerNoteWithout: Double, bitsPerNoteWith: Double) {
            self.tokens = tokens
            self.bitsPerNoteWithout = bitsPerNoteWithout
            self.bitsPerNoteWith = bitsPerNoteWith
        }

        enum CodingKeys: String, CodingKey {
            case tokens
            case bitsPerNoteWithout = "bits_per_note_without"
            case bitsPerNoteWith = "bits_per_note_with"
        }
    }

    public init(
        weights: [Double], contextClasses: [UInt8], pitches: [Int] = [], orders: [Int] = PieceMemory.orders, fit: Fit
    ) {
        self.weights = weights
        self.contextClasses = contextClasses
        self.pitches = pitches
        self.orders = orders
        self.fit = fit
    }

    /// Whether these weights were fitted for today's `PieceMemory`.
    public var isCurrent: Bool {
        version == Self.currentVersion && orders == PieceMemory.orders
            && (pitches.isEmpty || pitches.count == contextClasses.count)
            && weights.count == (Int(contextClasses.max() ?? 0) + 1) * PieceMemory.buckets
    }

    enum CodingKeys: String, CodingKey {
        case version, weights, orders, fit
        case contextClasses = "context_classes"
        case pitches = "token_pitches"
    }

    /// A memory of a new piece, reading pitches as this mixture was fitted with.
    public func memory() -> PieceMemory {
        PieceMemory(vocabularySize: contextClasses.count, pitches: pitches)
    }

    /// A vocabulary's pitches as `pitches` takes them.
    public static func pitches(of vocabulary: Vocabulary) -> [Int] {
        vocabulary.pitchOfToken.map { $0 ?? -1 }
    }

    /// The classes of a vocabulary's tokens as `contextClasses` takes them.
    public static func contextClasses(of vocabulary: Vocabulary) -> [UInt8] {
        TokenGrammar(vocabulary: vocabulary)?.kinds ?? [UInt8](repeating: 0, count: vocabulary.count)
    }

    /// Where the memory's share for the next token is in `weights`.
    static func slot(class tokenClass: UInt8, bucket: Int) -> Int {
        Int(tokenClass) * PieceMemory.buckets + bucket
    }

    /// The memory's share of the next token's distribution, by what `memory` has read.
    public func share(after memory: PieceMemory) -> Double {
        guard let last = memory.history.last else { return weights[memory.bucket] }
        return weights[Self.slot(class: contextClasses[Int(last)], bucket: memory.bucket)]
    }

    /// The mixture's probability of `token`, whose probability under the run's model is `model`.
    public func probability(of token: Int32, model: Double, memory: PieceMemory) -> Double {
        let share = share(after: memory)
        return (1 - share) * model + share * memory.probability(of: token)
    }

    /// (V) the mixture's next-token logits: the model's logits turned into probabilities,
    /// blended with the memory's distribution, and back to logs. Tokens the model rules out
    /// (−∞) the memory may bring back; the sampler's grammar rules out what must be.
    public func logits(model logits: [Float], memory: PieceMemory) -> [Float] {
        let share = share(after: memory)
        let remembered = memory.distribution()
        let highest = logits.max() ?? 0
        var total = 0.0
        for logit in logits where logit > -.infinity { total += exp(Double(logit - highest)) }
        return logits.indices.map { token in
            let model = logits[token] > -.infinity ? exp(Double(logits[token] - highest)) / total : 0
            return Float(log((1 - share) * model + share * remembered[token]))
        }
    }

    /// −ln P of each token of `sequence` from its second on, under the mixture, from the model's
    /// own `nats` of those tokens: the memory reads the piece as it goes, so each token is
    /// predicted from the whole piece before it.
    public func nats(of sequence: [Int32], modelNats: [Double]) -> [Double] {
        precondition(modelNats.count == sequence.count - 1, "one model figure per token after the first")
        var memory = memory()
        memory.append(sequence[0])
        var result: [Double] = []
        result.reserveCapacity(modelNats.count)
        for (offset, token) in sequence.dropFirst().enumerated() {
            result.append(-log(probability(of: token, model: exp(-modelNats[offset]), memory: memory)))
            memory.append(token)
        }
        return result
    }
}

extension MemoryMixture {
    /// Held-out tokens a fit scores by default: enough for every bucket that occurs often to
    /// be fitted on its own, and a few seconds of a small network's forward passes.
    public static let defaultFitTokens = 49_152

    /// Shrinks a class and bucket with few tokens toward the share fitted on the bucket over all
    /// classes (and a bucket toward the share over all tokens): as if it had this many more tokens at that share.
    static let pooledPrior = 16.0

    /// The share over all tokens is pulled toward none, as if this many more tokens had been
    /// at 0: a fit on a few hundred held-out tokens cannot hand the memory a large share that
    /// unseen pieces would pay for (a share of 1 makes every token the memory never saw cost
    /// its uniform floor). At the tens of thousands of tokens a fit normally has, it moves
    /// nothing.
    static let absentPrior = 256.0

    /// Fits the weights on held-out `pieces` (token ids): windows of the model's length spread
    /// evenly over each piece (about `tokens` scored in all, as `Likelihood` scores them), the
    /// model's and the memory's probability of every scored token, then the share per class and
    /// bucket that maximises the mixture's likelihood (expectation–maximisation, which for a mixture
    /// of two fixed distributions has no other optimum). The vocabulary gives each token's notes
    /// (bits per note), kind and pitch.
    /// Nil when no piece has a token to score, or none of them a note.
    public static func fit(
        model: any SequenceModel, pieces: [[Int32]], vocabulary: Vocabulary, tokenizer: TokenizerKind,
        tokens: Int = defaultFitTokens
    ) -> MemoryMixture? {
        let notesPerId = vocabulary.tokens.map { tokenizer.notes(in: $0) }
        let contextClasses = Self.contextClasses(of: vocabulary), pitches = Self.pitches(of: vocabulary)
        let windowStride = ScoringWindow.defaultStride(time: model.time, receptiveField: model.config.receptiveField)
        let scoreable = pieces.filter { $0.count >= 2 }
        let windowsPerPiece = max(1, tokens / windowStride / max(1, scoreable.count))
        var observations: [[(model: Double, memory: Double)]] = Array(
            repeating: [], count: (Int(contextClasses.max() ?? 0) + 1) * PieceMemory.buckets)
        var notes = 0
        for piece in scoreable {
            let all = ScoringWindow.plan(count: piece.count, time: model.time, stride: windowStride)
            let chosen = evenlySpread(all, count: windowsPerPiece)
            let modelNats = Likelihood.nats(of: piece, model: model, windows: chosen)
            let targets = chosen.flatMap { Array($0.scored) }
            var memory = PieceMemory(vocabularySize: vocabulary.count, pitches: pitches)
            var next = 0
            for (target, nats) in zip(targets, modelNats) {
                while next < target {
                    memory.append(piece[next])
                    next += 1
                }
                let token = piece[target]
                let index = slot(class: contextClasses[Int(piece[target - 1])], bucket: memory.bucket)
                observations[index].append((exp(-nats), memory.probability(of: token)))
                notes += notesPerId[Int(token)]
            }
        }
        guard notes > 0 else { return nil }
        // Each share is pulled toward its bucket's over every class, that toward the share over all
        // tokens, and that toward none.
        let pooled = maximumLikelihoodShare(observations.flatMap { $0 }, prior: 0, priorWeight: absentPrior)
        let buckets = PieceMemory.buckets
        let bucketShares = (0..<buckets).map { bucket in
            maximumLikelihoodShare(
                stride(from: bucket, to: observations.count, by: buckets).flatMap { observations[$0] }, prior: pooled)
        }
        let weights = observations.enumerated().map { slot, pairs in
            maximumLikelihoodShare(pairs, prior: bucketShares[slot % buckets])
        }
        var without = 0.0, with = 0.0
        for (index, pairs) in observations.enumerated() {
            for pair in pairs {
                without -= log(pair.model)
                with -= log((1 - weights[index]) * pair.model + weights[index] * pair.memory)
            }
        }
        return MemoryMixture(
            weights: weights, contextClasses: contextClasses, pitches: pitches, orders: PieceMemory.orders,
            fit: Fit(
                tokens: observations.reduce(0) { $0 + $1.count },
                bitsPerNoteWithout: BitsPerNote.of(nats: without, notes: notes),
                bitsPerNoteWith: BitsPerNote.of(nats: with, notes: notes)))
    }

    /// `count` of `windows` at even steps from the first to the last (all when there are fewer).
    static func evenlySpread(_ windows: [ScoringWindow], count: Int) -> [ScoringWindow] {
        guard windows.count > count else { return windows }
        guard count > 1 else { return [windows[0]] }
        return (0..<count).map { windows[$0 * (windows.count - 1) / (count - 1)] }
    }

    /// The memory's share that maximises Σ log((1 − w)·model + w·memory), by EM from ½; with a
    /// `prior` share, as if `priorWeight` more tokens had been at it.
    static func maximumLikelihoodShare(
        _ pairs: [(model: Double, memory: Double)], prior: Double?, priorWeight: Double = pooledPrior
    ) -> Double {
        let priorWeight = prior == nil ? 0 : priorWeight
        guard !pairs.isEmpty else { return prior ?? 0 }
        var share = 0.5
        for _ in 0..<200 {
            var responsibility = 0.0
            for pair in pairs {
                let remembered = share * pair.memory
                let mixed = (1 - share) * pair.model + remembered
                if mixed > 0 { responsibility += remembered / mixed }
            }
            let updated = (responsibility + priorWeight * (prior ?? 0)) / (Double(pairs.count) + priorWeight)
            if abs(updated - share) < 1e-7 {
                share = updated
                break
            }
            share = updated
        }
        return share
    }
}
