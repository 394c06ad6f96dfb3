import Foundation

/// How a run's model and the piece's own memory are blended: a geometric (log-linear) mixture
/// of the model and two memories of the piece (`PieceMemories`: pitches read as steps and as
/// written), P ∝ model^(1 − a − b) · steps^a · written^b, renormalised over the vocabulary, whose
/// weights depend on what the memory knows about the next token (its `bucket`) and on the kind of
/// token that came last (a pitch is followed by its duration, a duration by a velocity…), fitted on
/// the run's validation pieces.
///
/// Geometric, not linear: IDyOM combines its long- and short-term models and its viewpoints that
/// way (Pearce, Conklin & Wiggins, *Methods for combining statistical models of music*, 2005),
/// and on the visible corpus's validation pieces (fitted on one half, scored on the other) it
/// took the blend from 8.953 bits per note (linear, one memory) to 8.844, and the second memory
/// to 8.785, against 9.823 for the model alone. A linear mixture can only add the memory's guess
/// to the model's; a geometric one also takes probability away from what the piece has never done.
public struct MemoryMixture: Codable, Equatable, Sendable {
    /// Raised whenever `PieceMemory`, the memories read or the mixture's features change meaning:
    /// a fit of another version is refitted, not used.
    public static let currentVersion = 4
    public var version = currentVersion
    /// (classes × buckets) each memory's weight in the next token's mixture, by the last token's
    /// class and `PieceMemory.bucket` of the pitch-step memory; the model has the rest.
    public var weights: [Weights]
    /// (V) each token's class as the token before a prediction: its kind in the events grammar
    /// (`TokenGrammar.kinds`), or 0 for every token of a vocabulary without one.
    public var contextClasses: [UInt8]
    /// (V) the MIDI pitch of each token, −1 for the others: how the pitch-step memory reads pitches.
    public var pitches: [Int]
    /// The orders the memories were fitted with; memories of other orders need a new fit.
    public var orders: [Int]
    public var fit: Fit

    /// The memories' weights in one context; each at least 0, together at most 1.
    public struct Weights: Codable, Equatable, Sendable {
        /// The memory that reads pitches as steps (`PieceMemories.steps`).
        public var steps: Double
        /// The memory that reads pitches as written (`PieceMemories.written`).
        public var written: Double

        public init(steps: Double, written: Double) {
            self.steps = steps
            self.written = written
        }

        public static let none = Weights(steps: 0, written: 0)

        /// The model's weight: what the memories leave.
        public var model: Double { 1 - steps - written }
    }

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
        weights: [Weights], contextClasses: [UInt8], pitches: [Int] = [], orders: [Int] = PieceMemory.orders,
        fit: Fit
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

    /// The memories of a new piece, reading pitches as this mixture was fitted with.
    public func memories() -> PieceMemories {
        PieceMemories(vocabularySize: contextClasses.count, pitches: pitches)
    }

    /// A vocabulary's pitches as `pitches` takes them.
    public static func pitches(of vocabulary: Vocabulary) -> [Int] {
        vocabulary.pitchOfToken.map { $0 ?? -1 }
    }

    /// The classes of a vocabulary's tokens as `contextClasses` takes them.
    public static func contextClasses(of vocabulary: Vocabulary) -> [UInt8] {
        TokenGrammar(vocabulary: vocabulary)?.kinds ?? [UInt8](repeating: 0, count: vocabulary.count)
    }

    /// Where the weights for the next token are in `weights`.
    static func slot(class tokenClass: UInt8, bucket: Int) -> Int {
        Int(tokenClass) * PieceMemory.buckets + bucket
    }

    /// The memories' weights for the next token, by what `memories` have read.
    public func weights(after memories: PieceMemories) -> Weights {
        guard let last = memories.history.last else { return weights[memories.bucket] }
        return weights[Self.slot(class: contextClasses[Int(last)], bucket: memories.bucket)]
    }

    /// (V) the mixture's next-token logits (its log-probabilities up to a constant): the model's
    /// log-softmax and the memories' logs, weighted. A token the model rules out (−∞) stays out
    /// while the model has any weight.
    public func logits(model logits: [Float], memories: PieceMemories) -> [Float] {
        let terms = MixtureTerms(model: logits, memories: memories)
        let weights = weights(after: memories)
        return terms.modelLog.indices.map { Float(terms.logit(of: $0, weights: weights)) }
    }

    /// −ln P of `token` under the mixture, from the model's `logits` for it and the memories of
    /// the piece before it.
    public func nats(of token: Int32, model logits: [Float], memories: PieceMemories) -> Double {
        MixtureTerms(model: logits, memories: memories).nats(of: Int(token), weights: weights(after: memories))
    }
}

/// One prediction's three distributions in logs, which every weighting of the mixture combines.
struct MixtureTerms {
    /// A model's log-probability is read as at least this: the weighted sums stay finite (e^−700
    /// is far below anything a softmax of real logits gives, and still a normal double).
    static let floor = -700.0

    /// (V) the model's log-softmax, floored; the memories' logs.
    var modelLog: [Double]
    var stepsLog: [Double]
    var writtenLog: [Double]
    /// (V) tokens the model rules out: they stay out while the model has weight.
    var ruledOut: [Bool]

    init(model logits: [Float], memories: PieceMemories) {
        let logTotal = Likelihood.logSumExp(logits)
        ruledOut = logits.map { $0 == -.infinity }
        modelLog = logits.map { max(Double($0) - logTotal, Self.floor) }
        stepsLog = memories.steps.distribution().map { log($0) }
        writtenLog = memories.written.distribution().map { log($0) }
    }

    /// The weighted log of `token`'s three probabilities, before renormalising.
    func logit(of token: Int, weights: MemoryMixture.Weights) -> Double {
        if ruledOut[token] && weights.model > 0 { return -.infinity }
        return weights.model * modelLog[token] + weights.steps * stepsLog[token] + weights.written * writtenLog[token]
    }

    func nats(of token: Int, weights: MemoryMixture.Weights) -> Double {
        let logits = modelLog.indices.map { logit(of: $0, weights: weights) }
        let highest = logits.max()!
        let logTotal = log(logits.reduce(0.0) { $0 + exp($1 - highest) }) + highest
        return logTotal - logits[token]
    }
}

extension MemoryMixture {
    /// Held-out tokens a fit scores by default: enough for every bucket that occurs often to
    /// be fitted on its own, and a few seconds of a small network's forward passes.
    public static let defaultFitTokens = 49_152

    /// Shrinks a class and bucket with few tokens toward the weights fitted on the bucket over all
    /// classes (and a bucket toward the weights over all tokens): as if it had this many more
    /// tokens there.
    static let pooledPrior = 16.0

    /// The weights over all tokens are pulled toward none, as if this many more tokens had been
    /// at 0: a fit on a few hundred held-out tokens cannot hand the memories a large weight that
    /// unseen pieces would pay for. At the tens of thousands of tokens a fit normally has, it
    /// moves nothing.
    static let absentPrior = 256.0

    /// Fits the weights on held-out `pieces` (token ids): windows of the model's length spread
    /// evenly over each piece (about `tokens` scored in all, as `Likelihood` scores them), then,
    /// for each class and bucket, the weights on `WeightGrid` under which its tokens are likeliest
    /// (the log-likelihood of a geometric mixture is concave in its weights, so the grid's best
    /// is within a step of the optimum), shrunk toward its bucket's and those toward the weights
    /// over all tokens. The vocabulary gives each token's notes (bits per note), kind and pitch.
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
        let grid = WeightGrid.standard
        let slots = (Int(contextClasses.max() ?? 0) + 1) * PieceMemory.buckets
        // (slots × grid points) the summed ln P of the slot's tokens at each weighting.
        var curves = [[Double]](repeating: [Double](repeating: 0, count: grid.points.count), count: slots)
        var counts = [Int](repeating: 0, count: slots)
        var notes = 0
        for piece in scoreable {
            let all = ScoringWindow.plan(count: piece.count, time: model.time, stride: windowStride)
            var memories = PieceMemories(vocabularySize: vocabulary.count, pitches: pitches)
            var next = 0
            Likelihood.forEachScored(of: piece, model: model, windows: evenlySpread(all, count: windowsPerPiece)) {
                target, logits in
                while next < target {
                    memories.append(piece[next])
                    next += 1
                }
                let token = piece[target]
                let index = slot(class: contextClasses[Int(piece[target - 1])], bucket: memories.bucket)
                let curve = MixtureTerms(model: logits, memories: memories).logProbabilities(of: Int(token), on: grid)
                for point in curve.indices { curves[index][point] += curve[point] }
                counts[index] += 1
                notes += notesPerId[Int(token)]
            }
        }
        guard notes > 0 else { return nil }
        func summed(_ chosen: some Sequence<Int>) -> (curve: [Double], count: Int) {
            var curve = [Double](repeating: 0, count: grid.points.count), count = 0
            for slot in chosen {
                for point in curve.indices { curve[point] += curves[slot][point] }
                count += counts[slot]
            }
            return (curve, count)
        }
        // Each slot's weights are pulled toward its bucket's over every class, those toward the
        // weights over all tokens, and those toward none.
        let all = summed(0..<slots)
        let pooled = grid.best(all.curve).shrunk(toward: .none, tokens: all.count, prior: absentPrior)
        let buckets = PieceMemory.buckets
        let bucketWeights = (0..<buckets).map { bucket in
            let pool = summed(stride(from: bucket, to: slots, by: buckets))
            return grid.best(pool.curve).shrunk(toward: pooled, tokens: pool.count, prior: pooledPrior)
        }
        let chosen = (0..<slots).map { slot in
            grid.nearest(
                grid.best(curves[slot]).shrunk(
                    toward: bucketWeights[slot % buckets], tokens: counts[slot], prior: pooledPrior))
        }
        var without = 0.0, with = 0.0
        for slot in 0..<slots {
            without -= curves[slot][grid.noneIndex]
            with -= curves[slot][chosen[slot]]
        }
        return MemoryMixture(
            weights: chosen.map { grid.points[$0] }, contextClasses: contextClasses, pitches: pitches,
            orders: PieceMemory.orders,
            fit: Fit(
                tokens: counts.reduce(0, +),
                bitsPerNoteWithout: BitsPerNote.of(nats: without, notes: notes),
                bitsPerNoteWith: BitsPerNote.of(nats: with, notes: notes)))
    }

    /// `count` of `windows` at even steps from the first to the last (all when there are fewer).
    static func evenlySpread(_ windows: [ScoringWindow], count: Int) -> [ScoringWindow] {
        guard windows.count > count else { return windows }
        guard count > 1 else { return [windows[0]] }
        return (0..<count).map { windows[$0 * (windows.count - 1) / (count - 1)] }
    }
}

extension MemoryMixture.Weights {
    /// These weights, fitted on `tokens` tokens, pulled toward `prior` as if `prior` more had been there.
    func shrunk(toward target: Self, tokens: Int, prior: Double) -> Self {
        let own = Double(tokens) / (Double(tokens) + prior)
        return Self(
            steps: own * steps + (1 - own) * target.steps, written: own * written + (1 - own) * target.written)
    }
}

/// The weightings a fit tries: each memory's weight a multiple of 1/`steps`, the two together at
/// most 1. A step of 0.05 is finer than the differences a fit on tens of thousands of tokens can tell.
struct WeightGrid {
    let steps: Int
    /// Every weighting, the steps memory's weight outer, the written memory's inner.
    let points: [MemoryMixture.Weights]

    static let standard = WeightGrid(steps: 20)

    init(steps: Int) {
        self.steps = steps
        points = (0...steps).flatMap { stepsShare in
            (0...(steps - stepsShare)).map { writtenShare in
                MemoryMixture.Weights(
                    steps: Double(stepsShare) / Double(steps), written: Double(writtenShare) / Double(steps))
            }
        }
    }

    /// The point with no memory: the model alone.
    var noneIndex: Int { 0 }

    /// Where the point of `stepsShare` and `writtenShare` grid steps is in `points`.
    func index(steps stepsShare: Int, written writtenShare: Int) -> Int {
        // Rows before `stepsShare` hold steps + 1, steps, … points.
        stepsShare * (steps + 1) - stepsShare * (stepsShare - 1) / 2 + writtenShare
    }

    /// The point whose summed log-likelihood `curve` is highest.
    func best(_ curve: [Double]) -> MemoryMixture.Weights {
        points[curve.indices.max { curve[$0] < curve[$1] }!]
    }

    /// The grid point nearest `weights`.
    func nearest(_ weights: MemoryMixture.Weights) -> Int {
        var stepsShare = Int((weights.steps * Double(steps)).rounded())
        var writtenShare = Int((weights.written * Double(steps)).rounded())
        stepsShare = min(max(stepsShare, 0), steps)
        writtenShare = min(max(writtenShare, 0), steps - stepsShare)
        return index(steps: stepsShare, written: writtenShare)
    }
}

extension MixtureTerms {
    /// (grid points) ln P of `token` under every weighting of `grid`. The normaliser of weighting
    /// (i, j) is Σ model^(1 − (i + j)δ) · steps^(iδ) · written^(jδ) = Σ U_i · W_j, with
    /// U_i = model · (steps / model)^(iδ) and W_j = (written / model)^(jδ) built by repeated
    /// products: one exponential per token and memory instead of one per token and weighting.
    func logProbabilities(of token: Int, on grid: WeightGrid) -> [Double] {
        let delta = 1 / Double(grid.steps)
        let count = modelLog.count
        let stepsRatio = (0..<count).map { exp(delta * (stepsLog[$0] - modelLog[$0])) }
        let writtenRatio = (0..<count).map { exp(delta * (writtenLog[$0] - modelLog[$0])) }
        // (steps + 1 × V) U_i; (steps + 1 × V) W_j.
        var u = [[Double]](repeating: [], count: grid.steps + 1)
        var w = [[Double]](repeating: [], count: grid.steps + 1)
        u[0] = modelLog.map { exp($0) }
        w[0] = [Double](repeating: 1, count: count)
        for share in 1...grid.steps {
            u[share] = zip(u[share - 1], stepsRatio).map { $0 * $1 }
            w[share] = zip(w[share - 1], writtenRatio).map { $0 * $1 }
        }
        var result = [Double](repeating: 0, count: grid.points.count)
        for stepsShare in 0...grid.steps {
            for writtenShare in 0...(grid.steps - stepsShare) {
                let weights = grid.points[grid.index(steps: stepsShare, written: writtenShare)]
                let total = Self.dot(u[stepsShare], w[writtenShare])
                result[grid.index(steps: stepsShare, written: writtenShare)] =
                    weights.model * modelLog[token] + weights.steps * stepsLog[token]
                    + weights.written * writtenLog[token] - log(total)
            }
        }
        return result
    }

    /// Σ a·b, four lanes at a time: the fit's inner loop.
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var lanes = SIMD4<Double>(repeating: 0)
                let whole = a.count / 4 * 4
                var offset = 0
                while offset < whole {
                    let left = SIMD4<Double>(a[offset], a[offset + 1], a[offset + 2], a[offset + 3])
                    let right = SIMD4<Double>(b[offset], b[offset + 1], b[offset + 2], b[offset + 3])
                    lanes += left * right
                    offset += 4
                }
                var sum = lanes.sum()
                while offset < a.count {
                    sum += a[offset] * b[offset]
                    offset += 1
                }
                return sum
            }
        }
    }
}
