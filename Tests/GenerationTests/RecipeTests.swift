import Foundation
import MIDIFile
import Testing

@testable import Generation

/// The small-corpus recipe: presets and defaults, Transformer dropout, tempo stretch, and
/// periodic checkpoints that a killed run resumes from.
@Suite struct RecipeTests {
    @Test func eventsTransformerDefaultsCoverLongContextsAndPresetsGiveWayToFlags() {
        let plain = TrainingOptions(corpus: [], model: .transformer, tokenizer: .events)
        #expect(plain.context >= 512)
        #expect(plain.epochs == 10 && plain.minutes == nil)
        #expect(plain.weightDecay == 0.1 && plain.dropout == TrainingPreset.demo.settings.dropout)
        #expect(plain.transpose == 3 && plain.tempoStretch == 1)
        #expect(plain.modelConfig(vocabularySize: 10).dropout == plain.dropout)
        #expect(TrainingOptions(corpus: [], model: .transformer, tokenizer: .events, dropout: 0.2).dropout == 0.2)

        let quality = TrainingOptions(corpus: [], model: .transformer, tokenizer: .events, preset: .quality)
        #expect(quality.minutes == TrainingPreset.quality.settings.minutes && quality.epochs == nil)
        #expect(quality.width == 256 && quality.layers == 6 && quality.context == 1024)
        #expect(quality.dropout == TrainingPreset.quality.settings.dropout && quality.dropout > 0)

        let overridden = TrainingOptions(
            corpus: [], model: .transformer, tokenizer: .events, preset: .quality, epochs: 2,
            context: 64, width: 128)
        #expect(overridden.minutes == nil && overridden.epochs == 2)
        #expect(overridden.context == 64 && overridden.width == 128 && overridden.layers == 6)

        // The notes vocabulary and the LSTM keep their old defaults.
        let lstm = TrainingOptions(corpus: [], model: .lstm, tokenizer: .notes)
        #expect(lstm.context == 64 && lstm.transpose == nil && lstm.tempoStretch == nil)
        #expect(lstm.dropout == TrainingOptions.defaultDropout)
        #expect(
            TrainingOptions(corpus: [], model: .lstm, tokenizer: .notes, tempoStretch: 1).problem
                == .tempoStretchNeedsEventTokens(buckets: 1, tokenizer: .notes))
        #expect(
            TrainingOptions(corpus: [], model: .transformer, tokenizer: .events, checkpointMinutes: 0).problem
                == .checkpointIntervalNotPositive(minutes: 0))
    }

    @Test func runJSONWrittenBeforeTheRecipeStillLoads() throws {
        let old =
            #"{"corpus":["c"],"model":"transformer","tokenizer":"events","splitProtocol":"piece","epochs":1,"batch":4,"#
            + #""context":64,"learningRate":0.002,"seed":1,"patience":3,"validationWindows":10,"dropout":0.1}"#
        let options = try JSONDecoder().decode(TrainingOptions.self, from: Data(old.utf8))
        #expect(options.context == 64 && options.tempoStretch == nil && options.checkpointMinutes == nil)
    }

    @Test func tempoStretchMovesEveryTempoTogetherAndNothingElse() throws {
        let vocabulary = EventTokenizer.standard.vocabulary
        let stretch = try #require(TempoStretch(vocabulary: vocabulary, maximum: 2))
        let tokens = vocabulary.ids(of: [
            "Bar", "Pos_0", "Tempo_20", "Pitch_60", "Dur_12", "Vel_8", "Pos_12", "Tempo_39",
        ])
        let faster = vocabulary.strings(of: stretch.stretched(tokens, by: 2))
        #expect(faster == ["Bar", "Pos_0", "Tempo_22", "Pitch_60", "Dur_12", "Vel_8", "Pos_12", "Tempo_39"])
        let slower = vocabulary.strings(of: stretch.stretched(tokens, by: -1))
        #expect(slower == ["Bar", "Pos_0", "Tempo_19", "Pitch_60", "Dur_12", "Vel_8", "Pos_12", "Tempo_38"])
        #expect(TempoStretch(vocabulary: vocabulary, maximum: 0) == nil)
    }

    /// With the masks held fixed, the dropout path's gradients match central differences.
    @Test func transformerDropoutGradientsMatchCentralDifferences() {
        let config = ModelConfig.transformer(vocabularySize: 7, width: 8, layers: 2, heads: 2, context: 8, dropout: 0.3)
        let batch = 2, time = 6
        let model = Models.make(config, batch: batch, time: time, seed: 42)
        var generator = SeededRandom(seed: 9)
        let tokens = (0..<(batch * time)).map { _ in Int32(generator.next() % 7) }
        let targets = (0..<(batch * time)).map { _ in Int32(generator.next() % 7) }
        let masks = model.random
        func loss() -> Double {
            model.random = masks
            return Double(model.forward(tokens: tokens, targets: targets, training: true)!)
        }
        let withoutDropout = Double(model.forward(tokens: tokens, targets: targets, training: false)!)
        model.parameters.grads.zero()
        let dropped = loss()
        #expect(dropped != withoutDropout)
        model.backward()
        let analyticGradients = Array(
            UnsafeBufferPointer(start: model.parameters.grads.base, count: model.parameters.count))
        let values = model.parameters.values.base
        for entry in model.parameters.layout.entries where entry.shape.count == 2 {
            let position = entry.offset + entry.count / 2
            let original = values[position]
            let step: Float = 3e-3
            values[position] = original + step
            let plus = loss()
            values[position] = original - step
            let minus = loss()
            values[position] = original
            let numeric = Float((plus - minus) / (2 * Double(step)))
            let analytic = analyticGradients[position]
            #expect(abs(numeric - analytic) <= 3e-2 * abs(analytic) + 3e-4, "\(entry.name): \(analytic) vs \(numeric)")
        }
    }

    /// A run killed mid-epoch (stopped after a step, without the epoch's end) resumes from
    /// its last periodic checkpoint at the same step with the same optimizer moments, and
    /// finishes exactly as the run that was never interrupted.
    @Test func aKilledRunResumesFromItsLastPeriodicCheckpoint() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tunesmith-kill-\(UUID().uuidString)")
        let corpus = folder.appendingPathComponent("corpus")
        defer { try? FileManager.default.removeItem(at: folder) }
        try PipelineFixtures.writeRandomCorpus(in: corpus)
        // An interval far below one step's time: every step leaves a checkpoint behind.
        let options = TrainingOptions(
            corpus: [corpus.path], model: .transformer, tokenizer: .events, epochs: 2, batch: 4,
            context: 16, learningRate: 5e-3, seed: 3, width: 16, layers: 1,
            checkpointMinutes: 1e-9)
        let whole = RunFolder(folder.appendingPathComponent("whole").path)
        try TrainingRun(options: options, folder: whole, cacheFolder: nil, names: CorpusFiles.fileNamesOnly).run(
            resume: false)
        let finished = try Checkpoint.loadTrainer(from: whole.checkpoint)
        let stepsPerEpoch = finished.step / 2
        #expect(stepsPerEpoch >= 4)

        let killed = RunFolder(folder.appendingPathComponent("killed").path)
        var interrupted = TrainingRun(
            options: options, folder: killed, cacheFolder: nil, names: CorpusFiles.fileNamesOnly)
        let killStep = stepsPerEpoch + stepsPerEpoch / 2
        interrupted.stopsAfterStep = killStep
        #expect(throws: TrainingRun.Interrupted(step: killStep)) { try interrupted.run(resume: false) }
        let left = try Checkpoint.loadTrainer(from: killed.checkpoint)
        #expect(left.step == killStep)
        let progress = try killed.read(EpochProgress.self, from: killed.epochProgressFile)
        #expect(progress.step == killStep && progress.lossSum > 0)

        let summary = try TrainingRun(
            options: options, folder: killed, cacheFolder: nil, names: CorpusFiles.fileNamesOnly
        )
        .run(resume: true)
        #expect(summary.epochs == 2)
        let resumed = try Checkpoint.loadTrainer(from: killed.checkpoint)
        #expect(resumed.step == finished.step)
        func floats(_ buffer: FloatBuffer) -> [Float] {
            Array(UnsafeBufferPointer(start: buffer.base, count: buffer.count))
        }
        #expect(floats(resumed.model.parameters.values) == floats(finished.model.parameters.values))
        #expect(floats(resumed.firstMoments) == floats(finished.firstMoments))
        #expect(floats(resumed.secondMoments) == floats(finished.secondMoments))
        let history = try killed.read([EpochRecord].self, from: killed.historyFile)
        #expect(history.map(\.steps) == [stepsPerEpoch, stepsPerEpoch])
    }
}
