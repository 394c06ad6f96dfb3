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

    /// An untrained model (random weights) sampling `bars` bars of piano under the grammar: the
    /// piece cannot end after its first notes or turn to drums.
    static func untrainedGenerator(modelSeed: UInt64, bars: Int) throws -> TokenGenerator {
        let model = Models.make(
            .lstm(vocabularySize: vocabulary.count, embedding: 16, hidden: 16, layers: 1), batch: 1, time: 64,
            seed: modelSeed)
        let grammar = try #require(
            TokenGrammar(vocabulary: vocabulary, constraints: .init(bars: bars, instruments: [.piano])))
        return TokenGenerator(model: model, grammar: grammar)
    }

    /// A piece `generator` samples after the opening that asks for `key`.
    static func piece(
        of generator: TokenGenerator, in key: Key, seed: UInt64, length: Int, options: SamplingOptions,
        guidance: KeyGuidance?
    ) -> QuantisedPiece {
        let opening = vocabulary.ids(of: GenerationControls(key: key).openingTokens)
        var random = SeededRandom(seed: seed)
        let ids = generator.continuation(
            of: opening, length: length, options: options, random: &random, guidance: guidance)
        return EventTokenizer.standard.piece(from: vocabulary.strings(of: opening + ids))
    }

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
        let generator = try Self.untrainedGenerator(modelSeed: 3, bars: 16)
        for (tonic, mode, seed) in [(2, Key.Mode.minor, UInt64(1)), (7, .major, 2), (10, .major, 3)] {
            let key = Key(tonic: tonic, mode: mode)
            let piece = Self.piece(
                of: generator, in: key, seed: seed, length: 2_000, options: SamplingOptions(temperature: 1, topP: 1),
                guidance: KeyGuidance(key: key, strength: 3, vocabulary: Self.vocabulary))
            #expect(piece.notes.count > 20)
            #expect(AnalysisOptions.standard.key(of: piece.midiFile())?.best.key == key, "\(key.name)")
        }
    }

    /// A piece on the tonic, fifth and fourth with hardly a third: Krumhansl–Kessler hears the
    /// parallel major, Aarden–Essen the minor asked. Held by both, the guidance pulls toward the
    /// minor third and away from the major one; held by Aarden–Essen alone, which already hears
    /// the key clearly, it does not pull at all.
    @Test func theFindersPullOnlyWhileOneHearsAnotherKey() throws {
        let dMinor = Key(tonic: 2, mode: .minor)
        var heard = KeyGuidance.Heard()
        // D, E, F, G, A, C in quarters: a D-minor-ish piece as a 10-minute run writes it.
        heard.histogram = [6.5, 0, 51, 0, 9.5, 6.75, 0, 24.75, 0, 45.25, 0.5, 0]
        #expect(
            KeyFinder(profile: .named(.krumhansl)).estimate(heard.histogram)?.best.key == Key(tonic: 2, mode: .major))
        let both = try #require(
            KeyGuidance(key: dMinor, strength: 1, vocabulary: Self.vocabulary, heldBy: [.krumhansl, .aarden]))
        let pull = both.finderPull(after: heard.histogram)
        heard.pull = pull
        #expect(pull[5] > 0.5 && pull[6] < -0.3, "F over F♯: \(pull)")
        let aarden = try #require(KeyGuidance(key: dMinor, strength: 1, vocabulary: Self.vocabulary, heldBy: [.aarden]))
        #expect(aarden.finderPull(after: heard.histogram) == Array(repeating: 0, count: 12))
        // Nothing heard yet: no finder can say anything, so none pulls.
        #expect(both.finderPull(after: KeyGuidance.Heard().histogram) == Array(repeating: 0, count: 12))
        // The pull reaches the pitch tokens: F3 gains on F♯3 over the profile's bias alone.
        let logits = [Float](repeating: 0, count: Self.vocabulary.count)
        var plain = logits, held = logits
        both.apply(to: &plain, playing: .piano)
        both.apply(to: &held, playing: .piano, heard: heard)
        let f3 = Int(Self.vocabulary.id(of: "Pitch_53")!), fSharp3 = Int(Self.vocabulary.id(of: "Pitch_54")!)
        #expect(held[f3] - held[fSharp3] > plain[f3] - plain[fSharp3] + 1)
    }

    /// What the finders hear is what was played, weighed by duration as `analyze` weighs it;
    /// drum notes are not pitches.
    @Test func theGuidanceHearsEachNoteForItsDurationAndNoDrums() throws {
        let guidance = try #require(
            KeyGuidance(key: Key(tonic: 0, mode: .major), strength: 1, vocabulary: Self.vocabulary, heldBy: [.aarden]))
        let tokens = [
            "Bar", "Meter_4/4", "Pos_0", "Pitch_60", "Dur_24", "Vel_5", "Pitch_64", "Dur_6", "Vel_5",
            "Drums", "Pitch_38", "Dur_3", "Vel_5",
        ]
        let heard = guidance.heard(
            after: Self.vocabulary.ids(of: tokens), grammar: TokenGrammar(vocabulary: Self.vocabulary))
        #expect(Self.vocabulary.ids(of: tokens).count == tokens.count)
        var expected = [Double](repeating: 0, count: 12)
        expected[0] = 2
        expected[4] = 0.5
        #expect(heard.histogram == expected)
    }

    /// An untrained model held by both strict finders is heard in the minor key asked by each of
    /// them, at the default strength, where the key's distribution alone lets a third-less
    /// texture pass for the parallel major.
    @Test func anUntrainedModelHeldByTheFindersIsHeardInTheMinorKeyAsked() throws {
        let generator = try Self.untrainedGenerator(modelSeed: 5, bars: 8)
        for (tonic, seed) in [(2, UInt64(4)), (9, 5), (10, 6)] {
            let key = Key(tonic: tonic, mode: .minor)
            let piece = Self.piece(
                of: generator, in: key, seed: seed, length: 1_000, options: Self.options,
                guidance: KeyGuidance(
                    key: key, strength: KeyGuidance.defaultStrength, vocabulary: Self.vocabulary,
                    heldBy: GenerationControls.strictKeyProfiles))
            #expect(piece.notes.count > 20)
            #expect(GenerationControls.strictKeys(of: piece.midiFile()) == [key, key], "\(key.name)")
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
