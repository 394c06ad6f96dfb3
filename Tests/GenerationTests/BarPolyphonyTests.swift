import Foundation
import Testing

@testable import Generation

/// Every bar names its texture (`BarPolyphony`), the grammar holds a piece at a level asked
/// for, and `generate` draws a level as often as the training pieces have it.
@Suite struct BarPolyphonyTests {
    let tokenizer = EventTokenizer.standard

    /// Four 4/4 bars (48 steps each): a line of quarters; three-note chords held a half note
    /// each; a whole-note bass under a line of quarters (2 sounding at every onset, the bass
    /// held over at three of them); nothing; and a drum hit alone, which has no pitch.
    var piece: QuantisedPiece {
        var notes: [QuantisedPiece.Note] = (0..<4).map {
            .init(onset: $0 * 12, duration: 12, pitch: 60 + $0, velocityBucket: 8)
        }
        for onset in [48, 72] {
            notes += [60, 64, 67].map { .init(onset: onset, duration: 24, pitch: $0, velocityBucket: 8) }
        }
        notes.append(.init(onset: 96, duration: 48, pitch: 36, velocityBucket: 8))
        notes += (0..<4).map { .init(onset: 96 + $0 * 12, duration: 12, pitch: 72 + $0, velocityBucket: 8) }
        notes.append(.init(onset: 192, duration: 3, pitch: 36, velocityBucket: 8, instrument: .drums))
        return QuantisedPiece(notes: notes, tempos: [], meters: [])
    }

    @Test func levelsCountTheNotesSoundingAtEachOnsetOfTheBar() {
        let bars = piece.bars(through: piece.lastEventStep)
        #expect(bars.count == 5)
        // 1 note (under 1.5: level 1); 3 (3 up to 3.5: level 5); 2 (2 up to 2.5: level 3); no onset; drums only.
        #expect(BarPolyphony.levels(of: piece, bars: bars) == [1, 5, 3, 0, 0])
        #expect(BarPolyphony.level(polyphony: 1.49) == 1 && BarPolyphony.level(polyphony: 1.5) == 2)
        #expect(BarPolyphony.level(polyphony: 6) == BarPolyphony.levels - 1)
        #expect(BarPolyphony.medianLevel([0, 5, 1, 0, 3]) == 3)
        #expect(BarPolyphony.medianLevel([0, 0]) == nil)
    }

    @Test func everyBarNamesItsLevelAfterItsMeterAndTheNotesRoundTrip() {
        let tokens = tokenizer.tokens(for: piece)
        let named = tokens.indices.filter { tokens[$0] == "Bar" }.map { tokens[$0 + 2] }
        #expect(named == ["Polyphony_1", "Polyphony_5", "Polyphony_3", "Polyphony_0", "Polyphony_0"])
        #expect(tokens.indices.filter { tokens[$0] == "Bar" }.allSatisfy { tokens[$0 + 1].hasPrefix("Meter_") })
        #expect(tokenizer.piece(from: tokens).notes == piece.notes)
        let vocabulary = tokenizer.vocabulary
        #expect(TokenGrammar(vocabulary: vocabulary)!.accepts(vocabulary.ids(of: tokens)))
        #expect((0..<BarPolyphony.levels).allSatisfy { vocabulary.id(of: BarPolyphony.token(level: $0)) != nil })
        #expect(BarPolyphony.level(ofToken: "Polyphony_\(BarPolyphony.levels)") == nil)
    }

    /// Without a level asked, a bar may name one or not, once; with one, it must name exactly it.
    @Test func aLevelAskedForIsNamedByEveryBarAndNoOtherIs() throws {
        let vocabulary = tokenizer.vocabulary
        var grammar = try #require(TokenGrammar(vocabulary: vocabulary))
        func allowed(after tokens: [String]) -> [String] {
            var logits = [Float](repeating: 0, count: vocabulary.count)
            grammar.mask(&logits, after: vocabulary.ids(of: tokens))
            return logits.indices.filter { logits[$0].isFinite }.map { vocabulary.tokens[$0] }
        }
        let free = allowed(after: ["Bar", "Meter_4/4"])
        #expect(free.filter { $0.hasPrefix("Polyphony_") }.count == BarPolyphony.levels)
        #expect(free.contains("Pos_0") && free.contains("Bar"))
        #expect(!allowed(after: ["Bar", "Meter_4/4", "Polyphony_4"]).contains { $0.hasPrefix("Polyphony_") })
        grammar.constraints.polyphony = 4
        #expect(allowed(after: ["Bar", "Meter_4/4"]) == ["Polyphony_4"])
        #expect(allowed(after: ["Bar", "Meter_4/4", "Polyphony_4"]).contains("Pos_0"))
        let bar = ["Bar", "Meter_4/4", "Polyphony_4", "Pos_0", "Pitch_60", "Dur_6", "Vel_8"]
        #expect(grammar.accepts(vocabulary.ids(of: bar + bar + ["End"])))
        #expect(!grammar.accepts(vocabulary.ids(of: bar + ["Bar", "Meter_4/4", "Pos_0", "End"])))
        #expect(!grammar.accepts(vocabulary.ids(of: ["Bar", "Meter_4/4", "Polyphony_3", "Pos_0", "End"])))
    }

    /// An untrained model sampled under an asked level and a bar budget: every bar names the
    /// level, and the piece still closes with exactly its bars.
    @Test func sampledBarsNameTheAskedLevelAndABarBudgetStillCloses() throws {
        let vocabulary = tokenizer.vocabulary
        var grammar = try #require(TokenGrammar(vocabulary: vocabulary))
        grammar.constraints = .init(bars: 3, polyphony: 6)
        let model = Models.make(
            ModelConfig.transformer(vocabularySize: vocabulary.count, width: 32, layers: 1, heads: 1, context: 64),
            batch: 1, time: 64, seed: 3)
        let prompt = vocabulary.ids(of: ["Bar", "Meter_4/4", "Polyphony_6"])
        for seed in 1...6 {
            var random = SeededRandom(seed: UInt64(seed))
            let ids = TokenGenerator(model: model, grammar: grammar).continuation(
                of: prompt, length: 60, options: SamplingOptions(temperature: 1, topK: 0, topP: 1), random: &random)
            let tokens = vocabulary.strings(of: prompt + ids)
            let bars = tokens.indices.filter { tokens[$0] == "Bar" }
            #expect(bars.count == 3, "\(tokens)")
            #expect(bars.allSatisfy { tokens[$0 + 2] == "Polyphony_6" }, "\(tokens)")
            #expect(ids.last == grammar.endToken, "\(tokens)")
        }
    }

    @Test func trainingPiecesAreCountedByTheirMedianLevelAndDrawnAsOften() throws {
        let vocabulary = tokenizer.vocabulary(styles: ["jazz", "classical"])
        func ids(style: String, levels: [Int]) -> ArraySlice<Int32> {
            let bars = levels.flatMap {
                ["Bar", "Meter_4/4", BarPolyphony.token(level: $0), "Pos_0", "Pitch_60", "Dur_4", "Vel_4"]
            }
            return vocabulary.ids(of: ["Style_\(style)"] + bars + ["End"])[...]
        }
        let textures = TrainingPolyphony(
            pieces: [
                ids(style: "jazz", levels: [5, 6, 0, 6]), ids(style: "jazz", levels: [6, 6, 2]),
                ids(style: "jazz", levels: [3, 0, 3]), ids(style: "classical", levels: [2, 1, 2]),
                ids(style: "classical", levels: [0, 0]),
            ], vocabulary: vocabulary)
        #expect(
            textures.counts == [
                .init(style: "classical", level: 2, pieces: 1), .init(style: "jazz", level: 3, pieces: 1),
                .init(style: "jazz", level: 6, pieces: 2),
            ])
        var random = SeededRandom(seed: 11)
        let drawn = (0..<3000).map { _ in textures.draw(style: "jazz", random: &random)! }
        #expect(Set(drawn) == [3, 6])
        let share: Double = Double(drawn.filter { $0 == 6 }.count) / 3000
        #expect(abs(share - 2.0 / 3) < 0.03)
        #expect(textures.draw(style: "classical", random: &random) == 2)
        #expect(TrainingPolyphony(counts: []).draw(style: nil, random: &random) == nil)
    }

    @Test func controlsOpenWithTheLevelAndRefuseOneTheVocabularyCannotSay() {
        let vocabulary = tokenizer.vocabulary
        let controls = GenerationControls(polyphony: 5)
        #expect(
            controls.openingTokens == [
                "Bar", "Meter_4/4", "Polyphony_5", "Pos_0", "Tempo_\(TempoBuckets.bucket(bpm: 120))",
            ])
        #expect(controls.constraints.polyphony == 5)
        #expect(controls.problem(vocabulary: vocabulary, hasPrompt: false) == nil)
        #expect(
            GenerationControls(polyphony: 0).problem(vocabulary: vocabulary, hasPrompt: false)
                == .polyphonyOutOfRange(0))
        let before = Vocabulary(
            tokenizer: EventTokenizer.name, version: 4,
            tokens: vocabulary.tokens.filter { BarPolyphony.level(ofToken: $0) == nil })
        #expect(controls.problem(vocabulary: before, hasPrompt: false) == .needsPolyphonyTokens(tokenizer: "events v4"))
    }
}
