import Foundation
import MusicTheory
import Testing

@testable import Generation

/// Key guidance moves pitch tokens only, by the key's pitch-class distribution, and makes
/// even a model that has learnt nothing write in the key asked for.
@Suite struct KeyGuidanceTests {
    static let vocabulary = EventTokenizer.standard.vocabulary
    /// Nucleus sampling as `generate --key` was measured with (temperature 0.9, top-p 0.9): what is
    /// tested is the guidance, not the sampler's defaults.
    static let options = SamplingOptions(temperature: 0.9, topK: 0, topP: 0.9)

    func bias(_ guidance: KeyGuidance, pitch: Int) -> Float {
        guidance.bias[Int(Self.vocabulary.id(of: "Pitch_\(pitch)")!)]
    }

    @Test func theTonicIsRaisedChromaticNotesLoweredAndNothingButPitchesMoves() throws {
        let dMinor = try #require(
            KeyGuidance(key: Key(tonic: 2, mode: .minor), strength: 1, vocabulary: Self.vocabulary))
        let pitches = (21...108).filter { Self.vocabulary.id(of: "Pitch_\($0)") != nil }
        let highest = try #require(pitches.max { bias(dMinor, pitch: $0) < bias(dMinor, pitch: $1) })
        #expect(highest % 12 == 2)
        #expect(bias(dMinor, pitch: 62) > 0 && bias(dMinor, pitch: 63) < 0)
        // Octaves share their pitch class's bias.
        #expect(bias(dMinor, pitch: 50) == bias(dMinor, pitch: 74))
        for (id, token) in Self.vocabulary.tokens.enumerated() where !token.hasPrefix("Pitch_") {
            #expect(dMinor.bias[id] == 0, "\(token)")
        }
        let twice = try #require(
            KeyGuidance(key: Key(tonic: 2, mode: .minor), strength: 2, vocabulary: Self.vocabulary))
        #expect(abs(bias(twice, pitch: 63) - 2 * bias(dMinor, pitch: 63)) < 1e-5)
        #expect(KeyGuidance(key: Key(tonic: 2, mode: .minor), strength: 0, vocabulary: Self.vocabulary) == nil)
    }

    @Test func drumNotesAreLeftAlone() throws {
        let guidance = try #require(
            KeyGuidance(key: Key(tonic: 0, mode: .major), strength: 1, vocabulary: Self.vocabulary))
        let logits = (0..<Self.vocabulary.count).map { Float($0 % 7) }
        var drums = logits, piano = logits
        guidance.apply(to: &drums, playing: .drums)
        guidance.apply(to: &piano, playing: .piano)
        #expect(drums == logits)
        #expect(piano != logits)
    }

    /// An untrained model (random weights) writes every pitch class; guided, the key finder
    /// hears the key asked for. Guidance no longer adds notes (the pitch tokens keep their total),
    /// so such a model samples its whole distribution over 16 bars of piano, enough notes for a key finder.
    @Test func anUntrainedModelGuidedWritesInTheKeyAsked() throws {
        let model = Models.make(
            .lstm(vocabularySize: Self.vocabulary.count, embedding: 16, hidden: 16, layers: 1), batch: 1, time: 64,
            seed: 3)
        // 16 bars of piano: the piece cannot end after its first notes or turn to drums.
        let grammar = try #require(
            TokenGrammar(vocabulary: Self.vocabulary, constraints: .init(bars: 16, instruments: [.piano])))
        let generator = TokenGenerator(model: model, grammar: grammar)
        for (tonic, mode, seed) in [(2, Key.Mode.minor, UInt64(1)), (7, .major, 2), (10, .major, 3)] {
            let key = Key(tonic: tonic, mode: mode)
            let controls = GenerationControls(key: key)
            let opening = Self.vocabulary.ids(of: controls.openingTokens)
            var random = SeededRandom(seed: seed)
            let ids = generator.continuation(
                of: opening, length: 2_000, options: SamplingOptions(temperature: 1, topP: 1), random: &random,
                guidance: KeyGuidance(key: key, strength: 3, vocabulary: Self.vocabulary))
            let piece = EventTokenizer.standard.piece(from: Self.vocabulary.strings(of: opening + ids))
            #expect(piece.notes.count > 20)
            #expect(AnalysisOptions.standard.key(of: piece.midiFile())?.best.key == key, "\(key.name)")
        }
    }

    /// The key says which pitch, not whether to play one: after guidance the pitch tokens hold the
    /// probability they held before, in every key, while their odds against each other move.
    @Test func guidanceLeavesThePitchTokensTotalProbabilityAlone() throws {
        let pitchIds = Self.vocabulary.tokens.indices.filter { Self.vocabulary.tokens[$0].hasPrefix("Pitch_") }
        let logits = (0..<Self.vocabulary.count).map { Float(sin(Double($0) * 0.37)) * 3 }
        func pitchShare(_ logits: [Float]) -> Double {
            let weights = logits.map { exp(Double($0)) }
            return pitchIds.reduce(0) { $0 + weights[$1] } / weights.reduce(0, +)
        }
        for (tonic, mode, strength) in [(2, Key.Mode.minor, 1.0), (7, .major, 0.5), (0, .major, 4)] {
            let guidance = try #require(
                KeyGuidance(key: Key(tonic: tonic, mode: mode), strength: strength, vocabulary: Self.vocabulary))
            var guided = logits
            guidance.apply(to: &guided, playing: .piano)
            #expect(abs(pitchShare(guided) - pitchShare(logits)) < 1e-4)
            for index in logits.indices where !pitchIds.contains(index) { #expect(guided[index] == logits[index]) }
            let tonicId = Self.vocabulary.id(of: "Pitch_\(60 + tonic)")!,
                flatSecond = Self.vocabulary.id(of: "Pitch_\(61 + tonic)")!
            #expect(
                guided[Int(tonicId)] - guided[Int(flatSecond)] > logits[Int(tonicId)] - logits[Int(flatSecond)] + 1)
        }
    }
}
