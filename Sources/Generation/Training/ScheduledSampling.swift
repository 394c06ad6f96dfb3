/// Training on the model's own draws (parallel scheduled sampling: Bengio et al. 2015, in the
/// one-extra-pass form Duckworth et al. 2019 give Transformers). A model trained only on real
/// windows never sees its own mistakes, and a piece sampled from nothing is nothing but them: a
/// ten-minute network's notes grow shorter and thinner the further it runs on its own music
/// (README, "Why the samples are thin"). Each step first runs the window as it is, then
/// replaces a share of its input tokens with the model's draw at that place, and trains on the
/// mixed window to predict the real tokens. A token is replaced only by one of its own kind
/// (a duration by a duration, a pitch by a pitch: `TokenGrammar.kinds`), so the mixed window
/// keeps the shape the grammar gives every sampled piece. The share rises linearly from 0 at
/// the first step to `largestShare` at the last, so the model first learns the corpus.
public struct ScheduledSampling: Sendable {
    public var largestShare: Double
    /// (vocabulary) each token's kind.
    let kinds: [UInt8]

    public init(largestShare: Double, kinds: [UInt8]) {
        self.largestShare = largestShare
        self.kinds = kinds
    }

    /// The share of input tokens replaced at `step` of a run of `totalSteps`.
    public func share(at step: Int, of totalSteps: Int) -> Double {
        largestShare * min(1, Double(step) / Double(max(totalSteps, 1)))
    }

    /// `tokens` (B, T) with each token after a window's first replaced, at probability `share`,
    /// by a draw from the model's distribution at the place before it, restricted to the
    /// replaced token's kind. Runs `model` forward without training (its logits are read).
    public func mixed(
        tokens: UnsafePointer<Int32>, model: any SequenceModel, share: Double, random: inout SeededRandom
    ) -> [Int32] {
        let batch = model.batch, time = model.time
        var mixed = Array(UnsafeBufferPointer(start: tokens, count: batch * time))  // (B, T)
        guard share > 0 else { return mixed }
        model.forward(tokens: tokens, targets: nil, training: false)
        for sequence in 0..<batch {
            for position in 1..<time where Double(random.nextUnitFloat()) < share {
                let index = sequence * time + position
                let kind = kinds[Int(mixed[index])]
                let logits = model.logits(sequence: sequence, position: position - 1)  // (V)
                mixed[index] = Self.draw(logits: logits, where: { kinds[$0] == kind }, random: &random)
            }
        }
        return mixed
    }

    /// A token drawn at the model's own odds (`modelOdds`) from `logits`, among the tokens
    /// `allowed` admits (at least one: the token replaced is always of its own kind).
    static func draw(logits: [Float], where allowed: (Int) -> Bool, random: inout SeededRandom) -> Int32 {
        var within = logits  // (V)
        for token in within.indices where !allowed(token) { within[token] = -.infinity }
        return modelOdds.sample(logits: within, random: &random)
    }

    /// Temperature 1, nothing cut: the distribution the model trains towards.
    static let modelOdds = SamplingOptions(temperature: 1, topK: 0, topP: 1)
}
