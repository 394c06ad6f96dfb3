import Foundation
import Testing

@testable import Generation

@Suite struct PieceMemoryTests {
    /// A sequence over `vocabulary` tokens that repeats stretches of itself, as music does:
    /// each step either copies the token that followed an earlier point or draws a new one.
    static func repetitive(count: Int, vocabulary: Int, seed: UInt64) -> [Int32] {
        var random = SeededRandom(seed: seed)
        var tokens: [Int32] = []
        var copyFrom: Int?
        while tokens.count < count {
            if let from = copyFrom, from < tokens.count, random.next() % 8 != 0 {
                tokens.append(tokens[from])
                copyFrom = from + 1
            } else {
                tokens.append(Int32(random.next() % UInt64(vocabulary)))
                copyFrom = tokens.count > 4 && random.next() % 3 == 0 ? Int(random.next() % UInt64(tokens.count)) : nil
            }
        }
        return tokens
    }

    @Test(arguments: [(5, UInt64(1)), (12, 2), (40, 3)])
    func theHashedMemoryEqualsTheReferenceScan(vocabulary: Int, seed: UInt64) {
        let sequence = Self.repetitive(count: 300, vocabulary: vocabulary, seed: seed)
        var fast = PieceMemory(vocabularySize: vocabulary)
        var reference = PieceMemoryReference(vocabularySize: vocabulary)
        for (offset, next) in sequence.enumerated() {
            let tokens = offset % 7 == 0 ? Array(0..<Int32(vocabulary)) : [next]
            for token in tokens {
                let expected = reference.probability(of: token)
                #expect(abs(fast.probability(of: token) - expected) < 1e-12 * max(1, expected), "at \(offset)")
            }
            fast.append(next)
            reference.history.append(next)
        }
    }

    @Test func theDistributionIsEveryTokensProbabilityAndSumsToOne() {
        let sequence = Self.repetitive(count: 200, vocabulary: 9, seed: 4)
        var memory = PieceMemory(vocabularySize: 9)
        for (offset, token) in sequence.enumerated() {
            let distribution = memory.distribution()
            #expect(abs(distribution.reduce(0, +) - 1) < 1e-12, "at \(offset)")
            for candidate in 0..<9 {
                #expect(abs(distribution[candidate] - memory.probability(of: Int32(candidate))) < 1e-12)
            }
            memory.append(token)
        }
    }

    /// A phrase the piece has played once is predicted the second time through, once enough of
    /// it has come back to know where the piece is; the first time it is not.
    @Test func aPhrasePlayedBeforeIsPredictedWhenItReturns() {
        var random = SeededRandom(seed: 9)
        let phrase = (0..<48).map { _ in Int32(random.next() % 200) }
        let interlude = (0..<100).map { _ in Int32(random.next() % 200) }
        var memory = PieceMemory(vocabularySize: 200)
        var first: [Double] = []
        var second: [Double] = []
        for token in phrase {
            first.append(memory.probability(of: token))
            memory.append(token)
        }
        memory.append(contentsOf: interlude)
        for token in phrase {
            second.append(memory.probability(of: token))
            memory.append(token)
        }
        #expect(first.dropFirst(8).allSatisfy { $0 < 0.1 })
        #expect(second.dropFirst(8).allSatisfy { $0 > 0.5 })
        #expect(memory.bucket > PieceMemory.buckets / 2)
    }

    /// EM's share is the one that maximises the mixture's likelihood: no share on a fine grid does better.
    @Test func theFittedShareMaximisesTheMixtureLikelihood() {
        var random = SeededRandom(seed: 12)
        let pairs = (0..<500).map { _ in
            (model: Double(random.next() % 1000 + 1) / 1001, memory: Double(random.next() % 1000 + 1) / 1001)
        }
        func logLikelihood(_ share: Double) -> Double {
            pairs.reduce(0) { $0 + log((1 - share) * $1.model + share * $1.memory) }
        }
        let fitted = MemoryMixture.maximumLikelihoodShare(pairs, prior: nil)
        let best = (0...1000).map { logLikelihood(Double($0) / 1000) }.max()!
        #expect(logLikelihood(fitted) >= best - 1e-6)
        // With a prior, few tokens stay near it; many decide for themselves.
        #expect(abs(MemoryMixture.maximumLikelihoodShare(Array(pairs.prefix(2)), prior: 0.3) - 0.3) < 0.1)
        #expect(MemoryMixture.maximumLikelihoodShare([], prior: 0.3) == 0.3)
    }

    static func mixture(vocabulary: Int) -> MemoryMixture {
        let classes = (0..<vocabulary).map { UInt8($0 % 3) }
        let weights = (0..<(3 * PieceMemory.buckets)).map { Double($0 % 7 + 1) / 10 }
        return MemoryMixture(
            weights: weights, contextClasses: classes, orders: PieceMemory.orders,
            fit: .init(tokens: 0, bitsPerNoteWithout: 0, bitsPerNoteWith: 0))
    }

    /// The sampler's logits are the logs of the blended probabilities that scoring uses.
    @Test func theMixtureLogitsAreTheBlendedProbabilities() {
        let vocabulary = 11
        let mixture = Self.mixture(vocabulary: vocabulary)
        #expect(mixture.isCurrent)
        var random = SeededRandom(seed: 6)
        var memory = PieceMemory(vocabularySize: vocabulary)
        for token in Self.repetitive(count: 120, vocabulary: vocabulary, seed: 7) {
            var logits = (0..<vocabulary).map { _ in Float(random.next() % 1000) / 100 - 5 }
            logits[3] = -.infinity
            let highest = logits.max()!
            let total = logits.reduce(0.0) { $0 + exp(Double($1 - highest)) }
            let blended = mixture.logits(model: logits, memory: memory)
            #expect(abs(blended.reduce(0.0) { $0 + exp(Double($1)) } - 1) < 1e-5)
            for candidate in 0..<vocabulary {
                let model = exp(Double(logits[candidate] - highest)) / total
                let expected = mixture.probability(of: Int32(candidate), model: model, memory: memory)
                #expect(abs(exp(Double(blended[candidate])) - expected) < 1e-5 * max(expected, 1e-3))
            }
            memory.append(token)
        }
    }

    /// A decoder wrapped in the memory gives the blend of its own logits after the same tokens.
    @Test func theMemoryDecoderBlendsItsDecodersLogits() {
        let config = ModelConfig.transformer(vocabularySize: 13, width: 16, layers: 1, heads: 2, context: 32)
        let model = Models.make(config, batch: 1, time: 32, seed: 2)
        let mixture = Self.mixture(vocabulary: 13)
        let plain = Decoders.cached(model, capacity: 32)
        let blended = MemoryDecoder(Decoders.cached(model, capacity: 32), mixture: mixture, vocabularySize: 13)
        var memory = PieceMemory(vocabularySize: 13)
        for step in Self.repetitive(count: 30, vocabulary: 13, seed: 8).chunked(into: 3) {
            memory.append(contentsOf: step)
            let expected = mixture.logits(model: plain.append(step), memory: memory)
            expectClose(blended.append(step), expected, relative: 1e-6, "after \(memory.history.count) tokens")
        }
    }

    /// The memory's nats of a piece are −ln of the blend, token by token, with the memory of the piece before each.
    @Test func theMixtureNatsReadThePieceAsItGoes() {
        let vocabulary = 8
        let mixture = Self.mixture(vocabulary: vocabulary)
        let sequence = Self.repetitive(count: 90, vocabulary: vocabulary, seed: 10)
        let modelNats = sequence.dropFirst().map { Double($0 % 5 + 1) / 2 }
        let nats = mixture.nats(of: sequence, modelNats: modelNats, vocabularySize: vocabulary)
        for offset in 1..<sequence.count {
            var memory = PieceMemory(vocabularySize: vocabulary)
            memory.append(contentsOf: sequence[..<offset])
            let expected = -log(
                mixture.probability(of: sequence[offset], model: exp(-modelNats[offset - 1]), memory: memory))
            #expect(abs(nats[offset - 1] - expected) < 1e-12)
        }
    }
}

extension Array {
    fileprivate func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
