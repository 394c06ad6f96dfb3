import Foundation
import MusicTheory
import Testing

@testable import Generation

/// Classifier-free guidance on the header: weight 1 is the conditioned pass, weight 0 the
/// unconditioned one, the two key/value caches give the piece the full-window reference
/// gives, and a weight above 1 moves each token further the way the header moves it.
@Suite struct HeaderGuidanceTests {
    static let vocabulary = EventTokenizer.standard.vocabulary(styles: ["classical", "jazz"])
    static let controls = GenerationControls(style: "jazz", key: Key(tonic: 2, mode: .minor), bars: 4)
    static let options = SamplingOptions(temperature: 1, topK: 0, topP: 1)

    /// An untrained Transformer (noise for weights): its header still changes every logit a little.
    static func model(time: Int = 64) -> any SequenceModel {
        Models.make(
            .transformer(vocabularySize: vocabulary.count, width: 32, layers: 2, heads: 2, context: 64), batch: 1,
            time: time, seed: 17)
    }

    static var conditionedPrompt: [Int32] { vocabulary.ids(of: controls.openingTokens) }
    static var unconditionedPrompt: [Int32] { vocabulary.ids(of: controls.firstBarTokens) }

    func sample(
        _ generator: TokenGenerator, prompt: [Int32], weight: Double?, seed: UInt64, length: Int = 300
    ) -> [Int32] {
        var random = SeededRandom(seed: seed)
        return generator.continuation(
            of: prompt, length: length, options: Self.options, random: &random,
            headerGuidance: weight.map { HeaderGuidance(weight: $0, unconditionedPrompt: Self.unconditionedPrompt) })
    }

    @Test func theUnconditionedPromptIsTheOpeningWithoutItsHeader() {
        let header = Self.vocabulary.ids(of: ["Style_jazz", "Key_2_minor"])
        #expect(Self.conditionedPrompt == header + Self.unconditionedPrompt)
        #expect(!Self.unconditionedPrompt.contains { Self.vocabulary.tokens[Int($0)].hasPrefix("Style_") })
    }

    @Test func weightOneSamplesWhatTheHeaderAloneSamples() throws {
        let grammar = try #require(TokenGrammar(vocabulary: Self.vocabulary, constraints: Self.controls.constraints))
        let generator = TokenGenerator(model: Self.model(), grammar: grammar)
        for seed: UInt64 in 1...5 {
            let plain = sample(generator, prompt: Self.conditionedPrompt, weight: nil, seed: seed)
            let guided = sample(generator, prompt: Self.conditionedPrompt, weight: 1, seed: seed)
            #expect(guided == plain, "seed \(seed)")
            #expect(plain.count > 20)
        }
    }

    @Test func weightZeroSamplesWhatNoHeaderSamples() throws {
        let grammar = try #require(TokenGrammar(vocabulary: Self.vocabulary, constraints: Self.controls.constraints))
        let generator = TokenGenerator(model: Self.model(), grammar: grammar)
        for seed: UInt64 in 1...5 {
            let unconditioned = sample(generator, prompt: Self.unconditionedPrompt, weight: nil, seed: seed)
            let guided = sample(generator, prompt: Self.conditionedPrompt, weight: 0, seed: seed)
            #expect(guided == unconditioned, "seed \(seed)")
        }
        // The check above could fail: the header changes the model's next-token distribution.
        let afterHeader = generator.decoder(capacity: 64).append(Self.conditionedPrompt)
        let withoutHeader = generator.decoder(capacity: 64).append(Self.unconditionedPrompt)
        #expect(afterHeader != withoutHeader)
    }

    /// Two key/value caches in step give the piece that two full-window references give.
    @Test func theCachedGuidedPathMatchesTheReference() throws {
        let grammar = try #require(TokenGrammar(vocabulary: Self.vocabulary, constraints: Self.controls.constraints))
        let model = Self.model(time: 128)
        for seed: UInt64 in 1...3 {
            let cached = sample(
                TokenGenerator(model: model, cached: true, grammar: grammar), prompt: Self.conditionedPrompt, weight: 3,
                seed: seed, length: 100)
            let reference = sample(
                TokenGenerator(model: model, cached: false, grammar: grammar), prompt: Self.conditionedPrompt,
                weight: 3, seed: seed, length: 100)
            #expect(cached == reference, "seed \(seed)")
        }
    }

    /// The logits are the unconditioned pass's plus `weight` times the header's difference,
    /// so above 1 the token the header favours most gains probability over plain conditioning.
    @Test func aWeightAboveOneFollowsTheHeaderFurther() {
        let model = Self.model()
        let conditioned = Decoders.cached(model, capacity: 64).append(Self.conditionedPrompt)
        let unconditioned = Decoders.cached(model, capacity: 64).append(Self.unconditionedPrompt)
        let favoured = conditioned.indices.max {
            conditioned[$0] - unconditioned[$0] < conditioned[$1] - unconditioned[$1]
        }!
        func probability(weight: Double) -> Double {
            let logits = HeaderGuidance(weight: weight, unconditionedPrompt: Self.unconditionedPrompt)
                .combine(conditioned: conditioned, unconditioned: unconditioned)
            let highest = logits.max()!
            let total = logits.reduce(0.0) { $0 + exp(Double($1 - highest)) }
            return exp(Double(logits[favoured] - highest)) / total
        }
        #expect(probability(weight: 1) > probability(weight: 0))
        #expect(probability(weight: 3) > probability(weight: 1))
        let once = HeaderGuidance(weight: 1, unconditionedPrompt: Self.unconditionedPrompt)
            .combine(conditioned: conditioned, unconditioned: unconditioned)
        #expect(zip(once, conditioned).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test func controlsRecordTheWeightOnlyWhenThereIsAHeaderAndRefuseOneOutOfRange() {
        #expect(GenerationControls(bars: 8).headerGuidanceWeight == nil)
        #expect(GenerationControls(style: "jazz", guidance: 2).headerGuidanceWeight == 2)
        #expect(GenerationControls(guidance: 2).isEmpty)
        #expect(
            GenerationControls(style: "jazz", guidance: 9).problem(vocabulary: Self.vocabulary, hasPrompt: false)
                == .guidanceOutOfRange(9))
    }
}
