import ArgumentParser
import Corpus
import Foundation
import Generation

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a next-token model on a corpus and keep its best checkpoint.",
        discussion: """
            --corpus takes a Tunesmith corpus folder (its clean/ copies) or any folder of MIDI files, and may be repeated. \
            The run folder gets run.json, vocabulary.json, history.json, best/ (lowest validation loss), checkpoint/ (for --resume) and summary.json. \
            Validation loss is the mean cross-entropy (nats) of the token after each held-out window, \
            as the original project measured it; \
            it is also given in bits per note, by the validation pieces' tokens per note. \
            --model markov counts an n-gram model with interpolated modified Kneser–Ney smoothing instead of training one, \
            of --order N or the best order on the validation pieces \
            (its validation loss is over every held-out token after a piece's first).
            """)

    @Option(help: "Corpus folder (repeatable).") var corpus: [String]
    @Option(help: "lstm, wavenet, transformer or markov (an n-gram baseline, counted, not trained).")
    var model: ModelConfig.Kind
    @Option(help: "notes (the original vocabulary) or events (rhythm-aware).") var tokenizer: TokenizerKind
    @Option(
        name: .customLong("protocol"),
        help: "piece (split by piece) or seed (the original: random split of 32-token windows).")
    var splitProtocol: SplitProtocol = .piece
    @Option(help: "demo (minutes on a laptop) or quality (an hour or more, wider and deeper); explicit flags win.")
    var preset: TrainingPreset?
    @Option(help: "Passes over the training tokens (default 10 without --minutes or --preset).") var epochs: Int?
    @Option(help: "Time budget in minutes (hours are fine: --minutes 180).") var minutes: Double?
    @Option(
        help: """
            Windows per step (default 32; \(TrainingPreset.eventsTransformerDefault.settings.batch) for an events \
            Transformer, \(TrainingPreset.quality.settings.batch) with --preset quality).
            """)
    var batch: Int?
    @Option(
        help: """
            Tokens per window (default 64; \(TrainingPreset.eventsTransformerDefault.settings.context) for an events \
            Transformer; the seed protocol uses \(Dataset.seedContext)).
            """)
    var context: Int?
    @Option(name: .customLong("lr"), help: "Peak learning rate (AdamW, cosine decay; default 2e-3).")
    var learningRate: Float?
    @Option(name: .customLong("final-lr"), help: "Learning rate the cosine decay ends at (default a tenth of --lr).")
    var finalLearningRate: Float?
    @Option(help: "Dropout (LSTM between layers, Transformer heads and MLP); default 0.1, or the preset's (demo 0).")
    var dropout: Float?
    @Option(help: "AdamW weight decay.") var weightDecay: Float = TrainingOptions.defaultWeightDecay
    @Option(help: "Seed for the split, the initial weights and the batches.") var seed: UInt64 = 1
    @Option(help: "Epochs without a better validation loss before stopping.") var patience = 3
    @Option(help: "Model width (LSTM embedding and hidden size, WaveNet channels, Transformer width).") var width: Int?
    @Option(help: "LSTM layers, WaveNet blocks or Transformer blocks.") var layers: Int?
    @Option(
        help: """
            Move each training window by a random number of semitones up to this, up or down \
            (events tokens only; default 3; 0 = as written).
            """)
    var transpose: Int?
    @Option(
        help: """
            Move each training window's tempo by a random number of 6 % tempo buckets up to this, up or down \
            (events tokens only; default 1; 0 = as written).
            """)
    var tempoStretch: Int?
    @Option(
        help: """
            Share of training windows turned into bar-infilling examples, so `generate --infill` can rewrite bars \
            with what follows them in view (events tokens only; default 0.25; 0 = none).
            """)
    var infillShare: Double?
    @Option(help: "Minutes between checkpoints inside an epoch; --resume after a kill loses at most this.")
    var checkpointMinutes = TrainingOptions.defaultCheckpointMinutes
    @Option(help: "Markov model order n (n-grams of n tokens); default: the best of 2…8 on the validation pieces.")
    var order: Int?
    @Option(
        help: """
            Share of the run (of --minutes, or of the steps with --epochs) a Transformer trains on short windows \
            with a larger batch before its full context (sequence-length warm-up; 0 = off; default 0.8 for an \
            events Transformer at the preset's context, else 0).
            """)
    var contextWarmup: Double?
    @Option(
        help:
            "Window of the --context-warmup part, a divisor of --context (default an eighth of it for the demo preset, else a quarter)."
    )
    var warmupContext: Int?
    @Option(
        help: """
            Largest share of a window's input tokens replaced by the model's own draw of a token of the same kind \
            (scheduled sampling: it trains on its own mistakes), rising from 0 over the run (events networks; \
            default 0 = off).
            """)
    var scheduledSampling: Double?
    @Option(help: "Held-out windows scored each epoch (a fixed random subset when there are more).")
    var validationWindows = 4096
    @Option(help: "Folder for token caches (default ~/.cache/tunesmith/tokens).") var cache: String?
    @Option(help: "Run folder to write.") var out: String
    @Flag(help: "Continue the run in --out from its last checkpoint.") var resume = false
    @Option(
        help: """
            Print the first N batches the run would train on, one window a line (its tokens and the one it predicts, \
            after header dropout, infill examples, transposition and tempo stretch), and stop without training.
            """)
    var previewBatches: Int?
    @OptionGroup var output: OutputArguments

    func run() throws {
        let options = TrainingOptions(
            // Absolute, so generate and evaluate find the training pieces from any folder.
            corpus: corpus.map { URL(fileURLWithPath: $0).standardizedFileURL.path }, model: model,
            tokenizer: tokenizer,
            splitProtocol: splitProtocol, preset: preset, epochs: epochs, minutes: minutes,
            batch: batch, context: context, learningRate: learningRate,
            finalLearningRate: finalLearningRate, seed: seed, patience: patience,
            validationWindows: validationWindows, width: width, layers: layers, dropout: dropout, transpose: transpose,
            tempoStretch: tempoStretch, infillShare: infillShare, weightDecay: weightDecay,
            checkpointMinutes: checkpointMinutes, order: order, contextWarmup: contextWarmup,
            warmupContext: warmupContext, scheduledSampling: scheduledSampling)
        if let problem = options.problem { throw ValidationError(ErrorHints.message(for: problem)) }
        if let previewBatches {
            try preview(previewBatches, options: options)
            return
        }
        let bar = ProgressDisplay(unit: "files")
        var progress = TrainingProgress()
        progress.tokenizing = { done, total in bar.update(done: done, total: total) }
        progress.step = { epoch, step, steps, loss, rate, left in
            let eta = left.map { " ETA \(ProgressDisplay.duration($0))" } ?? ""
            let text = String(format: "epoch %d  step %d/%d  loss %.4f  %.0f tok/s", epoch, step, steps, loss, rate)
            bar.update(fraction: Double(step) / Double(steps), text + eta)
        }
        let printJSON = output.json
        progress.epochEnded = { record, improved in
            bar.clear()
            if printJSON { JSONLine.print(record) }
            let text = "epoch %d: train loss %.4f, validation loss %.4f (%.3f bits/note)%@ (%.0f s)"
            Diagnostics.warn(
                String(
                    format: text, record.epoch, record.trainLoss, record.validationLoss,
                    record.validationBitsPerNote ?? .nan, improved ? ", best so far" : "", record.seconds))
        }
        progress.orderScored = { record in
            if printJSON { JSONLine.print(record) }
            Diagnostics.warn(
                String(
                    format: "order %d: validation loss %.4f (%.3f bits/note)", record.order,
                    record.validationLoss, record.validationBitsPerNote))
        }
        let summary = try TrainingRun(
            options: options, folder: RunFolder(out), cacheFolder: cache ?? Self.defaultCache,
            names: CataloguedPiece.sourceNamesOfCleanFiles
        )
        .run(resume: resume, progress: progress)
        bar.clear()
        if output.json {
            JSONLine.print(summary)
        } else {
            let model = summary.order.map { "\(summary.model) (order \($0))" } ?? summary.model
            print(
                String(
                    format: "%@ / %@ / %@: best validation loss %.4f (%.3f bits/note) at epoch %d of %d; "
                        + "%.0f tokens/s, %d parameters, %.0f s → %@",
                    model, summary.tokenizer, summary.splitProtocol, summary.validationLoss,
                    summary.validationBitsPerNote ?? .nan, summary.bestEpoch, summary.epochs,
                    summary.tokensPerSecond, summary.parameters, summary.seconds, summary.run))
        }
    }

    /// One window of `--preview-batches`.
    struct PreviewWindow: Encodable {
        var batch: Int
        var row: Int
        var ids: [Int32]
        var tokens: [String]
    }

    func preview(_ count: Int, options: TrainingOptions) throws {
        guard count > 0 else {
            throw ValidationError("--preview-batches \(count): give a number of batches, 1 or more")
        }
        guard !resume else {
            throw ValidationError(
                "--preview-batches and --resume: a preview shows a new run's batches; leave out --resume")
        }
        guard options.model != .markov else {
            throw ValidationError("--preview-batches: a markov model counts n-grams and draws no batches")
        }
        let bar = ProgressDisplay(unit: "files")
        var progress = TrainingProgress()
        progress.tokenizing = { done, total in bar.update(done: done, total: total) }
        let (batches, vocabulary) = try TrainingRun(
            options: options, folder: RunFolder(out), cacheFolder: cache ?? Self.defaultCache,
            names: CataloguedPiece.sourceNamesOfCleanFiles
        )
        .previewBatches(count, progress: progress)
        bar.clear()
        for (batch, windows) in batches.enumerated() {
            for (row, ids) in windows.enumerated() {
                let window = PreviewWindow(
                    batch: batch + 1, row: row + 1, ids: ids, tokens: ids.map { vocabulary.tokens[Int($0)] })
                if output.json {
                    JSONLine.print(window)
                } else {
                    print("batch \(window.batch) row \(window.row): \(window.tokens.joined(separator: " "))")
                }
            }
        }
    }

    static var defaultCache: String { CacheFolder.path(named: "tokens") }
}

extension ModelConfig.Kind: ExpressibleByArgument {}
extension TokenizerKind: ExpressibleByArgument {}
extension SplitProtocol: ExpressibleByArgument {}
extension TrainingPreset: ExpressibleByArgument {}
