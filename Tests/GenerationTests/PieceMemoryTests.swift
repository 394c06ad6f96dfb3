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

    /// Pitches for the first `count` tokens of a vocabulary (a chromatic run from `lowest`), −1 for the rest.
    static func pitches(vocabulary: Int, count: Int, lowest: Int = 55) -> [Int] {
        (0..<vocabulary).map { $0 < count ? lowest + $0 : -1 }
    }

    @Test(arguments: [(5, 0, UInt64(1)), (12, 0, 2), (40, 0, 3), (12, 8, 4), (40, 30, 5)])
    func theHashedMemoryEqualsTheReferenceScan(vocabulary: Int, pitched: Int, seed: UInt64) {
        let sequence = Self.repetitive(count: 300, vocabulary: vocabulary, seed: seed)
        let pitches = pitched > 0 ? Self.pitches(vocabulary: vocabulary, count: pitched) : []
        var fast = PieceMemory(vocabularySize: vocabulary, pitches: pitches)
        var reference = PieceMemoryReference(vocabularySize: vocabulary, pitches: pitches)
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

    /// Read as it is, the vocabulary gets all of the probability; read with pitch steps, the
    /// steps to pitches it lacks keep theirs (most of the uniform floor, for a vocabulary this
    /// small), so its tokens get at most all of it.
    @Test(arguments: [false, true])
    func theDistributionIsEveryTokensProbability(pitched: Bool) {
        let sequence = Self.repetitive(count: 200, vocabulary: 9, seed: 4)
        var memory = PieceMemory(vocabularySize: 9, pitches: pitched ? Self.pitches(vocabulary: 9, count: 6) : [])
        for (offset, token) in sequence.enumerated() {
            let distribution = memory.distribution()
            let total = distribution.reduce(0, +)
            #expect(pitched ? total <= 1 + 1e-12 && total > 0 : abs(total - 1) < 1e-12, "at \(offset)")
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

    /// With pitches read as steps, a melody played again a minor third higher is the same run
    /// of tokens: predicted the second time as if it were an exact repeat.
    @Test func aMelodyPlayedAgainHigherIsPredictedWhenItReturns() {
        let vocabulary = 100
        let pitches = Self.pitches(vocabulary: vocabulary, count: 80, lowest: 30)
        var random = SeededRandom(seed: 14)
        // Pitch tokens 20…59, each followed by one of the twenty other tokens (a duration, say).
        let melody = (0..<24).flatMap { _ in [Int32(20 + random.next() % 40), Int32(80 + random.next() % 20)] }
        let higher = melody.map { $0 < 80 ? $0 + 3 : $0 }
        var memory = PieceMemory(vocabularySize: vocabulary, pitches: pitches)
        var unaware = PieceMemory(vocabularySize: vocabulary)
        memory.append(contentsOf: melody)
        unaware.append(contentsOf: melody)
        var stepped: [Double] = []
        var absolute: [Double] = []
        for token in higher {
            stepped.append(memory.probability(of: token))
            absolute.append(unaware.probability(of: token))
            memory.append(token)
            unaware.append(token)
        }
        #expect(stepped.dropFirst(8).allSatisfy { $0 > 0.5 })
        #expect(absolute.dropFirst(8).filter { $0 > 0.5 }.count < 12)
    }

    /// The grid's normalisers, built by repeated products, are the direct sums: every weighting's
    /// ln P equals the mixture's own nats, for a memory that has read a repetitive piece.
    @Test func theGridsLogProbabilitiesAreTheMixturesAtEveryWeighting() {
        let vocabulary = 23
        var random = SeededRandom(seed: 12)
        var memories = PieceMemories(
            vocabularySize: vocabulary, pitches: Self.pitches(vocabulary: vocabulary, count: 14))
        memories.append(contentsOf: Self.repetitive(count: 150, vocabulary: vocabulary, seed: 3))
        let grid = WeightGrid(steps: 8)
        for target in [0, 5, 17] {
            let logits = (0..<vocabulary).map { _ in Float(random.next() % 1000) / 80 - 6 }
            let terms = MixtureTerms(model: logits, memories: memories)
            let curve = terms.logProbabilities(of: target, on: grid)
            #expect(curve.count == 45)
            for (point, weights) in grid.points.enumerated() {
                let direct = -terms.nats(of: target, weights: weights)
                #expect(abs(curve[point] - direct) < 1e-9 * max(1, abs(direct)), "at \(weights)")
            }
        }
    }

    /// The grid lists every weighting of two memories that leaves the model at least nothing,
    /// finds each by its steps, and snaps any weights to the nearest.
    @Test func theWeightGridIndexesItsPoints() {
        let grid = WeightGrid(steps: 20)
        #expect(grid.points.count == 231)
        #expect(grid.points[grid.noneIndex] == .none)
        for steps in 0...20 {
            for written in 0...(20 - steps) {
                let point = grid.points[grid.index(steps: steps, written: written)]
                #expect(point == MemoryMixture.Weights(steps: Double(steps) / 20, written: Double(written) / 20))
                #expect(
                    grid.nearest(MemoryMixture.Weights(steps: point.steps + 0.02, written: point.written - 0.01))
                        == grid.index(steps: steps, written: written))
            }
        }
        #expect(grid.points.allSatisfy { $0.model >= -1e-12 })
        #expect(grid.nearest(MemoryMixture.Weights(steps: 0.7, written: 0.6)) == grid.index(steps: 14, written: 6))
        // A slot's weights move toward their prior by the tokens they were fitted on.
        let shrunk = MemoryMixture.Weights(steps: 0.4, written: 0).shrunk(toward: .none, tokens: 16, prior: 16)
        #expect(shrunk == MemoryMixture.Weights(steps: 0.2, written: 0))
    }

    static func mixture(vocabulary: Int) -> MemoryMixture {
        let classes = (0..<vocabulary).map { UInt8($0 % 3) }
        let weights = (0..<(3 * PieceMemory.buckets)).map {
            MemoryMixture.Weights(steps: Double($0 % 7) / 10, written: Double($0 % 4) / 10)
        }
        return MemoryMixture(
            weights: weights, contextClasses: classes, pitches: pitches(vocabulary: vocabulary, count: vocabulary / 2),
            fit: .init(tokens: 0, bitsPerNoteWithout: 0, bitsPerNoteWith: 0))
    }

    /// The sampler's logits, normalised, are the mixture that scoring uses: model^(1 − a − b) ·
    /// steps^a · written^b over its total; a token the model rules out stays out.
    @Test func theMixtureLogitsAreTheNormalisedWeightedProduct() {
        let vocabulary = 11
        let mixture = Self.mixture(vocabulary: vocabulary)
        #expect(mixture.isCurrent)
        var random = SeededRandom(seed: 6)
        var memories = mixture.memories()
        for token in Self.repetitive(count: 120, vocabulary: vocabulary, seed: 7) {
            var logits = (0..<vocabulary).map { _ in Float(random.next() % 1000) / 100 - 5 }
            logits[3] = -.infinity
            let blended = mixture.logits(model: logits, memories: memories)
            #expect(blended[3] == -.infinity)
            let highest = Double(blended.max()!)
            let total = blended.reduce(0.0) { $0 + exp(Double($1) - highest) }
            let weights = mixture.weights(after: memories)
            let steps = memories.steps.distribution(), written = memories.written.distribution()
            let modelTotal = logits.reduce(0.0) { $0 + exp(Double($1)) }
            var direct = (0..<vocabulary).map { candidate -> Double in
                guard candidate != 3 else { return 0 }
                return pow(exp(Double(logits[candidate])) / modelTotal, weights.model)
                    * pow(steps[candidate], weights.steps) * pow(written[candidate], weights.written)
            }
            let directTotal = direct.reduce(0, +)
            direct = direct.map { $0 / directTotal }
            for candidate in 0..<vocabulary where candidate != 3 {
                let probability = exp(Double(blended[candidate]) - highest) / total
                #expect(abs(probability - direct[candidate]) < 1e-5 * max(direct[candidate], 1e-3))
                let nats = mixture.nats(of: Int32(candidate), model: logits, memories: memories)
                #expect(abs(exp(-nats) - direct[candidate]) < 1e-9)
            }
            memories.append(token)
        }
    }

    /// A decoder wrapped in the memory gives the blend of its own logits after the same tokens.
    @Test func theMemoryDecoderBlendsItsDecodersLogits() {
        let config = ModelConfig.transformer(vocabularySize: 13, width: 16, layers: 1, heads: 2, context: 32)
        let model = Models.make(config, batch: 1, time: 32, seed: 2)
        let mixture = Self.mixture(vocabulary: 13)
        let plain = Decoders.cached(model, capacity: 32)
        let blended = MemoryDecoder(Decoders.cached(model, capacity: 32), mixture: mixture)
        var memories = mixture.memories()
        for step in Self.repetitive(count: 30, vocabulary: 13, seed: 8).chunked(into: 3) {
            memories.append(contentsOf: step)
            let expected = mixture.logits(model: plain.append(step), memories: memories)
            expectClose(blended.append(step), expected, relative: 1e-6, "after \(memories.history.count) tokens")
        }
    }

    /// Both memories read every token; the pitch-step memory's bucket is the mixture's.
    @Test func theMemoriesReadThePieceBothWays() {
        let vocabulary = 40
        let pitches = Self.pitches(vocabulary: vocabulary, count: 30)
        let sequence = Self.repetitive(count: 80, vocabulary: vocabulary, seed: 10)
        var memories = PieceMemories(vocabularySize: vocabulary, pitches: pitches)
        var steps = PieceMemory(vocabularySize: vocabulary, pitches: pitches)
        var written = PieceMemory(vocabularySize: vocabulary)
        for token in sequence {
            memories.append(token)
            steps.append(token)
            written.append(token)
            #expect(memories.bucket == steps.bucket)
            #expect(memories.steps.distribution() == steps.distribution())
            #expect(memories.written.distribution() == written.distribution())
        }
        #expect(memories.history == sequence)
    }
}

extension Array {
    fileprivate func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
