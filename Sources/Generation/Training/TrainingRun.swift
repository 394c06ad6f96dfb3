import Foundation

/// What a training run reports while it works, for a progress bar or a log.
public struct TrainingProgress: Sendable {
    public var tokenizing: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    public var step:
        @Sendable (
            _ epoch: Int, _ step: Int, _ steps: Int, _ loss: Double, _ tokensPerSecond: Double, _ secondsLeft: Double?
        ) -> Void = { _, _, _, _, _, _ in }
    public var epochEnded: @Sendable (EpochRecord, _ improved: Bool) -> Void = { _, _ in }
    /// A Markov run's validation figures for each order it tries.
    public var orderScored: @Sendable (MarkovOrderRecord) -> Void = { _ in }
    public init() {}
}

/// Tokenises a corpus, splits it, trains a model with validation each epoch, early
/// stopping and the best checkpoint kept, and writes the run folder.
public struct TrainingRun {
    public let options: TrainingOptions
    public let folder: RunFolder
    public let cacheFolder: String?
    public let cleanCopyNames: CleanCopyNames
    /// Stops the run right after this trainer step, without the epoch's end: what a kill
    /// leaves behind, for tests of `--resume`.
    var stopsAfterStep: Int?

    /// The length a time-budgeted schedule assumes before its first steps are timed.
    static let provisionalSteps = 4000
    /// Steps timed (from the start, and again after a curriculum's switch) before a time
    /// budget's schedule is fitted to the pace.
    static let timedSteps = 20

    /// The error a run stopped by `stopsAfterStep` ends with.
    struct Interrupted: Error, Equatable {
        var step: Int
    }

    /// Each training window's changes on the fly, drawn from the trainer's stream.
    struct Augmentation {
        var headers = HeaderDropout()
        var infill: BarInfill?
        var transposition: Transposition?
        var tempoStretch: TempoStretch?
    }

    /// The options' augmentation for the dataset's vocabulary.
    func augmentation(for dataset: Dataset) -> Augmentation {
        Augmentation(
            infill: BarInfill(vocabulary: dataset.vocabulary, share: options.infillShare ?? 0),
            transposition: Transposition(vocabulary: dataset.vocabulary, maximum: options.transpose ?? 0),
            tempoStretch: TempoStretch(vocabulary: dataset.vocabulary, maximum: options.tempoStretch ?? 0))
    }

    public init(options: TrainingOptions, folder: RunFolder, cacheFolder: String?, names: @escaping CleanCopyNames) {
        self.options = options
        self.folder = folder
        self.cacheFolder = cacheFolder
        self.cleanCopyNames = names
    }

    public func prepareDataset(progress: TrainingProgress) throws -> Dataset {
        let files = try CorpusFiles.pieces(in: options.corpus, names: cleanCopyNames)
        let corpus = try TokenizedCorpus.load(
            files, tokenizer: options.tokenizer, cacheFolder: cacheFolder, progress: progress.tokenizing)
        let dataset = Dataset(corpus: corpus, splitProtocol: options.splitProtocol, seed: options.seed)
        guard dataset.vocabulary.count >= 2, !trainingWindows(dataset).isEmpty, !validationWindows(dataset).isEmpty
        else {
            throw PipelineError.corpusTooSmall(
                roots: options.corpus, pieces: corpus.pieces.count, tokens: corpus.tokenCount, context: options.context)
        }
        return dataset
    }

    /// Training windows of `context` tokens (the run's unless a curriculum's short phase asks for fewer).
    func trainingWindows(_ dataset: Dataset, context: Int? = nil) -> [Window] {
        options.splitProtocol == .seed
            ? dataset.seedTrainingWindows
            : dataset.windows(of: dataset.training, context: context ?? options.context, stride: 1)
    }

    /// A fixed subset (same every epoch) of the held-out windows.
    func validationWindows(_ dataset: Dataset) -> [Window] {
        var windows =
            options.splitProtocol == .seed
            ? dataset.seedValidationWindows
            : dataset.windows(of: dataset.validation, context: options.context, stride: 1)
        if windows.count > options.validationWindows {
            var random = SeededRandom(seed: options.seed &+ 0x7A11D)
            windows.shuffle(using: &random)
            windows = Array(windows.prefix(options.validationWindows))
        }
        return windows
    }

    @discardableResult
    public func run(resume: Bool, progress: TrainingProgress = TrainingProgress()) throws -> TrainingSummary {
        if let problem = options.problem { throw problem }
        let started = Date()
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        let dataset = try prepareDataset(progress: progress)
        if options.model == .markov {
            return try countMarkovModel(dataset: dataset, started: started, progress: progress)
        }
        _ = try BLASLibrary.load()
        let training = trainingWindows(dataset), validation = validationWindows(dataset)
        let targetsPerEpoch = options.splitProtocol == .seed ? training.count : dataset.tokenCount(of: dataset.training)
        let stepsPerEpoch = max(1, targetsPerEpoch / (options.batch * options.context))

        let curriculum = options.contextCurriculum
        var trainer: Trainer
        var history: [EpochRecord] = []
        if resume && FileManager.default.fileExists(atPath: folder.checkpoint) {
            let saved = try Vocabulary.load(from: folder.vocabularyFile)
            let current = dataset.vocabulary
            guard saved.tokenizer != current.tokenizer || saved.version == current.version else {
                throw PipelineError.vocabularyOutdated(
                    path: folder.vocabularyFile, vocabulary: .init(name: saved.tokenizer, version: saved.version),
                    tokenizer: .init(name: current.tokenizer, version: current.version))
            }
            guard saved == current else {
                throw PipelineError.vocabularyChanged(path: folder.vocabularyFile)
            }
            trainer = try Checkpoint.loadTrainer(from: folder.checkpoint)
            history = (try? folder.read([EpochRecord].self, from: folder.historyFile)) ?? []
        } else {
            let config = options.modelConfig(vocabularySize: dataset.vocabulary.count)
            let model = Models.make(
                config, batch: curriculum?.batch ?? options.batch, time: curriculum?.context ?? options.context,
                seed: options.seed)
            // A time budget's steps are known once its first steps are timed (below); until
            // then the ramp is that of a 4,000-step run.
            let schedule = LearningRateSchedule(
                peak: options.learningRate, minimum: options.decayEnd,
                totalSteps: options.epochs.map { $0 * stepsPerEpoch } ?? Self.provisionalSteps)
            let decay = options.weightDecay ?? TrainingOptions.defaultWeightDecay
            trainer = Trainer(
                model: model, optimizer: AdamW(weightDecay: decay), schedule: schedule, seed: options.seed)
            try folder.writeDescription(options: options, dataset: dataset)
        }

        if let share = options.scheduledSampling, share > 0, let grammar = TokenGrammar(vocabulary: dataset.vocabulary)
        {
            trainer.scheduledSampling = ScheduledSampling(largestShare: share, kinds: grammar.kinds)
        }
        let augmentation = self.augmentation(for: dataset)
        // A periodic checkpoint may have stopped inside an epoch: its steps are the trainer's
        // beyond those of the finished epochs, and its loss and time are in the progress file
        // when that file belongs to the same step.
        let finishedSteps = history.reduce(0) { $0 + $1.steps }
        let interrupted = (try? folder.read(EpochProgress.self, from: folder.epochProgressFile))
            .flatMap { $0.step == trainer.step ? $0 : nil }
        var carriedSteps = min(max(0, trainer.step - finishedSteps), stepsPerEpoch)
        var carriedLoss = carriedSteps > 0 ? interrupted?.lossSum ?? 0 : 0
        var carriedSeconds = carriedSteps > 0 ? interrupted?.seconds ?? 0 : 0
        // A resumed run spends what is left of its budget, not a new one.
        let spentSeconds = history.reduce(0) { $0 + $1.seconds } + carriedSeconds
        // The budget is for training: tokenising a corpus that is not cached yet does not spend it.
        let trainingStarted = Date()
        let deadline = options.minutes.map { trainingStarted.addingTimeInterval(max(0, $0 * 60 - spentSeconds)) }
        let checkpointInterval = options.checkpointMinutes.map { $0 * 60 }
        var lastCheckpoint = Date()
        var best = history.min { $0.validationLoss < $1.validationLoss }
        var sinceImprovement = history.count - (best?.epoch ?? 0)
        var tokensTrained = 0, trainingSeconds = 0.0
        var epoch = history.count
        // A curriculum's phase is the checkpoint's window: a resumed run carries on where it was.
        // It switches after its share of the steps when it counts epochs, of the time otherwise.
        var windows =
            trainer.model.time == options.context ? training : trainingWindows(dataset, context: trainer.model.time)
        let lastShortStep = options.epochs.flatMap { epochs in
            curriculum?.lastShortStep(totalSteps: epochs * stepsPerEpoch)
        }
        let switchDate =
            options.epochs == nil
            ? options.minutes.flatMap { minutes in
                curriculum.map {
                    trainingStarted.addingTimeInterval(max(0, $0.shortSeconds(budget: minutes * 60) - spentSeconds))
                }
            } : nil
        var phaseStarted = Date(), phaseSteps = 0, switchedHere = false
        // Both phases take as many tokens per step, so the buffers and steps per epoch stay.
        let batchTokens = options.batch * options.context
        var tokens = [Int32](repeating: 0, count: batchTokens), targets = [Int32](repeating: 0, count: batchTokens)
        while sinceImprovement < options.patience && epoch < (options.epochs ?? Int.max)
            && !(deadline.map { Date() >= $0 } ?? false)
        {
            epoch += 1
            let epochStart = Date()
            var lossSum = carriedLoss, steps = carriedSteps, sessionSteps = 0
            let epochSecondsBefore = carriedSeconds
            (carriedSteps, carriedLoss, carriedSeconds) = (0, 0, 0)
            while steps < stepsPerEpoch {
                if trainer.model.time != options.context,
                    lastShortStep.map({ trainer.step >= $0 }) ?? switchDate.map({ Date() >= $0 }) ?? false
                {
                    trainer = trainer.reshaped(batch: options.batch, time: options.context)
                    windows = training
                    (phaseStarted, phaseSteps, switchedHere) = (Date(), 0, true)
                }
                fillBatch(
                    dataset: dataset, windows: windows, augmentation: augmentation, batch: trainer.model.batch,
                    context: trainer.model.time, sampler: &trainer.sampler, tokens: &tokens, targets: &targets)
                lossSum += Double(trainer.train(tokens: tokens, targets: targets))
                steps += 1
                sessionSteps += 1
                phaseSteps += 1
                let elapsed = Date().timeIntervalSince(epochStart)
                let secondsPerStep = elapsed / Double(sessionSteps)
                let rate = Double(sessionSteps * batchTokens) / max(elapsed, 1e-9)
                if options.epochs == nil, let deadline, phaseSteps == Self.timedSteps,
                    trainer.step == Self.timedSteps || switchedHere
                {
                    // With a time budget the cosine decay ends when time does, at the pace of the
                    // current phase (a curriculum's long windows are slower per token); an
                    // hours-long budget still counts its steps in an Int.
                    let phaseSecondsPerStep = Date().timeIntervalSince(phaseStarted) / Double(phaseSteps)
                    let stepsLeft = min(deadline.timeIntervalSinceNow / phaseSecondsPerStep, Double(Int32.max))
                    trainer.schedule.refit(totalSteps: trainer.step + Int(stepsLeft), at: trainer.step)
                }
                let secondsLeft =
                    deadline.map { max(0, $0.timeIntervalSinceNow) }
                    ?? secondsPerStep * Double(stepsPerEpoch - steps)
                progress.step(epoch, steps, stepsPerEpoch, lossSum / Double(steps), rate, secondsLeft)
                if let checkpointInterval, Date().timeIntervalSince(lastCheckpoint) >= checkpointInterval {
                    try Checkpoint.save(trainer, to: folder.checkpoint)
                    let state = EpochProgress(
                        step: trainer.step, lossSum: lossSum, seconds: epochSecondsBefore + elapsed)
                    try folder.write(state, to: folder.epochProgressFile)
                    lastCheckpoint = Date()
                }
                if let stop = stopsAfterStep, trainer.step >= stop { throw Interrupted(step: trainer.step) }
                if let deadline, Date() >= deadline { break }
            }
            let epochSeconds = epochSecondsBefore + Date().timeIntervalSince(epochStart)
            tokensTrained += sessionSteps * batchTokens
            trainingSeconds += epochSeconds
            // Validation always sees full windows, also during a curriculum's short phase.
            let scored =
                trainer.model.time == options.context
                ? trainer.model : trainer.reshaped(batch: options.batch, time: options.context).model
            let validationLoss = nextTokenLoss(model: scored, dataset: dataset, windows: validation)
            let record = EpochRecord(
                epoch: epoch, trainLoss: lossSum / Double(steps), validationLoss: validationLoss,
                validationBitsPerNote: dataset.validationBitsPerNote(natsPerToken: validationLoss),
                learningRate: Double(trainer.schedule.rate(at: trainer.step)), steps: steps, seconds: epochSeconds)
            history.append(record)
            let improved = best.map { validationLoss < $0.validationLoss } ?? true
            if improved {
                best = record
                sinceImprovement = 0
                try Checkpoint.saveModel(trainer.model, to: folder.best)
            } else {
                sinceImprovement += 1
            }
            try Checkpoint.save(trainer, to: folder.checkpoint)
            try folder.write(history, to: folder.historyFile)
            lastCheckpoint = Date()
            progress.epochEnded(record, improved)
        }
        guard let best, let last = history.last else {
            throw PipelineError.runFinished(runFolder: folder.path)
        }
        let summary = TrainingSummary(
            model: options.model.rawValue, tokenizer: options.tokenizer.rawValue,
            splitProtocol: options.splitProtocol.rawValue,
            trainLoss: last.trainLoss, validationLoss: best.validationLoss,
            validationBitsPerNote: dataset.validationBitsPerNote(natsPerToken: best.validationLoss),
            bestEpoch: best.epoch, epochs: history.count,
            tokensPerSecond: trainingSeconds > 0 ? Double(tokensTrained) / trainingSeconds : 0,
            parameters: trainer.model.parameters.count, seconds: Date().timeIntervalSince(started),
            vocabulary: dataset.vocabulary.count, pieces: dataset.sequences.count,
            trainingTokens: options.splitProtocol == .seed ? training.count : dataset.tokenCount(of: dataset.training),
            validationWindows: validation.count, run: folder.path,
            pieceMemory: try fitPieceMemory(dataset: dataset)?.fit)
        try folder.write(summary, to: folder.summaryFile)
        return summary
    }

    /// Fits the best model's blend with the piece's own memory (`MemoryMixture`) on the
    /// validation pieces and keeps it beside the model; nil without validation pieces (the
    /// seed protocol holds out windows, not pieces).
    func fitPieceMemory(dataset: Dataset) throws -> MemoryMixture? {
        guard options.splitProtocol == .piece else { return nil }
        guard
            let mixture = MemoryMixture.fit(
                model: try Checkpoint.loadModel(from: folder.best, batch: options.batch, time: options.context),
                pieces: dataset.validation.map { dataset.sequences[$0] }, vocabulary: dataset.vocabulary,
                tokenizer: options.tokenizer)
        else { return nil }
        try folder.write(mixture, to: folder.pieceMemoryFile)
        return mixture
    }

    /// The first `count` batches a new run would train on, drawn as `run` draws them (header
    /// dropout, fill examples, transposition, tempo stretch), without training or writing the run
    /// folder: each batch `batch` windows of `context + 1` ids, the window and the token it predicts.
    public func previewBatches(_ count: Int, progress: TrainingProgress = TrainingProgress()) throws -> (
        batches: [[[Int32]]], vocabulary: Vocabulary
    ) {
        if let problem = options.problem { throw problem }
        let dataset = try prepareDataset(progress: progress)
        let augmentation = self.augmentation(for: dataset)
        // A context curriculum's first batches are its short phase's.
        let batch = options.contextCurriculum?.batch ?? options.batch
        let context = options.contextCurriculum?.context ?? options.context
        let windows = trainingWindows(dataset, context: context)
        var sampler = SeededRandom(seed: options.seed ^ Trainer.samplerSalt)
        var tokens = [Int32](repeating: 0, count: batch * context), targets = tokens
        var batches: [[[Int32]]] = []
        for _ in 0..<count {
            fillBatch(
                dataset: dataset, windows: windows, augmentation: augmentation, batch: batch, context: context,
                sampler: &sampler, tokens: &tokens, targets: &targets)
            batches.append(
                (0..<batch).map { row in
                    Array(tokens[(row * context)..<((row + 1) * context)]) + [targets[(row + 1) * context - 1]]
                })
        }
        return (batches, dataset.vocabulary)
    }

    /// Random training windows (drawn with the trainer's own stream, so a resumed run
    /// draws what an uninterrupted one would): each window's tokens and the next ones.
    /// Each window opens with its piece's header, tokens of it dropped at random (`HeaderDropout`).
    /// With bar infilling, each window then draws whether it becomes a fill example (cut from the
    /// piece itself, header included only when the window starts at it), and where its hole is.
    /// With a transposition, each window also draws its shift, and keeps its key when the
    /// shift would take a pitch out of range. A tempo stretch, when asked for, is drawn next.
    /// `batch` windows of `context` tokens: the current phase's shape (`ContextCurriculum`).
    func fillBatch(
        dataset: Dataset, windows: [Window], augmentation: Augmentation, batch: Int, context: Int,
        sampler: inout SeededRandom, tokens: inout [Int32], targets: inout [Int32]
    ) {
        for row in 0..<batch {
            let window = windows[Int(sampler.next() % UInt64(windows.count))]
            var (sequence, drums) = augmentation.headers.window(window, of: dataset, context: context, random: &sampler)
            if let infill = augmentation.infill, Double(sampler.next() >> 11) * 0x1p-53 < infill.share,
                let example = infill.example(
                    from: dataset.sequences[window.piece], start: window.start, length: context + 1, random: &sampler)
            {
                // Drum flags follow the plain window; a fill example's drum notes move with the rest.
                (sequence, drums) = (example, [])
            }
            if let transposition = augmentation.transposition {
                let shift = Int(sampler.next() % UInt64(2 * transposition.maximum + 1)) - transposition.maximum
                if let moved = transposition.shifted(sequence, by: shift, drums: drums) { sequence = moved }
            }
            if let stretch = augmentation.tempoStretch {
                let buckets = Int(sampler.next() % UInt64(2 * stretch.maximum + 1)) - stretch.maximum
                sequence = stretch.stretched(sequence, by: buckets)
            }
            for (offset, token) in sequence.enumerated() {
                if offset < context { tokens[row * context + offset] = token }
                if offset > 0 { targets[row * context + offset - 1] = token }
            }
        }
    }

    /// Mean cross-entropy (nats) of the token following each window, given the whole
    /// window: the original project's validation loss, whatever the split.
    public func nextTokenLoss(model: any SequenceModel, dataset: Dataset, windows: [Window]) -> Double {
        let context = model.time, batch = model.batch
        var total = 0.0
        var tokens = [Int32](repeating: 0, count: batch * context)
        for first in stride(from: 0, to: windows.count, by: batch) {
            let chunk = windows[first..<min(first + batch, windows.count)]
            for (row, window) in chunk.enumerated() {
                let sequence = dataset.tokens(of: window, context: context)
                for (offset, token) in sequence.prefix(context).enumerated() { tokens[row * context + offset] = token }
            }
            tokens.withUnsafeBufferPointer { _ = model.forward(tokens: $0.baseAddress!, targets: nil, training: false) }
            for (row, window) in chunk.enumerated() {
                let logits = model.logits(sequence: row, position: context - 1)
                let target = Int(dataset.sequences[window.piece][window.start + context])
                let highest = logits.max()!
                let logSum = log(logits.reduce(0.0) { $0 + exp(Double($1 - highest)) }) + Double(highest)
                total += logSum - Double(logits[target])
            }
        }
        return total / Double(max(1, windows.count))
    }
}
