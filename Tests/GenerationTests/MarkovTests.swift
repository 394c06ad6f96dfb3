import Foundation
import Testing

@testable import Generation

/// Pieces of random tokens with a little structure (each token often repeats the one two back),
/// so that n-grams of every order recur and every discount is estimated from real counts.
func structuredPieces(vocabulary: Int, count: Int, length: Int, seed: UInt64) -> [[Int32]] {
    var random = SeededRandom(seed: seed)
    return (0..<count).map { _ in
        var piece: [Int32] = []
        for position in 0..<length {
            let repeats = position >= 2 && random.next() % 3 != 0
            piece.append(repeats ? piece[position - 2] : Int32(random.next() % UInt64(vocabulary)))
        }
        return piece
    }
}

@Suite struct MarkovTests {
    @Test func packedKeysAgreeWithArraysAcrossBothWords() {
        // 600 tokens take 10 bits: six slots a word, so twelve tokens straddle the two words.
        let packing = TokenPacking(vocabularySize: 600)
        #expect(packing.bits == 10 && packing.capacity == 12)
        var random = SeededRandom(seed: 3)
        for length in 1...12 {
            let tokens = (0..<length).map { _ in Int32(random.next() % 600) }
            let key = packing.pack(tokens)
            #expect((0..<length).reversed().map { packing.token(key, slot: $0) } == tokens)
            #expect(packing.droppingNewest(key) == packing.pack(tokens.dropLast()))
            for kept in 1...length {
                #expect(packing.keepingNewest(key, kept) == packing.pack(tokens.suffix(kept)), "\(kept) of \(tokens)")
            }
        }
    }

    @Test func discountsFollowChenAndGoodman() {
        // Y = 4 / (4 + 2·2) = 0.5; D1 = 1 − 2Y·2/4; D2 = 2 − 3Y·1/2; D3+ = 3 − 4Y·1/1.
        let discounts = KneserNeyModel.Discounts(countOfCounts: [4, 2, 1, 1])
        #expect(discounts.one == 0.5 && discounts.two == 1.25 && discounts.threeOrMore == 1)
        #expect(discounts(7) == 1 && discounts(0) == 0)
        // No count of 3 or 4: the 3+ estimate is undefined and falls back to Y.
        #expect(KneserNeyModel.Discounts(countOfCounts: [2, 1, 0, 0]).threeOrMore == 0.5)
    }

    /// One piece 0 1 0 1 2, vocabulary 3, order 2, worked by hand:
    /// bigrams (0 1)×2, (1 0), (1 2): n1 = 2, n2 = 1, so Y = ½, D1 = ½, D2 = 2 − 3·½·0 = 2.
    /// Unigram continuation counts: 0 follows the start and 1 → 2; 1 follows 0 → 1; 2 follows 1 → 1;
    /// again D1 = ½, D2 = 2, so the unigram level keeps (2−2, 1−½, 1−½) / 4 and passes ¾ down:
    /// P1 = (¼, ⅜, ⅜). After 1: successors 0 and 2, once each: (½, ½) / 2 kept, ½ passed down.
    @Test func aTinyExampleMatchesTheHandComputation() {
        let model = KneserNeyModel(counts: NGramCounts(pieces: [[0, 1, 0, 1, 2]], order: 2, vocabularySize: 3))
        #expect(abs(model.probability(of: 0, after: [Int32]()) - 0.25) < 1e-12)
        #expect(abs(model.probability(of: 1, after: [Int32]()) - 0.375) < 1e-12)
        #expect(abs(model.probability(of: 0, after: [Int32(1)]) - (0.25 + 0.5 * 0.25)) < 1e-12)
        #expect(abs(model.probability(of: 2, after: [Int32(1)]) - (0.25 + 0.5 * 0.375)) < 1e-12)
        #expect(abs(model.probability(of: 1, after: [Int32(1)]) - 0.5 * 0.375) < 1e-12)
        // After 0 the only bigram has count 2 and D2 = 2: everything comes from the unigram level.
        #expect(abs(model.probability(of: 1, after: [Int32(0)]) - 0.375) < 1e-12)
        // A context never seen leaves the unigram level in charge.
        #expect(abs(model.probability(of: 1, after: [Int32(2)]) - 0.375) < 1e-12)
    }

    @Test(arguments: [1, 2, 3, 5])
    func probabilitiesSumToOneAndMatchTheReference(order: Int) {
        let vocabulary = 9
        let pieces = structuredPieces(vocabulary: vocabulary, count: 6, length: 80, seed: UInt64(order))
        let model = KneserNeyModel(counts: NGramCounts(pieces: pieces, order: order, vocabularySize: vocabulary))
        let reference = KneserNeyReference(pieces: pieces, order: order, vocabularySize: vocabulary)
        var random = SeededRandom(seed: 11)
        for trial in 0..<40 {
            // Half the histories come from the pieces (seen contexts), half are random (mostly unseen).
            let length = Int(random.next() % UInt64(order + 1))
            let history: [Int32] =
                trial % 2 == 0
                ? Array(pieces[trial % pieces.count].prefix(10 + trial).suffix(length))
                : (0..<length).map { _ in Int32(random.next() % UInt64(vocabulary)) }
            let distribution = model.distribution(after: history)
            #expect(abs(distribution.reduce(0, +) - 1) < 1e-12, "history \(history)")
            for token in 0..<Int32(vocabulary) {
                let fast = model.probability(of: token, after: history)
                #expect(fast > 0)
                #expect(abs(fast - distribution[Int(token)]) < 1e-12)
                #expect(
                    abs(fast - reference.probability(of: token, after: history)) < 1e-12, "P(\(token) | \(history))")
            }
        }
    }

    @Test func countsOfAHigherOrderTruncateToCountingAtTheLowerOne() {
        let pieces = structuredPieces(vocabulary: 7, count: 5, length: 40, seed: 5) + [[3], [1, 2]]
        let high = NGramCounts(pieces: pieces, order: 6, vocabularySize: 7)
        for order in 1...6 {
            #expect(high.truncated(to: order) == NGramCounts(pieces: pieces, order: order, vocabularySize: 7))
        }
    }

    @Test func likelihoodThroughWindowsIsTheSumOfMinusLogP() {
        let pieces = structuredPieces(vocabulary: 8, count: 4, length: 60, seed: 9)
        let counts = NGramCounts(pieces: pieces, order: 3, vocabularySize: 8)
        let model = MarkovModel(counts: counts, batch: 3, time: 10)
        let reference = KneserNeyReference(pieces: pieces, order: 3, vocabularySize: 8)
        let piece = structuredPieces(vocabulary: 8, count: 1, length: 50, seed: 99)[0]
        let stride = ScoringWindow.defaultStride(time: 10, receptiveField: model.config.receptiveField)
        #expect(stride == 9)
        let windowed = Likelihood.nats(
            of: piece, model: model, windows: ScoringWindow.plan(count: 50, time: 10, stride: stride))
        let direct = (1..<50).map {
            -log(reference.probability(of: piece[$0], after: Array(piece[max(0, $0 - 2)..<$0])))
        }
        #expect(windowed.count == 49)
        for (position, (a, b)) in zip(windowed, direct).enumerated() {
            #expect(abs(a - b) < 1e-5, "token \(position + 1)")
        }
        #expect(abs(model.kneserNey.nats(of: piece) - direct.reduce(0, +)) < 1e-9)
    }

    @Test func aSavedMarkovModelLoadsWithItsCounts() throws {
        let counts = NGramCounts(
            pieces: structuredPieces(vocabulary: 12, count: 3, length: 30, seed: 4), order: 4,
            vocabularySize: 12)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("markov-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Checkpoint.saveModel(MarkovModel(counts: counts, batch: 1, time: 8), to: directory)
        let loaded = try #require(try Checkpoint.loadModel(from: directory, batch: 2, time: 8) as? MarkovModel)
        #expect(loaded.counts == counts)
        #expect(loaded.config == .markov(vocabularySize: 12, order: 4))
    }
}

extension MarkovTests {
    @Test func aFamilyOfOrdersEqualsModelsCountedAtEachOrder() {
        let pieces = structuredPieces(vocabulary: 6, count: 4, length: 50, seed: 12)
        let counts = NGramCounts(pieces: pieces, order: 5, vocabularySize: 6)
        let family = KneserNeyModel.family(counts: counts, orders: [2, 3, 5])
        #expect(family.map(\.order) == [2, 3, 5])
        let history: [Int32] = [1, 4, 1, 4, 1]
        for model in family {
            let alone = KneserNeyModel(counts: NGramCounts(pieces: pieces, order: model.order, vocabularySize: 6))
            #expect(model.distribution(after: history) == alone.distribution(after: history), "order \(model.order)")
        }
    }
}

extension MarkovTests {
    /// The Markov decoder keeps only the last order − 1 tokens; the full-window reference runs the
    /// whole sequence through the model's forward (on a copy sized for it): the same logits, the same piece.
    @Test func theCachedDecoderEqualsTheFullWindowAndSamplesTheSamePiece() {
        let pieces = structuredPieces(vocabulary: 10, count: 5, length: 60, seed: 17)
        let model = MarkovModel(counts: NGramCounts(pieces: pieces, order: 4, vocabularySize: 10), batch: 1, time: 8)
        let sequence = pieces[0].prefix(30)
        let cached = Decoders.cached(model, capacity: sequence.count)
        let reference = WindowDecoder(model: model, capacity: sequence.count)
        #expect(!(cached is WindowDecoder))
        expectClose(cached.append([sequence[0]]), reference.append([sequence[0]]), relative: 1e-5, "first token")
        for token in sequence.dropFirst() {
            let logits = cached.append([token])
            expectClose(logits, reference.append([token]), relative: 1e-5, "after \(token)")
            #expect(Set(logits).count > 1, "a counted model is not uniform")
        }
        func piece(cached: Bool) -> [Int32] {
            var random = SeededRandom(seed: 2)
            return TokenGenerator(model: model, cached: cached)
                .continuation(of: [1, 2], length: 40, options: SamplingOptions(), random: &random)
        }
        #expect(piece(cached: true) == piece(cached: false))
    }
}
