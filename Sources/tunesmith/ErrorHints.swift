import Clearance
import Corpus
import Generation
import Rendering
import Reports
import Score
import Utilities

/// Library errors in the command line's words. The libraries say what is wrong and what
/// to do in their own terms; only the command line knows which flag sets a value and
/// which command makes a missing thing, so each case that concerns one is named here.
enum ErrorHints {
    /// What to tell the user about `error`: the command-line text where this file has
    /// one, the error's own description otherwise.
    static func message(for error: any Error) -> String {
        commandLineText(for: error) ?? "\(error)"
    }

    /// Nil for errors whose library text names no value a flag sets.
    static func commandLineText(for error: any Error) -> String? {
        switch error {
        case let error as PipelineError: text(for: error)
        case let error as TrainingOptions.Problem: text(for: error)
        case let error as ExportError: text(for: error)
        case let error as GenerationControlError: text(for: error)
        case let error as LikelihoodError:
            switch error {
            case .strideOutsideWindow(let stride, _): "--stride \(stride): \(error.problem)"
            }
        case let error as CorpusError: text(for: error)
        case let error as FilterError: text(for: error)
        case let error as ScoreError: text(for: error)
        case let error as ReportFolderError:
            "\(error.path): cannot create the folder: \(error.reason); check the -o path and its permissions"
        case let error as ClippingGainError:
            "\(error.file): --gain \(error.gain) would clip (peak \(error.peakText) dBFS); nothing was written. "
                + "Use --gain \(error.largestSafeGainText) or lower, or leave out --gain to normalise the peak"
        case let error as NoNotesError:
            "\(error.file): the file has no notes; nothing to render (without --strict a short silent file is written)"
        case let error as TooLongToRenderError:
            "\(error.file): \(error.problem); check the file with `tunesmith inspect` "
                + "(a damaged delta time can stretch a file)"
        case let error as RenderPlanError: text(for: error)
        case let error as UnsupportedAudioFormatError:
            "\(error.problem); use --encoding pcm16 or pcm24, or a .wav output for float"
        case let error as SoundfontNotFoundError: error.text(explicitPathOption: SoundfontSearch.Origin.option)
        case let error as SharedLibraryError:
            "\(error.problem); this command needs it: install it with `sudo apt-get install \(error.package)` "
                + "(`make deps` in Tunesmith's source folder installs every library it uses)"
        case let error as ClearanceError: text(for: error)
        case let error as PromptError: text(for: error)
        default: nil
        }
    }

    private static func text(for error: PromptError) -> String {
        switch error {
        case .missing: "--continue-bars / --infill: \(error.problem); give it with --prompt FILE"
        case .unreadable(let path, let reason):
            "--prompt \(path): \(error.problem) (\(reason)); check it with `tunesmith inspect \(path)`"
        case .noNotes(let path): "--prompt \(path): \(error.problem); give a MIDI file with pitched notes"
        case .infillOutsidePrompt(_, let first, let last, _): "--infill \(first)-\(last): \(error.problem)"
        case .needsEventTokens: "--run: \(error.problem); train one with --tokenizer events"
        case .infillNotTrained(let runFolder):
            "--infill: \(runFolder): \(error.problem); retrain with `tunesmith train --infill-share 0.25` (the default)"
        }
    }

    private static func text(for error: ClearanceError) -> String? {
        switch error {
        case .noIndex(let folder):
            "--against \(folder): no clearance index here; make one with "
                + "`tunesmith clearance index SOURCE... --into \(folder)`"
        case .notCalibrated(let file):
            "\(file): the index has no baseline yet (its indexing run was stopped); "
                + "run `tunesmith clearance index` again with the same sources and --into folder"
        case .outdatedBaseline(let file):
            "\(file): the index's baseline was measured by an earlier tunesmith; run `tunesmith clearance index` "
                + "again with the same sources and --into folder (only the baseline is measured again)"
        case .corruptIndex, .wrongVersion, .damagedPiece: nil
        }
    }

    private static func text(for error: PipelineError) -> String? {
        switch error {
        case .corpusNotFound(let path):
            "--corpus \(path): \(error.problem); pass a corpus folder (from `tunesmith corpus ingest`) "
                + "or a folder of MIDI files"
        case .noMIDIFiles(let roots, _): "--corpus \(roots.joined(separator: " ")): \(error.problem)"
        case .corpusTooSmall(let roots, _, _, _):
            "--corpus \(roots.joined(separator: " ")): \(error.problem); add pieces or lower --context"
        case .runFileMissing(let path, let runFolder):
            "\(path): \(error.problem); is \(runFolder) a run folder written by `tunesmith train`?"
        case .unreadableVocabulary(let path, _): "\(path): \(error.problem); was the run written by `tunesmith train`?"
        case .vocabularyChanged(let path):
            "\(path): \(error.problem); resume with the same --corpus, --tokenizer and --seed, or start a new run"
        case .runFinished(let runFolder): "\(runFolder): \(error.problem); raise --epochs or --patience to go on"
        case .promptOutsideVocabulary(let path):
            "--prompt \(path): \(error.problem); choose a prompt with notes the corpus has"
        case .silentSamples(let output, _):
            "\(output): \(error.problem); nothing written — train the run longer, or raise --length or --attempts"
        case .copiedSamples(let output, _, _, _, _):
            "\(output): \(error.problem); nothing written — raise --temperature or --attempts, "
                + "or judge copies less strictly with a higher --copy-percentile"
        case .markovOrderTooHigh(let order, _, _): "--order \(order): \(error.problem); choose a lower --order"
        case .sharedRunGuardNeedsEvents(let runFolder, _):
            "--max-shared with --run \(runFolder): \(error.problem); train with --tokenizer events, "
                + "or leave out --max-shared"
        case .sharedRunTooShort(let notes): "--max-shared \(notes): \(error.problem); give 2 or more"
        case .sharedRunGuardWithSteering:
            "--max-shared: \(error.problem); leave out --continue-bars / --infill, or --max-shared"
        case .unreadableCorpusFile, .runFileUnreadable, .vocabularyOutdated, .nothingToScore, .noReadableReference: nil
        }
    }

    private static func text(for error: ExportError) -> String {
        switch error {
        case .seedProtocolNotExported: "--protocol seed: \(error.problem); export with --protocol piece"
        case .vocabularyFromOtherTokenizer(let path, let vocabulary, _):
            "--vocabulary \(path): \(error.problem); pass --tokenizer \(vocabulary.name), or retrain the run "
                + "if its tokenizer version is old"
        case .outputNotADataset(let path): "--out \(path): \(error.problem); choose a new or empty folder"
        case .unwritable(let path, _): "--out \(path): \(error.problem); check the folder and its free space"
        case .shardTokensNotPositive(let count): "--shard-tokens \(count): \(error.problem)"
        case .nothingTokenized(let roots):
            "--corpus \(roots.joined(separator: " ")): \(error.problem); check the files with `tunesmith inspect`"
        }
    }

    private static func text(for error: GenerationControlError) -> String {
        switch error {
        case .unknownKey(let text): "--key \(text): \(error.problem)"
        case .unknownMeter(let text): "--meter \(text): \(error.problem)"
        case .unknownInstrument(let text): "--instrument \(text): \(error.problem)"
        case .unknownStyle(let style, _): "--style \(style): \(error.problem)"
        case .barsOutOfRange(let bars): "--bars \(bars): \(error.problem)"
        case .tempoOutOfRange(let bpm): "--tempo \(bpm): \(error.problem)"
        case .strictWithoutKey: "--key-strict: \(error.problem); add --key"
        case .keyGuidanceOutOfRange(let strength): "--key-guidance \(strength): \(error.problem)"
        case .guidanceOutOfRange(let weight): "--guidance \(weight): \(error.problem)"
        case .polyphonyOutOfRange(let level): "--polyphony \(level): \(error.problem)"
        case .needsPolyphonyTokens:
            "--polyphony: \(error.problem); train the run again with `tunesmith train --tokenizer events`"
        case .needsHeaderTokens:
            "--key, --style, --meter, --tempo, --bars, --instrument: \(error.problem); "
                + "train the run again with `tunesmith train --tokenizer events`"
        case .combinedWithPrompt:
            "--prompt: \(error.problem); leave out --prompt or the controls"
        case .keyNotReached(let output, _, _, _):
            "\(output): \(error.problem); nothing written — raise --attempts, or leave out --key-strict"
        case .barsNotReached(let output, _, _, _):
            "\(output): \(error.problem); nothing written — raise --length or --attempts"
        }
    }

    private static func text(for problem: TrainingOptions.Problem) -> String {
        switch problem {
        case .contextFixedBySeedProtocol(let context, _):
            "--context \(context): \(problem.problem); leave --context out or use --protocol piece"
        case .noEpochs(let epochs): "--epochs \(epochs): \(problem.problem)"
        case .noTime(let minutes): "--minutes \(minutes): \(problem.problem)"
        case .emptyBatch(let batch): "--batch \(batch): \(problem.problem)"
        case .contextTooShort(let context): "--context \(context): \(problem.problem)"
        case .learningRateNotPositive(let rate): "--lr \(rate): \(problem.problem)"
        case .finalLearningRateOutsidePeak(let rate, _): "--final-lr \(rate): \(problem.problem)"
        case .transpositionOutOfRange(let transpose): "--transpose \(transpose): \(problem.problem)"
        case .transpositionNeedsEventTokens(let transpose, _):
            "--transpose \(transpose): \(problem.problem); use --tokenizer events or leave --transpose out"
        case .tempoStretchOutOfRange(let buckets): "--tempo-stretch \(buckets): \(problem.problem)"
        case .tempoStretchNeedsEventTokens(let buckets, _):
            "--tempo-stretch \(buckets): \(problem.problem); use --tokenizer events or --tempo-stretch 0"
        case .infillShareOutOfRange(let share): "--infill-share \(share): \(problem.problem)"
        case .infillNeedsEventTokens(let share, _):
            "--infill-share \(share): \(problem.problem); use --tokenizer events or --infill-share 0"
        case .dropoutOutOfRange(let dropout): "--dropout \(dropout): \(problem.problem)"
        case .weightDecayOutOfRange(let decay): "--weight-decay \(decay): \(problem.problem)"
        case .checkpointIntervalNotPositive(let minutes): "--checkpoint-minutes \(minutes): \(problem.problem)"
        case .orderWithoutMarkovModel(let order, _):
            "--order \(order): \(problem.problem); use --model markov or leave --order out"
        case .orderOutOfRange(let order): "--order \(order): \(problem.problem)"
        case .markovNeedsPieceSplit: "--model markov: \(problem.problem); use --protocol piece"
        case .contextWarmupOutOfRange(let share): "--context-warmup \(share): \(problem.problem)"
        case .contextWarmupNeedsTransformer(let model, _):
            "--context-warmup with --model \(model.rawValue): \(problem.problem); "
                + "use --model transformer --protocol piece or --context-warmup 0"
        case .warmupContextNotADivisor(let short, let context):
            "--warmup-context \(short) with --context \(context): \(problem.problem)"
        case .scheduledSamplingOutOfRange(let share): "--scheduled-sampling \(share): \(problem.problem)"
        case .scheduledSamplingNeedsEventsNetwork(let share, _, _):
            "--scheduled-sampling \(share): \(problem.problem); train a network with --tokenizer events or leave it out"
        }
    }

    private static func text(for error: CorpusError) -> String? {
        switch error {
        case .noCatalogue(let folder):
            "\(folder): \(error.problem); create one with `tunesmith corpus ingest SOURCE... --into \(folder)`"
        case .catalogueFromAnotherVersion(let path):
            "\(path): \(error.problem); run `tunesmith corpus ingest` on it once to bring it up to date"
        case .cannotCreateFolder(let path, _): "--into \(path): \(error.problem)"
        case .cannotOpenLock, .busy, .unreadableSource: nil
        }
    }

    private static func text(for error: FilterError) -> String {
        switch error {
        case .invalidPattern(.path, let pattern, _): "--path-regex \(pattern): \(error.problem)"
        case .invalidPattern(.excludedPath, let pattern, _): "--exclude-path-regex \(pattern): \(error.problem)"
        case .notAKey(let text): "--key \(text): \(error.problem)"
        }
    }

    private static func text(for error: ScoreError) -> String? {
        switch error {
        case .timedOut(let file, _): "\(file): \(error.problem); try a shorter piece or a longer --timeout"
        case .unsupportedOutput(let path): "--output \(path): the name must end in .pdf, .svg, .png or .musicxml"
        case .pagesNotApplicable(let format): "--pages applies to pdf, svg and png output, not \(format.rawValue)"
        case .museScoreMissing, .museScoreFailed, .noOutput, .noNotes, .cannotRun: nil
        }
    }

    private static func text(for error: RenderPlanError) -> String {
        switch error {
        case .oneFileForManyInputs(let output, _): "-o \(output) \(error.problem); name a folder instead"
        case .cannotCreateFolder(let path, _): "-o \(path): \(error.problem)"
        }
    }
}

extension SoundfontSearch.Origin {
    /// The flag that names a soundfont directly.
    static let option = "--soundfont"

    /// Where a soundfont came from, as the user gave it.
    var commandLineName: String { self == .explicitPath ? Self.option : description }
}

extension Diagnostics {
    /// Warns about a library error in the command line's words.
    static func warn(_ error: any Error) {
        warn(ErrorHints.message(for: error))
    }
}
