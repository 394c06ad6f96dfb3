import Testing

@testable import Generation

@Suite struct TranspositionTests {
    let vocabulary = EventTokenizer.standard.vocabulary

    @Test func shiftsPitchesAndNothingElse() throws {
        let transposition = try #require(Transposition(vocabulary: vocabulary, maximum: 5))
        let piece = vocabulary.ids(of: ["Bar", "Pos_0", "Pitch_60", "Dur_12", "Vel_8", "Pitch_64", "Dur_6", "Vel_9"])
        let up = try #require(transposition.shifted(piece, by: 3))
        #expect(
            vocabulary.strings(of: up) == ["Bar", "Pos_0", "Pitch_63", "Dur_12", "Vel_8", "Pitch_67", "Dur_6", "Vel_9"])
        let down = try #require(transposition.shifted(piece, by: -5))
        #expect(
            vocabulary.strings(of: down) == [
                "Bar", "Pos_0", "Pitch_55", "Dur_12", "Vel_8", "Pitch_59", "Dur_6", "Vel_9",
            ])
        #expect(transposition.shifted(piece, by: 0) == piece)
    }

    @Test func refusesToLeaveTheMIDIRange() throws {
        let transposition = try #require(Transposition(vocabulary: vocabulary, maximum: 5))
        let top = vocabulary.ids(of: ["Pitch_60", "Pitch_125"])
        #expect(transposition.shifted(top, by: 2) != nil)
        #expect(transposition.shifted(top, by: 3) == nil)
    }

    @Test func onlyEventTokensAndPositiveShifts() {
        #expect(
            Transposition(vocabulary: Vocabulary(tokenizer: "notes", version: 1, tokens: ["C4", "0.4.7"]), maximum: 5)
                == nil)
        #expect(Transposition(vocabulary: vocabulary, maximum: 0) == nil)
        #expect(
            TrainingOptions(corpus: ["x"], model: .wavenet, tokenizer: .notes, transpose: 5).problem
                == .transpositionNeedsEventTokens(transpose: 5, tokenizer: .notes))
        #expect(TrainingOptions(corpus: ["x"], model: .wavenet, tokenizer: .events, transpose: 5).problem == nil)
    }

    /// Training batches hold the same melody in several keys, its intervals intact, and
    /// each row's targets are its tokens moved on by one.
    @Test func trainingBatchesAreTransposedWindows() throws {
        let melody = (0..<40).flatMap { index in
            ["Pos_\(index % 4 * 12)", "Pitch_\([60, 64, 67, 72][index % 4])", "Dur_12", "Vel_8"]
        }
        let corpus = TokenizedCorpus(
            tokenizer: .events,
            pieces: (0..<10).map { .init(name: "p\($0)", contentHash: UInt64($0), tokens: ["Bar"] + melody) })
        let dataset = Dataset(corpus: corpus, splitProtocol: .piece, seed: 3)
        let options = TrainingOptions(
            corpus: [], model: .wavenet, tokenizer: .events, batch: 64, context: 8, transpose: 5)
        let run = TrainingRun(
            options: options, folder: RunFolder("/nonexistent"), cacheFolder: nil, names: CorpusFiles.fileNamesOnly)
        let transposition = try #require(Transposition(vocabulary: dataset.vocabulary, maximum: 5))
        var sampler = SeededRandom(seed: 1)
        var tokens = [Int32](repeating: 0, count: 64 * 8), targets = tokens
        run.fillBatch(
            dataset: dataset, windows: dataset.windows(of: dataset.training, context: 8, stride: 1),
            augmentation: .init(transposition: transposition, tempoStretch: nil), batch: 64, context: 8,
            sampler: &sampler, tokens: &tokens, targets: &targets)

        var pitchesSeen: Set<Int> = []
        for row in 0..<64 {
            let pitches = vocabulary.strings(of: Array(tokens[row * 8..<row * 8 + 8])).compactMap {
                $0.hasPrefix("Pitch_") ? Int($0.dropFirst(6)) : nil
            }
            let steps = zip(pitches, pitches.dropFirst()).map { $1 - $0 }
            #expect(steps.allSatisfy { [4, 3, 5, -12].contains($0) }, "row \(row): \(pitches)")
            pitchesSeen.formUnion(pitches)
            #expect(Array(tokens[row * 8 + 1..<row * 8 + 8]) == Array(targets[row * 8..<row * 8 + 7]))
        }
        // As written the melody has 4 pitches; moved by −5…+5 it has up to 4 × 11.
        #expect(pitchesSeen.count > 12, "pitches seen: \(pitchesSeen.sorted())")
    }
}
