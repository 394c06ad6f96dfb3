import Testing
@testable import Generation

@Suite struct TranspositionTests {
    let vocabulary = EventTokenizer.standard.vocabulary

    @Test func shiftsPitchesAndNothingElse() throws {
        let transposition = try #require(Transposition(vocabulary: vocabulary, maximum: 5))
        let piece = vocabulary.ids(of: ["Bar", "Pos_0", "Pitch_60", "Dur_12", "Vel_8", "Pitch_64", "Dur_6", "Vel_9"])
        let up = try #require(transposition.shifted(piece, by: 3))
        #expect(vocabulary.strings(of: up) == ["Bar", "Pos_0", "Pitch_63", "Dur_12", "Vel_8", "Pitch_67", "Dur_6", "Vel_9"])
        let down = try #require(transposition.shifted(piece, by: -5))
        #expect(vocabulary.strings(of: down) == ["Bar", "Pos_0", "Pitch_55", "Dur_12", "Vel_8", "Pitch_59", "Dur_6", "Vel_9"])
        #expect(transposition.shifted(piece, by: 0) == piece)
    }

    @Test func refusesToLeaveTheMIDIRange() throws {
        let transposition = try #require(Transposition(vocabulary: vocabulary, maximum: 5))
        let top = vocabulary.ids(of: ["Pitch_60", "Pitch_125"])
        #expect(transposition.shifted(top, by: 2) != nil)
        #expect(transposition.shifted(top, by: 3) == nil)
    }

    @Test func onlyEventTokensAndPositiveShifts() {
        #expect(Transposition(vocabulary: Vocabulary(tokenizer: "notes", version: 1, tokens: ["C4", "0.4.7"]), maximum: 5) == nil)
        #expect(Transposition(vocabulary: vocabulary, maximum: 0) == nil)
        #expect(TrainingOptions(corpus: ["x"], model: .wavenet, tokenizer: .notes, transpose: 5).problem?.contains("--transpose") == true)
        #expect(TrainingOptions(corpus: ["x"], model: .wavenet, tokenizer: .events, transpose: 5).problem == nil)
    }
}
