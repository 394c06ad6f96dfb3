import Foundation

/// How the next token is drawn: temperature, then top-k, then nucleus (top-p). Never the
/// most likely token alone unless asked (temperature 0), since argmax is what made the
/// original project's music monotone.
public struct SamplingOptions: Codable, Hashable, Sendable {
    public var temperature: Float
    /// Keep only the k most likely tokens; 0 keeps all.
    public var topK: Int
    /// Keep the most likely tokens whose probabilities add up to p; 1 keeps all.
    public var topP: Float

    /// The model's own distribution with its least likely 2 % cut off. The cut takes most from
    /// kinds of token whose probability is spread over many tokens (another note of a chord, a
    /// long duration), so it thins the texture: on session 18's 10-minute run, top-p 0.95 left
    /// 19 of 30 pieces inside the corpus's range of polyphony and 0.98 left 24, every other
    /// metric at 90 % or more (chosen on seeds 31–60, checked on 1–30: README, session 18). The
    /// same run's second network wrote near-single lines at either cut (27 % against 23 %).
    /// Top-p 0.9 with temperature 0.9 kept 5 of 7 metrics in range in session 6. Temperature 1
    /// once wandered between keys; a key drawn from the training pieces' keys (`TrainingKeys`) now holds it.
    /// Whether the kind of the next token (a pitch, a duration, a position, a bar line…) is drawn
    /// first at the model's own odds, and temperature, top-k and top-p then choose among the
    /// tokens of that kind only (`sample(logits:kinds:random:)`). Cutting the whole vocabulary
    /// at once takes more from kinds whose probability is spread over many tokens (another note
    /// of a chord: a hundred pitches) than from kinds whose probability sits on a few. Off by
    /// default: on 30 pieces of a 10-minute run it raised the pieces inside the corpus's range of
    /// polyphony from 17 % to 33 % but lowered those of empty beats from 87 % to 40 % (the model's
    /// own odds leave more beats empty), so the default cut stays (README, "Why the samples are thin").
    public var kindFirst: Bool

    public init(temperature: Float = 1, topK: Int = 0, topP: Float = 0.98, kindFirst: Bool = false) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.kindFirst = kindFirst
    }

    /// Draws the next token; with `kinds` (vocabulary: each token's kind, `TokenGrammar.kinds`) and
    /// `kindFirst`, the kind first at the model's own odds (temperature 1, nothing cut), then the
    /// token among that kind's by `sample(logits:random:)`. So how often the model starts another
    /// note, holds one longer or moves on is the model's, whatever the temperature and nucleus;
    /// they shape only which pitch, length or position it is. Temperature 0 stays the arg max.
    public func sample(logits: [Float], kinds: [UInt8]?, random: inout SeededRandom) -> Int32 {
        guard kindFirst, temperature > 0, let kinds else { return sample(logits: logits, random: &random) }
        precondition(kinds.count == logits.count, "a kind for every token")
        let mass = Self.kindMass(logits: logits, kinds: kinds)
        // Kinds walked in their own order, for the reason the draw below walks tokens in vocabulary order.
        let threshold = Double(random.next() >> 11) * 0x1p-53 * mass.reduce(0, +)
        var cumulative = 0.0
        var chosen = mass.lastIndex { $0 > 0 } ?? 0
        for (kind, weight) in mass.enumerated() where weight > 0 {
            cumulative += weight
            if threshold < cumulative {
                chosen = kind
                break
            }
        }
        var within = logits
        for index in within.indices where Int(kinds[index]) != chosen { within[index] = -.infinity }
        return sample(logits: within, random: &random)
    }

    /// (kinds) the softmax mass of each kind at temperature 1, unnormalised (relative to the
    /// highest logit).
    static func kindMass(logits: [Float], kinds: [UInt8]) -> [Double] {
        let highest = logits.max() ?? 0
        var mass = [Double](repeating: 0, count: Int(kinds.max() ?? 0) + 1)
        for index in logits.indices where logits[index] > -.infinity {
            mass[Int(kinds[index])] += Double(exp(logits[index] - highest))
        }
        return mass
    }

    /// (vocabulary) the probability of drawing each token, computed in full: the reference the
    /// sampler is tested against. Without `kinds` (or `kindFirst`) the nucleus over the whole
    /// vocabulary; with them, each kind's mass times the nucleus within it.
    public func probabilities(logits: [Float], kinds: [UInt8]?) -> [Double] {
        guard kindFirst, let kinds else { return nucleus(logits) }
        let mass = Self.kindMass(logits: logits, kinds: kinds)
        let total = mass.reduce(0, +)
        var probabilities = [Double](repeating: 0, count: logits.count)
        for (kind, weight) in mass.enumerated() where weight > 0 {
            let within = logits.indices.map { Int(kinds[$0]) == kind ? logits[$0] : -Float.infinity }
            for (index, probability) in nucleus(within).enumerated() where probability > 0 {
                probabilities[index] = weight / total * probability
            }
        }
        return probabilities
    }

    /// (vocabulary) the temperature / top-k / top-p distribution over all of `logits`, written
    /// out in full (the reference for `sample(logits:random:)`; temperature above 0).
    func nucleus(_ logits: [Float]) -> [Double] {
        let order = logits.indices.sorted { logits[$0] > logits[$1] }
        let kept = topK > 0 ? Array(order.prefix(topK)) : order
        let highest = logits[kept[0]]
        var weights = kept.map { Double(exp((logits[$0] - highest) / temperature)) }
        let total = weights.reduce(0, +)
        weights = weights.map { $0 / total }
        var probabilities = [Double](repeating: 0, count: logits.count)
        var cumulative = 0.0
        for (token, weight) in zip(kept, weights) {
            if topP < 1 && cumulative >= Double(topP) { break }
            probabilities[token] = weight
            cumulative += weight
        }
        let keptTotal = probabilities.reduce(0, +)
        return probabilities.map { $0 / keptTotal }
    }

    public func sample(logits: [Float], random: inout SeededRandom) -> Int32 {
        guard temperature > 0 else { return Int32(logits.indices.max { logits[$0] < logits[$1] } ?? 0) }
        var order = logits.indices.sorted { logits[$0] > logits[$1] }
        if topK > 0 && topK < order.count { order.removeLast(order.count - topK) }
        let highest = logits[order[0]]
        var weights = order.map { Double(exp((logits[$0] - highest) / temperature)) }
        let total = weights.reduce(0, +)
        weights = weights.map { $0 / total }
        if topP < 1 {
            var cumulative = 0.0, kept = 0
            while kept < weights.count && cumulative < Double(topP) {
                cumulative += weights[kept]
                kept += 1
            }
            order.removeLast(order.count - kept)
            weights.removeLast(weights.count - kept)
        }
        // The draw walks the kept tokens in vocabulary order, not by probability: logits that differ
        // by rounding only (incremental decoding beside the full-window reference) then move each
        // boundary of the cumulative sum by rounding only, where near-ties swapping places in the
        // sorted order would hand the draw to another token.
        let kept = zip(order, weights).sorted { $0.0 < $1.0 }
        let threshold = Double(random.next() >> 11) * 0x1p-53 * weights.reduce(0, +)
        var cumulative = 0.0
        for (token, weight) in kept {
            cumulative += weight
            if threshold < cumulative { return Int32(token) }
        }
        return Int32(kept[kept.count - 1].0)
    }
}

/// Continues a token sequence, one sampled token at a time.
public struct TokenGenerator {
    public let model: any SequenceModel
    /// Incremental decoding (the default), or the full-window reference (`generate --no-cache`).
    public let cached: Bool
    /// Forbids tokens that would break the piece's form, and ends the piece at its end token.
    public let grammar: TokenGrammar?
    /// Masks the notes that would complete a run the training set holds (`--max-shared`);
    /// it reads the notes through the grammar, so it needs one.
    public let runGuard: SharedRunGuard?
    /// Blends the model with the piece's own memory of what it has played (`MemoryMixture`); nil: the model alone.
    public let memory: MemoryMixture?

    public init(
        model: any SequenceModel, cached: Bool = true, grammar: TokenGrammar? = nil, runGuard: SharedRunGuard? = nil,
        memory: MemoryMixture? = nil
    ) {
        precondition(model.batch == 1, "generation runs one sequence at a time")
        precondition(runGuard == nil || grammar != nil, "the shared-run guard reads notes through the grammar")
        self.model = model
        self.cached = cached
        self.grammar = grammar
        self.runGuard = runGuard
        self.memory = memory
    }

    /// A fresh decoder for a sequence of at most `capacity` tokens.
    public func decoder(capacity: Int) -> any TokenDecoder {
        let decoder =
            cached ? Decoders.cached(model, capacity: capacity) : WindowDecoder(model: model, capacity: capacity)
        guard let memory else { return decoder }
        return MemoryDecoder(decoder, mixture: memory)
    }

    /// At most `length` new tokens after `prompt`, fewer when the grammar's end token comes first;
    /// pitches drawn toward `guidance`'s key when given; each token guided by the header
    /// (`headerGuidance`: the same tokens also decoded after its unconditioned prompt) when given.
    public func continuation(
        of prompt: [Int32], length: Int, options: SamplingOptions, random: inout SeededRandom,
        guidance: KeyGuidance? = nil, headerGuidance: HeaderGuidance? = nil, progress: (Int) -> Void = { _ in }
    ) -> [Int32] {
        precondition(!prompt.isEmpty, "generation needs at least one token to start from")
        let decoder = decoder(capacity: prompt.count + length)
        let unconditioned = headerGuidance.map { self.decoder(capacity: $0.unconditionedPrompt.count + length) }
        // The next token's logits once `tokens` are appended: the two passes combined when guided.
        func next(_ tokens: [Int32], unconditionedTokens: [Int32]) -> [Float] {
            let conditioned = decoder.append(tokens)
            guard let headerGuidance, let unconditioned else { return conditioned }
            return headerGuidance.combine(
                conditioned: conditioned, unconditioned: unconditioned.append(unconditionedTokens))
        }
        var sequence = prompt
        let startCount = sequence.count
        var logits = next(prompt, unconditionedTokens: headerGuidance?.unconditionedPrompt ?? [])
        // Carried along, so a long piece costs one grammar step per token, not a re-read of all of it.
        var state = grammar?.state(after: prompt)
        var guardState = grammar.flatMap { grammar in runGuard?.state(after: prompt, grammar: grammar) }
        var heard = guidance?.heard(after: prompt, grammar: grammar)
        while sequence.count - startCount < length {
            guidance?.apply(to: &logits, playing: state?.instrument ?? .piano, heard: heard)
            if let grammar, let current = state {
                grammar.mask(&logits, in: current, tokensLeft: length - (sequence.count - startCount))
                if let runGuard, let guarded = guardState { runGuard.mask(&logits, in: guarded, grammarState: current) }
            }
            let token = options.sample(logits: logits, kinds: grammar?.kinds, random: &random)
            sequence.append(token)
            if let runGuard, let current = state { runGuard.advance(&guardState!, by: token, before: current) }
            if let guidance { guidance.advance(&heard!, by: token, playing: state?.instrument ?? .piano) }
            if let grammar { grammar.advance(&state!, by: token) }
            progress(sequence.count - startCount)
            if sequence.last == grammar?.endToken { break }
            if sequence.count - startCount < length { logits = next([token], unconditionedTokens: [token]) }
        }
        return Array(sequence[startCount...])
    }
}
