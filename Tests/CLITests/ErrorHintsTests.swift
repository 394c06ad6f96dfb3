import Corpus
import Generation
import MusicTheory
import Score
import Testing
import Utilities

@testable import Rendering
@testable import tunesmith

/// The command line names the flag or command behind each library error that concerns one.
@Suite struct ErrorHintsTests {
    static let namedFlags: [(error: any Error, flag: String)] = [
        (PipelineError.corpusNotFound(path: "c"), "--corpus c"),
        (PipelineError.corpusNotFound(path: "c"), "`tunesmith corpus ingest`"),
        (PipelineError.corpusTooSmall(roots: ["c"], pieces: 1, tokens: 9, context: 64), "--context"),
        (PipelineError.vocabularyChanged(path: "v"), "--tokenizer"),
        (PipelineError.runFinished(runFolder: "r"), "--epochs"),
        (PipelineError.promptOutsideVocabulary(path: "p.mid"), "--prompt p.mid"),
        (PipelineError.silentSamples(output: "o", attempts: 3), "--attempts"),
        (
            PipelineError.copiedSamples(
                output: "o", attempts: 3, closest: "jazz/a.mid", sharedNotes: 40, percentile: 100),
            "--temperature"
        ),
        (
            PipelineError.copiedSamples(
                output: "o", attempts: 3, closest: "jazz/a.mid", sharedNotes: 40, percentile: 100),
            "--copy-percentile"
        ),
        (TrainingOptions.Problem.contextFixedBySeedProtocol(context: 64, seedContext: 32), "--context 64"),
        (TrainingOptions.Problem.learningRateNotPositive(0), "--lr 0"),
        (TrainingOptions.Problem.transpositionNeedsEventTokens(transpose: 5, tokenizer: .notes), "--tokenizer events"),
        (TrainingOptions.Problem.contextWarmupOutOfRange(1), "--context-warmup 1"),
        (TrainingOptions.Problem.warmupContextNotADivisor(warmupContext: 100, context: 512), "--warmup-context 100"),
        (CorpusError.noCatalogue(folder: "c"), "tunesmith corpus ingest SOURCE... --into c"),
        (CorpusError.cannotCreateFolder(path: "c", reason: "denied"), "--into c"),
        (FilterError.notAKey("H"), "--key H"),
        (GenerationControlError.unknownStyle("rock", known: ["classical", "jazz"]), "--style rock"),
        (GenerationControlError.unknownMeter("7/9"), "--meter 7/9"),
        (GenerationControlError.needsHeaderTokens(tokenizer: "notes v1"), "--tokenizer events"),
        (GenerationControlError.combinedWithPrompt, "--prompt"),
        (GenerationControlError.barsNotReached(output: "o.mid", bars: 8, attempts: 5, tokenLimit: 100), "--length"),
        (
            GenerationControlError.keyNotReached(
                output: "o.mid", asked: .init(tonic: 2, mode: .minor), found: nil, attempts: 5),
            "--attempts"
        ),
        (FilterError.invalidPattern(.excludedPath, pattern: "(", reason: "unbalanced"), "--exclude-path-regex ("),
        (ScoreError.timedOut(file: "a.mid", seconds: 60), "--timeout"),
        (ScoreError.unsupportedOutput(path: "a.doc"), "--output a.doc"),
        (ClippingGainError(file: "a.mid", gain: 10, peakDBFS: 3, largestSafeGain: 7), "--gain 10"),
        (NoNotesError(file: "a.mid"), "--strict"),
        (RenderPlanError.oneFileForManyInputs(output: "a.wav", inputs: 2), "-o a.wav"),
        (
            SoundfontNotFoundError(searched: [.init(origin: .explicitPath, path: "x.sf2", problem: "no such file")]),
            "--soundfont x.sf2: no such file"
        ),
    ]

    @Test(arguments: namedFlags.indices)
    func theCommandLineNamesTheFlag(index: Int) {
        let (error, flag) = Self.namedFlags[index]
        #expect(ErrorHints.message(for: error).contains(flag), "\(ErrorHints.message(for: error))")
        #expect(!"\(error)".contains(flag), "the library's own text leaves the flag to the command line")
    }

    @Test func aMissingLibraryIsNamedWithHowToInstallIt() {
        let error = SharedLibraryError.notLoadable(
            library: "FluidSynth", fileNames: ["libfluidsynth.so.3", "libfluidsynth.so"], package: "libfluidsynth3",
            reasons: ["libfluidsynth.so.3: cannot open shared object file: No such file or directory"])
        let message = ErrorHints.message(for: error)
        #expect(message.contains("FluidSynth is not installed"), "\(message)")
        #expect(message.contains("libfluidsynth.so.3 or libfluidsynth.so"), "\(message)")
        #expect(message.contains("No such file or directory"), "the dynamic loader's reason is kept: \(message)")
        #expect(message.contains("sudo apt-get install libfluidsynth3"), "\(message)")
    }

    @Test func errorsWithoutAFlagKeepTheirOwnText() {
        let error = CorpusError.busy(folder: "c", holderPID: 7)
        #expect(ErrorHints.commandLineText(for: error) == nil)
        #expect(ErrorHints.message(for: error) == "\(error)")
    }
}
