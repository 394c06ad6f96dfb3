import Foundation
import Testing

@testable import Generation

/// Training on the model's own draws: a replaced token keeps its kind, the draws follow the
/// model's distribution within that kind, and the share rises over the run.
@Suite struct ScheduledSamplingTests {
    static let vocabulary = 12
    /// Three kinds of four tokens each (as durations, pitches and positions are kinds).
    static let kinds = (0..<vocabulary).map { UInt8($0 % 3) }

    static func window(batch: Int, time: Int) -> [Int32] {
        var random = SeededRandom(seed: 5)
        return (0..<(batch * time)).map { _ in Int32(random.next() % UInt64(vocabulary)) }
    }

    static func model(batch: Int, time: Int) -> any SequenceModel {
        Models.make(
            .transformer(vocabularySize: vocabulary, width: 16, layers: 1, heads: 1, context: time, dropout: 0),
            batch: batch, time: time, seed: 3)
    }

    @Test func aReplacedTokenKeepsItsKindAndAWindowsFirstTokenStays() {
        let batch = 2, time = 16
        let tokens = Self.window(batch: batch, time: time)
        let sampling = ScheduledSampling(largestShare: 0.9, kinds: Self.kinds)
        var random = SeededRandom(seed: 11)
        let mixed = tokens.withUnsafeBufferPointer {
            sampling.mixed(
                tokens: $0.baseAddress!, model: Self.model(batch: batch, time: time), share: 0.999, random: &random)
        }
        #expect(mixed.count == tokens.count)
        for index in tokens.indices {
            #expect(Self.kinds[Int(mixed[index])] == Self.kinds[Int(tokens[index])], "token \(index)")
            if index % time == 0 { #expect(mixed[index] == tokens[index]) }
        }
        // Each kind has four tokens: 30 draws that all hit the real one would be a draw that does nothing.
        #expect(zip(mixed, tokens).filter { $0 != $1 }.count > 10)
    }

    @Test func noShareLeavesTheWindowAndTheRandomStream() {
        let batch = 1, time = 8
        let tokens = Self.window(batch: batch, time: time)
        var random = SeededRandom(seed: 11)
        let mixed = tokens.withUnsafeBufferPointer {
            ScheduledSampling(largestShare: 0.5, kinds: Self.kinds).mixed(
                tokens: $0.baseAddress!, model: Self.model(batch: batch, time: time), share: 0, random: &random)
        }
        #expect(mixed == tokens)
        #expect(random == SeededRandom(seed: 11))
    }

    /// 40,000 draws: each token's share within 0.01 of the softmax over its kind's tokens only.
    @Test func drawsFollowTheModelWithinTheKind() {
        let logits = (0..<Self.vocabulary).map { Float(sin(Double($0) * 1.3)) * 2 }
        let kind: UInt8 = 1
        let allowed = { (token: Int) in Self.kinds[token] == kind }
        let weights = logits.enumerated().map { allowed($0.offset) ? exp(Double($0.element)) : 0 }
        let total = weights.reduce(0, +)
        var counts = [Int](repeating: 0, count: Self.vocabulary)
        var random = SeededRandom(seed: 2)
        let draws = 40_000
        for _ in 0..<draws { counts[Int(ScheduledSampling.draw(logits: logits, where: allowed, random: &random))] += 1 }
        for token in 0..<Self.vocabulary {
            #expect(abs(Double(counts[token]) / Double(draws) - weights[token] / total) < 0.01, "token \(token)")
        }
    }

    @Test func theShareRisesToItsLargestAtTheRunsEnd() {
        let sampling = ScheduledSampling(largestShare: 0.3, kinds: Self.kinds)
        #expect(sampling.share(at: 0, of: 1000) == 0)
        #expect(abs(sampling.share(at: 500, of: 1000) - 0.15) < 1e-12)
        #expect(sampling.share(at: 1000, of: 1000) == 0.3)
        #expect(sampling.share(at: 4000, of: 1000) == 0.3)
    }

    @Test func aShareOutsideItsRangeOrWithoutKindsIsRefused() {
        let corpus = ["/corpus"]
        let tooMuch = TrainingOptions(
            corpus: corpus, model: .transformer, tokenizer: .events, minutes: 1, scheduledSampling: 1)
        #expect(tooMuch.problem == .scheduledSamplingOutOfRange(1))
        let notes = TrainingOptions(
            corpus: corpus, model: .transformer, tokenizer: .notes, minutes: 1, scheduledSampling: 0.2)
        #expect(
            notes.problem == .scheduledSamplingNeedsEventsNetwork(share: 0.2, model: .transformer, tokenizer: .notes))
        let markov = TrainingOptions(
            corpus: corpus, model: .markov, tokenizer: .events, minutes: 1, scheduledSampling: 0.2)
        #expect(markov.problem == .scheduledSamplingNeedsEventsNetwork(share: 0.2, model: .markov, tokenizer: .events))
        let off = TrainingOptions(
            corpus: corpus, model: .transformer, tokenizer: .events, minutes: 1, scheduledSampling: 0)
        #expect(off.problem == nil)
    }
}
