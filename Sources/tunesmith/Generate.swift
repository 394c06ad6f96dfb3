import ArgumentParser
import Corpus
import Foundation
import Generation
import Rendering

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Sample a new piece from a trained run and check it is not a copy of the training set.",
        discussion: """
            Sampling is seeded (same seed, same piece). Each piece is checked with the clearance check (`tunesmith \
            clearance check`) against the run's training pieces, whose clearance index is built on first use and kept \
            in RUNDIR/clearance: verdict copy at or above --copy-percentile of the baseline of unrelated training \
            pieces, review at or above --review-percentile. A copy is flagged; with --reject-copies it is resampled \
            instead. Exit status 1 when --reject-copies found only copies.
            """
    )

    /// About 68 bars at the visible corpus's median of 60 events tokens per bar, the length of
    /// its 20th-percentile piece (median 7,364 tokens). Length-bound measures such as pitch range
    /// compare with whole corpus pieces only at such lengths: 17-bar excerpts of real validation
    /// pieces sit at the corpus's 18th percentile of pitch range, 68-bar ones at its 36th.
    static let defaultLength = 4096

    @Option(name: .customLong("run"), help: "Run folder written by `tunesmith train`.") var runFolder: String
    @Option(help: "MIDI file whose last tokens start the piece.") var prompt: String?
    @Option(
        help:
            "Most tokens to generate (default \(Self.defaultLength), or \(GenerationControls.tokensPerBar) per bar with --bars); a piece ends earlier when the model ends it."
    )
    var length: Int?
    @Option(help: "Softmax temperature (0 takes the most likely token: monotone).") var temperature: Float =
        SamplingOptions().temperature
    @Option(help: "Keep only the k most likely tokens (0: all).") var topK = 0
    @Option(help: "Nucleus: keep the most likely tokens up to this probability.") var topP: Float = SamplingOptions()
        .topP
    @Flag(
        help:
            "Draw the kind of the next token (pitch, duration, position, bar…) at the model's own odds first, then cut the nucleus (--temperature, --top-k, --top-p) within that kind only, instead of over the whole vocabulary at once."
    )
    var kindFirst = false
    @Option(help: "Seed of the sampler.") var seed: UInt64 = 1
    @OptionGroup var destination: OutputPathArguments<GeneratedPiece>
    @OptionGroup var verdict: VerdictArguments
    @OptionGroup var retired: RetiredCopyThresholdArguments
    @Flag(help: "Resample a piece the clearance check judges a copy instead of only flagging it.")
    var rejectCopies = false
    @Option(
        help:
            "Never continue a run of this many notes (pitch and onset intervals) that a training piece holds: masked while sampling, a guarantee rather than a check (events runs)."
    )
    var maxShared: Int?
    @Option(help: "Samples to try with --reject-copies or --key-strict, or when a sample holds no note.")
    var attempts = 5
    @OptionGroup var controlArguments: SteeringArguments
    @Flag(
        name: .customLong("no-cache"),
        help: "Run the whole window for every token instead of decoding incrementally: the reference, same piece.")
    var noCache = false
    @Flag(
        help: """
            Blend the model with the piece's memory of what it has already played (fitted on the run's validation \
            pieces), as `likelihood` scores it; off by default: sampled with it, pieces repeat themselves into \
            narrower ranges and emptier bars.
            """)
    var pieceMemory = false
    @Option(
        help: "Also render the piece to this audio file (.wav or .flac) with the soundfont `tunesmith render` finds.")
    var render: String?
    @OptionGroup var steering: PromptSteeringArguments
    @OptionGroup var candidates: CandidateArguments
    @OptionGroup var output: OutputArguments

    enum GeneratedPiece: OutputPathPurpose {
        static let help = "MIDI file to write (with --count, the folder for the candidates and their audition page)."
    }

    func validate() throws {
        if let length, length < 1 { throw ValidationError("--length \(length): generate at least one token") }
        if temperature < 0 { throw ValidationError("--temperature \(temperature): must be 0 or more") }
        if !(topP > 0 && topP <= 1) { throw ValidationError("--top-p \(topP): must be in (0, 1]") }
        if attempts < 1 { throw ValidationError("--attempts \(attempts): try at least once") }
        if let maxShared, maxShared < 2 {
            throw ValidationError("--max-shared \(maxShared): a single note is held by every piece; give 2 or more")
        }
        try steering.validate(prompt: prompt)
        if candidates.count != nil, let render {
            throw ValidationError("--render \(render): with --count every candidate is rendered into the -o folder")
        }
    }

    func run() throws {
        let run = try TrainedRun(runFolder, names: CataloguedPiece.sourceNamesOfCleanFiles)
        let generator = try PieceGenerator(
            run: run, clearance: try ReferenceIndexes.training(of: run, thresholds: verdict.thresholds))
        let controls = try controlArguments.controls()
        if let problem = generator.problem(with: controls, prompt: prompt) {
            throw ValidationError(ErrorHints.message(for: problem))
        }
        let length = length ?? controls.bars.map { $0 * GenerationControls.tokensPerBar } ?? Self.defaultLength
        let request = PieceGenerator.Request(
            prompt: prompt, length: length,
            sampling: SamplingOptions(
                temperature: temperature, topK: topK, topP: topP, kindFirst: kindFirst),
            seed: seed, rejectCopies: rejectCopies, attempts: attempts,
            cached: !noCache, controls: controls, steering: steering.steering, maxShared: maxShared,
            pieceMemory: pieceMemory)
        if let count = candidates.count {
            let audition = Audition(
                generator: generator, folder: destination.output, count: count, json: output.json,
                scores: candidates.scores, command: reproduction)
            if try audition.run(request) == 0 { throw ExitCode(1) }
            return
        }
        let progress = ProgressDisplay(unit: "tokens")
        let result: PieceGenerator.Result
        do {
            result = try generator.generate(request, to: destination.output) { done in
                progress.update(done: done, total: length)
            }
        } catch {
            progress.clear()
            Diagnostics.warn(error)
            throw ExitCode(1)
        }
        progress.clear()
        if output.json {
            JSONLine.print(result)
        } else {
            print(
                String(
                    format:
                        "%@: %d notes, %d bars%@, from %d tokens in %.1f s; clearance against the training pieces: ",
                    result.output, result.notes, result.bars, result.key.map { ", in \($0)" } ?? "", result.tokens,
                    result.seconds) + ClearanceCheckCommand.verdictText(result.clearance))
            if let prompted = result.prompted { print("  \(Audition.describe(prompted))") }
        }
        if result.isCopy { Diagnostics.warn("\(result.output) is too close to the training set to be cleared") }
        if let render { try Self.render(result.output, to: render) }
    }

    /// The command line that writes one piece of these settings alone, quoted for a POSIX shell.
    func reproduction(seed: UInt64, output: String) -> String {
        var arguments = ["tunesmith", "generate", "--run", runFolder]
        if let prompt { arguments += ["--prompt", prompt] }
        arguments += steering.arguments + controlArguments.arguments
        if let length { arguments += ["--length", String(length)] }
        arguments += ["--temperature", "\(temperature)", "--top-k", String(topK)]
        arguments += ["--top-p", "\(topP)", "--seed", String(seed)]
        if kindFirst { arguments.append("--kind-first") }
        arguments += verdict.arguments
        if let maxShared { arguments += ["--max-shared", String(maxShared)] }
        if rejectCopies { arguments.append("--reject-copies") }
        arguments += ["--attempts", String(attempts)]
        if noCache { arguments.append("--no-cache") }
        if pieceMemory { arguments.append("--piece-memory") }
        arguments += ["-o", output]
        return arguments.map(Demo.shellQuoted).joined(separator: " ")
    }

    static func render(_ midi: String, to audio: String) throws {
        do {
            let soundfont = try SoundfontSearch().locate()
            let format = try AudioFormat(
                container: AudioFormat.container(forPath: audio) ?? .wav, encoding: RenderOptions.defaultFormat.encoding
            )
            let outcome = BatchRenderer.run(
                [RenderJob(input: midi, output: audio)], soundfont: soundfont.path,
                options: RenderOptions(format: format), workers: 1)
            if case .failure(let failure) = outcome.first?.result { throw failure }
            Diagnostics.warn("rendered \(audio) with \(soundfont.path)")
        } catch {
            Diagnostics.warn("--render \(audio): \(ErrorHints.message(for: error))")
            throw ExitCode(1)
        }
    }
}
