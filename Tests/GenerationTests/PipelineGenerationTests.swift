import Foundation
import MIDIFile
import MusicTheory
import Testing

@testable import Generation

@Suite struct PipelineSamplingTests {
    let logits: [Float] = [0.5, 2.0, 1.0, -1.0]

    @Test func temperatureZeroAndTinyNucleusTakeTheMostLikelyToken() {
        var random = SeededRandom(seed: 1)
        #expect(SamplingOptions(temperature: 0).sample(logits: logits, random: &random) == 1)
        #expect(SamplingOptions(temperature: 1, topK: 1).sample(logits: logits, random: &random) == 1)
        #expect(SamplingOptions(temperature: 1, topP: 0.01).sample(logits: logits, random: &random) == 1)
    }

    @Test func samplingFollowsTheSoftmaxNotTheArgmax() {
        var random = SeededRandom(seed: 9)
        let options = SamplingOptions(temperature: 1, topP: 1)
        var counts = [Int](repeating: 0, count: logits.count)
        for _ in 0..<20_000 { counts[Int(options.sample(logits: logits, random: &random))] += 1 }
        let weights = logits.map { exp(Double($0)) }, total = weights.reduce(0, +)
        for (index, count) in counts.enumerated() {
            #expect(abs(Double(count) / 20_000 - weights[index] / total) < 0.015, "token \(index)")
        }
        // top-k 2 never draws the two least likely tokens.
        let topTwo = SamplingOptions(temperature: 1, topK: 2, topP: 1)
        #expect((0..<2000).allSatisfy { _ in [1, 2].contains(topTwo.sample(logits: logits, random: &random)) })
    }

    @Test func generationWithASeedIsReproducible() {
        let model = Models.make(
            .lstm(vocabularySize: 20, embedding: 8, hidden: 8, layers: 1), batch: 1, time: 6, seed: 4)
        let generator = TokenGenerator(model: model)
        func sample(seed: UInt64) -> [Int32] {
            var random = SeededRandom(seed: seed)
            return generator.continuation(
                of: [3, 5], length: 30, options: SamplingOptions(temperature: 1.5, topP: 1), random: &random)
        }
        let first = sample(seed: 42)
        #expect(first.count == 30)
        #expect(sample(seed: 42) == first)
        #expect(sample(seed: 43) != first)
    }

    @Test func aCausalModelIgnoresThePaddingAfterTheContext() {
        let model = Models.make(
            .wavenet(vocabularySize: 12, channels: 4, skipChannels: 4, blocks: 2), batch: 1, time: 8, seed: 2)
        func logits(padding: Int32) -> [Float] {
            let window: [Int32] = [1, 2, 3, padding, padding, padding, padding, padding]
            window.withUnsafeBufferPointer { _ = model.forward(tokens: $0.baseAddress!, targets: nil, training: false) }
            return model.logits(sequence: 0, position: 2)
        }
        #expect(logits(padding: 0) == logits(padding: 7))
    }
}

@Suite struct PipelineTrainingRunTests {
    @Test func aTinyRunTrainsValidatesKeepsTheBestAndGenerates() throws {
        let (folder, corpus) = try PipelineFixtures.scratchFolderWithRandomCorpus("run")
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = TrainingOptions(
            corpus: [corpus.path], model: .lstm, tokenizer: .events, epochs: 2, batch: 4, context: 16,
            learningRate: 5e-3, seed: 3, width: 16, layers: 1)
        let runFolder = RunFolder(folder.appendingPathComponent("run").path)
        let summary = try TrainingRun(
            options: options, folder: runFolder, cacheFolder: nil, names: CorpusFiles.fileNamesOnly
        ).run(resume: false)
        #expect(summary.epochs == 2)
        #expect(
            summary.validationLoss.isFinite
                && summary.validationLoss < log(Double(EventTokenizer.standard.vocabulary.count)))
        let description = try runFolder.read(RunFolder.Description.self, from: runFolder.runFile)
        #expect(Set(description.training).isDisjoint(with: description.validation + description.test))
        #expect(description.training.count + description.validation.count + description.test.count == 12)
        let history = try runFolder.read([EpochRecord].self, from: runFolder.historyFile)
        #expect(history.map(\.epoch) == [1, 2])
        #expect(history.min { $0.validationLoss < $1.validationLoss }?.epoch == summary.bestEpoch)

        // Resuming with more epochs goes on from epoch 3.
        var more = options
        more.epochs = 3
        let resumed = try TrainingRun(
            options: more, folder: runFolder, cacheFolder: nil, names: CorpusFiles.fileNamesOnly
        ).run(resume: true)
        #expect(resumed.epochs == 3)

        let generator = try PieceGenerator(run: TrainedRun(runFolder.path, names: CorpusFiles.fileNamesOnly))
        let output = folder.appendingPathComponent("out.mid").path
        let result = try generator.generate(PieceGenerator.Request(length: 60, seed: 5), to: output)
        let again = try generator.generate(PieceGenerator.Request(length: 60, seed: 5), to: output + ".again.mid")
        #expect((1...60).contains(result.tokens))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: output))
                == Data(contentsOf: URL(fileURLWithPath: output + ".again.mid")))
        #expect(again.clearance.matches == result.clearance.matches)
        _ = try MIDIReader.read(contentsOf: output)

        // Controls: meter, tempo and bars exact; the key conditioned and reported; a plain
        // folder's style is its name, and any other style is refused with the run's styles.
        #expect(EventTokenizer.styles(in: generator.run.vocabulary) == ["corpus"])
        let dMinor = Key(tonic: 2, mode: .minor)
        let controls = GenerationControls(
            style: "corpus", key: dMinor, meter: TokenMeter(numerator: 3, denominator: 4), bpm: 92, bars: 4)
        let steered = try generator.generate(
            PieceGenerator.Request(length: 4 * GenerationControls.tokensPerBar, seed: 2, controls: controls),
            to: output + ".steered.mid")
        #expect(steered.bars == 4 && steered.key != nil && steered.keyMatches == (steered.key == dMinor.name))
        let written = QuantisedPiece(try MIDIReader.read(contentsOf: output + ".steered.mid").file)
        #expect(written.meters == [.init(bar: 0, meter: TokenMeter(numerator: 3, denominator: 4))])
        #expect(written.bars(through: written.lastEventStep).count == 4)
        #expect(throws: GenerationControlError.unknownStyle("rock", known: ["corpus"])) {
            try generator.generate(
                PieceGenerator.Request(controls: GenerationControls(style: "rock")), to: output + ".rock.mid")
        }
        var strict = controls
        strict.keyStrict = true
        do {
            let result = try generator.generate(
                PieceGenerator.Request(
                    length: 4 * GenerationControls.tokensPerBar, seed: 2, attempts: 3, controls: strict),
                to: output + ".strict.mid")
            #expect(result.keyMatches == true)
        } catch GenerationControlError.keyNotReached(_, let asked, _, let attempts) {
            #expect(asked == dMinor && attempts == 3)
            #expect(!FileManager.default.fileExists(atPath: output + ".strict.mid"))
        }
    }
}
