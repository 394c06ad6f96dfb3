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

    /// The cosine decay ends at a tenth of the peak unless told; a final rate above the peak
    /// cannot train.
    @Test func theFinalLearningRateIsATenthOfThePeakUnlessGiven() throws {
        let plain = TrainingOptions(corpus: [], model: .transformer, tokenizer: .events)
        #expect(plain.finalLearningRate == plain.learningRate * TrainingOptions.defaultFinalRateShare)
        let quality = TrainingOptions(corpus: [], model: .transformer, tokenizer: .events, preset: .quality)
        #expect(quality.finalLearningRate == quality.learningRate * TrainingOptions.defaultFinalRateShare)
        let given = TrainingOptions(corpus: [], model: .transformer, tokenizer: .events, finalLearningRate: 0)
        #expect(given.finalLearningRate == 0 && given.problem == nil)
        let above = TrainingOptions(
            corpus: [], model: .transformer, tokenizer: .events, learningRate: 1e-3, finalLearningRate: 2e-3)
        #expect(above.problem == .finalLearningRateOutsidePeak(2e-3, peak: 1e-3))

        // A run decays to the rate it was given, which its last epoch records.
        let (folder, corpus) = try PipelineFixtures.scratchFolderWithRandomCorpus("final-rate")
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = TrainingOptions(
            corpus: [corpus.path], model: .transformer, tokenizer: .events, epochs: 1, batch: 4,
            context: 16, learningRate: 5e-3, finalLearningRate: 5e-5, seed: 3, width: 16, layers: 1)
        let run = RunFolder(folder.appendingPathComponent("run").path)
        try TrainingRun(options: options, folder: run, cacheFolder: nil, names: CorpusFiles.fileNamesOnly).run(
            resume: false)
        let trainer = try Checkpoint.loadTrainer(from: run.checkpoint)
        #expect(trainer.schedule.minimum == 5e-5 && trainer.schedule.rate(at: trainer.step) == 5e-5)
        let history = try run.read([EpochRecord].self, from: run.historyFile)
        #expect(history.last.map { abs($0.learningRate - 5e-5) < 1e-9 } == true)
    }

    @Test func runJSONWrittenBeforeTheRecipeStillLoads() throws {
        let old =
            #"{"corpus":["c"],"model":"transformer","tokenizer":"events","splitProtocol":"piece","epochs":1,"batch":4,"#
            + #""context":64,"learningRate":0.002,"seed":1,"patience":3,"validationWindows":10,"dropout":0.1}"#
        let options = try JSONDecoder().decode(TrainingOptions.self, from: Data(old.utf8))
        #expect(options.context == 64 && options.tempoStretch == nil && options.checkpointMinutes == nil)
        #expect(options.finalLearningRate == nil)
        #expect(options.decayEnd == options.learningRate * TrainingOptions.defaultFinalRateShare)
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
        let (folder, corpus) = try PipelineFixtures.scratchFolderWithRandomCorpus("kill")
        defer { try? FileManager.default.removeItem(at: folder) }
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

    @Test func contextWarmupKeepsTokensPerStepAndRejectsWhatCannotTrain() {
        // The demo preset's windows an eighth of its context long, 8 times as many a step.
        let demo = TrainingPreset.demo.settings
        let short = demo.context / demo.warmupShrink
        #expect(short * demo.warmupShrink == demo.context)
        let curriculum = TrainingOptions(corpus: [], model: .transformer, tokenizer: .events, contextWarmup: 0.3)
            .contextCurriculum
        #expect(curriculum == ContextCurriculum(share: 0.3, context: short, batch: demo.batch * demo.warmupShrink))
        // The default events Transformer trains most of a short budget on the short windows.
        #expect(
            TrainingOptions(corpus: [], model: .transformer, tokenizer: .events).contextCurriculum
                == ContextCurriculum(share: demo.contextWarmup, context: short, batch: demo.batch * demo.warmupShrink))
        let explicit = TrainingOptions(
            corpus: [], model: .transformer, tokenizer: .events, batch: 8, context: 512, contextWarmup: 0.5,
            warmupContext: 64)
        #expect(explicit.contextCurriculum == ContextCurriculum(share: 0.5, context: 64, batch: 64))
        #expect(
            TrainingOptions(corpus: [], model: .transformer, tokenizer: .events, contextWarmup: 0).contextCurriculum
                == nil)
        #expect(
            TrainingOptions(corpus: [], model: .transformer, tokenizer: .events, contextWarmup: 1).problem
                == .contextWarmupOutOfRange(1))
        #expect(
            TrainingOptions(corpus: [], model: .lstm, tokenizer: .events, contextWarmup: 0.2).problem
                == .contextWarmupNeedsTransformer(model: .lstm, splitProtocol: .piece))
        #expect(
            TrainingOptions(
                corpus: [], model: .transformer, tokenizer: .events, context: 512, contextWarmup: 0.2,
                warmupContext: 100
            ).problem == .warmupContextNotADivisor(warmupContext: 100, context: 512))
        #expect(
            TrainingOptions(
                corpus: [], model: .transformer, tokenizer: .events, context: 512, contextWarmup: 0.2,
                warmupContext: 512
            ).problem == .warmupContextNotADivisor(warmupContext: 512, context: 512))
        // The LSTM, the WaveNet and runs written before the curriculum train at one context.
        #expect(TrainingOptions(corpus: [], model: .lstm, tokenizer: .events).contextCurriculum == nil)
        #expect(TrainingOptions(corpus: [], model: .wavenet, tokenizer: .events).contextCurriculum == nil)
    }

    /// A decay moved at a curriculum's switch keeps the rate it had there and still ends at the
    /// minimum on the new last step; a warm-up still running is fitted to the new length.
    @Test func refittingTheScheduleAtTheSwitchKeepsTheRateAndMovesTheEnd() {
        var schedule = LearningRateSchedule(peak: 1e-3, minimum: 1e-4, warmupSteps: 10, totalSteps: 1000)
        let before = schedule.rate(at: 300)
        schedule.refit(totalSteps: 600, at: 300)
        #expect(abs(schedule.rate(at: 300) - before) < 1e-3 * 0.01)
        #expect(schedule.rate(at: 301) < schedule.rate(at: 300))
        #expect(abs(schedule.rate(at: 599) - 1e-4) < 1e-6 && schedule.rate(at: 600) == 1e-4)
        #expect(
            schedule.rate(at: 450)
                < LearningRateSchedule(
                    peak: 1e-3, minimum: 1e-4, warmupSteps: 10, totalSteps: 1000
                ).rate(at: 450))

        var warming = LearningRateSchedule(peak: 1e-3, minimum: 1e-4, totalSteps: 4000)
        warming.refit(totalSteps: 400, at: 20)
        #expect(warming.warmupSteps == 20 && warming.totalSteps == 400)
    }

    /// The switch carries parameters and AdamW moments over exactly, and the next step is the
    /// step a trainer built fresh for full windows takes from the same state.
    @Test func aSwitchedTrainerStepsLikeAFreshFullContextTrainerWithTheSameState() {
        let config = ModelConfig.transformer(
            vocabularySize: 11, width: 16, layers: 2, heads: 2, context: 16, dropout: 0.1)
        let schedule = LearningRateSchedule(peak: 3e-3, minimum: 3e-4, totalSteps: 10)
        let short = Trainer(model: Models.make(config, batch: 8, time: 4, seed: 5), schedule: schedule, seed: 5)
        var generator = SeededRandom(seed: 2)
        func batch(_ count: Int) -> [Int32] { (0..<count).map { _ in Int32(generator.next() % 11) } }
        for _ in 0..<3 { short.train(tokens: batch(32), targets: batch(32)) }

        let switched = short.reshaped(batch: 2, time: 16)
        func floats(_ buffer: FloatBuffer) -> [Float] {
            Array(UnsafeBufferPointer(start: buffer.base, count: buffer.count))
        }
        #expect(switched.model.batch == 2 && switched.model.time == 16 && switched.step == 3)
        #expect(floats(switched.model.parameters.values) == floats(short.model.parameters.values))
        #expect(floats(switched.firstMoments) == floats(short.firstMoments))
        #expect(floats(switched.secondMoments) == floats(short.secondMoments))

        let fresh = Trainer(
            model: Models.make(config, batch: 2, time: 16, seed: 99), optimizer: short.optimizer, schedule: schedule,
            seed: 0)
        #expect(floats(fresh.model.parameters.values) != floats(short.model.parameters.values))
        fresh.model.parameters.values.base.update(
            from: short.model.parameters.values.base, count: short.model.parameters.count)
        fresh.firstMoments.base.update(from: short.firstMoments.base, count: short.firstMoments.count)
        fresh.secondMoments.base.update(from: short.secondMoments.base, count: short.secondMoments.count)
        fresh.model.random = short.model.random
        fresh.step = short.step

        let tokens = batch(32), targets = batch(32)
        let switchedLoss = switched.train(tokens: tokens, targets: targets)
        let freshLoss = fresh.train(tokens: tokens, targets: targets)
        #expect(switchedLoss == freshLoss)
        #expect(floats(switched.model.parameters.values) == floats(fresh.model.parameters.values))
        #expect(floats(switched.secondMoments) == floats(fresh.secondMoments))
        #expect(floats(switched.model.parameters.values) != floats(short.model.parameters.values))
    }

    /// A curriculum's short phase fills its batch with windows of its own context: every row
    /// is a window of that length whose targets are its tokens moved on by one, with header
    /// windows, bar-infilling examples and transpositions drawn as in full windows.
    @Test func shortPhaseBatchesAreWindowsOfTheShortContext() throws {
        let melody = (0..<60).flatMap { index in
            ["Bar", "Pos_0", "Pitch_\([60, 64, 67, 72][index % 4])", "Dur_12", "Vel_8"]
        }
        let corpus = TokenizedCorpus(
            tokenizer: .events,
            pieces: (0..<10).map { .init(name: "p\($0)", contentHash: UInt64($0), tokens: melody) })
        let dataset = Dataset(corpus: corpus, splitProtocol: .piece, seed: 3)
        let options = TrainingOptions(
            corpus: [], model: .transformer, tokenizer: .events, batch: 4, context: 64, transpose: 5,
            infillShare: 0.5, contextWarmup: 0.5, warmupContext: 16)
        let curriculum = try #require(options.contextCurriculum)
        let run = TrainingRun(
            options: options, folder: RunFolder("/nonexistent"), cacheFolder: nil, names: CorpusFiles.fileNamesOnly)
        let windows = run.trainingWindows(dataset, context: curriculum.context)
        #expect(windows.count > run.trainingWindows(dataset).count)
        let vocabulary = dataset.vocabulary
        var sampler = SeededRandom(seed: 1)
        var tokens = [Int32](repeating: -1, count: 4 * 64), targets = tokens
        run.fillBatch(
            dataset: dataset, windows: windows,
            augmentation: .init(
                infill: BarInfill(vocabulary: vocabulary, share: 0.5),
                transposition: Transposition(vocabulary: vocabulary, maximum: 5)),
            batch: curriculum.batch, context: curriculum.context, sampler: &sampler, tokens: &tokens,
            targets: &targets)
        #expect(curriculum.batch * curriculum.context == tokens.count)
        #expect(!tokens.contains(-1) && !targets.contains(-1))
        let rows = (0..<curriculum.batch).map { row in row * curriculum.context..<(row + 1) * curriculum.context }
        for (row, range) in rows.enumerated() {
            #expect(Array(tokens[range].dropFirst()) == Array(targets[range].dropLast()), "row \(row)")
        }
        let pitches = Set(vocabulary.strings(of: tokens).filter { $0.hasPrefix("Pitch_") })
        #expect(pitches.count > 4, "transposed: \(pitches.sorted())")
    }

    /// Killed in the short phase or after the switch, a curriculum run resumes in the phase it
    /// was in, with the same batch stream, and finishes exactly as the run never interrupted.
    @Test(arguments: [1, 3])
    func aKilledCurriculumRunResumesInItsPhase(killQuarter: Int) throws {
        let (folder, corpus) = try PipelineFixtures.scratchFolderWithRandomCorpus("curriculum")
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = TrainingOptions(
            corpus: [corpus.path], model: .transformer, tokenizer: .events, epochs: 2, batch: 2,
            context: 16, learningRate: 5e-3, seed: 3, width: 16, layers: 1, checkpointMinutes: 1e-9,
            contextWarmup: 0.5, warmupContext: 4)
        let whole = RunFolder(folder.appendingPathComponent("whole").path)
        try TrainingRun(options: options, folder: whole, cacheFolder: nil, names: CorpusFiles.fileNamesOnly).run(
            resume: false)
        let finished = try Checkpoint.loadTrainer(from: whole.checkpoint)
        #expect(finished.model.time == 16 && finished.model.batch == 2)
        let totalSteps = finished.step
        #expect(totalSteps >= 8)

        let plain = RunFolder(folder.appendingPathComponent("plain").path)
        var withoutCurriculum = options
        withoutCurriculum.contextWarmup = 0
        try TrainingRun(options: withoutCurriculum, folder: plain, cacheFolder: nil, names: CorpusFiles.fileNamesOnly)
            .run(resume: false)
        let plainFinished = try Checkpoint.loadTrainer(from: plain.checkpoint)
        func floats(_ buffer: FloatBuffer) -> [Float] {
            Array(UnsafeBufferPointer(start: buffer.base, count: buffer.count))
        }
        #expect(plainFinished.step == totalSteps)
        #expect(floats(plainFinished.model.parameters.values) != floats(finished.model.parameters.values))

        let killed = RunFolder(folder.appendingPathComponent("killed").path)
        var interrupted = TrainingRun(
            options: options, folder: killed, cacheFolder: nil, names: CorpusFiles.fileNamesOnly)
        let killStep = totalSteps * killQuarter / 4
        interrupted.stopsAfterStep = killStep
        #expect(throws: TrainingRun.Interrupted(step: killStep)) { try interrupted.run(resume: false) }
        let left = try Checkpoint.loadTrainer(from: killed.checkpoint)
        #expect(left.step == killStep)
        let shortPhase = killStep < totalSteps / 2
        #expect(left.model.time == (shortPhase ? 4 : 16) && left.model.batch == (shortPhase ? 8 : 2))

        try TrainingRun(options: options, folder: killed, cacheFolder: nil, names: CorpusFiles.fileNamesOnly).run(
            resume: true)
        let resumed = try Checkpoint.loadTrainer(from: killed.checkpoint)
        #expect(resumed.step == finished.step && resumed.model.time == 16)
        #expect(floats(resumed.model.parameters.values) == floats(finished.model.parameters.values))
        #expect(floats(resumed.firstMoments) == floats(finished.firstMoments))
        #expect(floats(resumed.secondMoments) == floats(finished.secondMoments))
        #expect(resumed.sampler.state == finished.sampler.state)
        let history = try killed.read([EpochRecord].self, from: killed.historyFile)
        let wholeHistory = try whole.read([EpochRecord].self, from: whole.historyFile)
        #expect(history.map(\.validationLoss) == wholeHistory.map(\.validationLoss))
    }
}
