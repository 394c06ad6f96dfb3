import ArgumentParser
import Corpus
import Foundation
import Generation
import Utilities

struct LikelihoodCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "likelihood",
        abstract: "Score pieces under a run's best model: nats per token and bits per note.",
        discussion: """
            Every token of a piece after its first is scored once, in windows of the run's context: the first window \
            from the piece's start, the later ones --stride tokens apart, each scoring the tokens that end it. \
            Bits per note (nats / ln 2 / pitched notes) compare runs of different tokenizers; the Markov baseline \
            (`train --model markov`) is scored the same way. The model is blended with each piece's memory of its own \
            earlier tokens (an n-gram model of the piece so far, with weights fitted on the run's validation pieces, \
            kept in best/piece-memory.json and fitted on first use for older runs); --no-piece-memory scores the model \
            alone. Tokens outside the run's vocabulary are left out, as \
            training leaves them out, and counted. Exit status 1 when a file could not be read.
            """)

    @Option(name: .customLong("run"), help: "Run folder written by `tunesmith train`.") var runFolder: String
    @Argument(help: "MIDI files or folders of them.") var inputs: [String] = []
    @Flag(help: "Also score the run's held-out test pieces.") var heldOut = false
    @Option(
        help: """
            Tokens between windows (1: each token sees the whole window, one forward pass per token; \
            default: each token sees at least 3/4 of the window, or all the Markov model uses).
            """)
    var stride: Int?
    @Flag(
        help: """
            Score the model alone, without blending it with each piece's memory of its own earlier tokens \
            (fitted on the run's validation pieces; the default blends).
            """)
    var noPieceMemory = false
    @OptionGroup var output: OutputArguments

    func validate() throws {
        if inputs.isEmpty && !heldOut { throw ValidationError("give MIDI files or folders to score, or --held-out") }
        if let stride, stride < 1 { throw ValidationError("--stride \(stride): give 1 or more") }
    }

    func run() throws {
        let started = Date()
        let run = try TrainedRun(runFolder, names: CataloguedPiece.sourceNamesOfCleanFiles)
        let files = try InputFiles.midiFiles(in: inputs) + (heldOut ? run.paths(named: run.description.test) : [])
        if files.isEmpty { throw ValidationError("\(inputs.joined(separator: " ")): no MIDI files to score") }
        let likelihood: Likelihood
        do {
            likelihood = try Likelihood(run: run, stride: stride, pieceMemory: !noPieceMemory)
        } catch let error as LikelihoodError {
            throw ValidationError(ErrorHints.message(for: error))
        }
        let frontend = BatchFrontend(json: output.json, inputCount: files.count, unit: "pieces")
        var pieces: [PieceLikelihood] = []
        // One piece at a time: the model's activations are not shared between threads, and its
        // kernels already use every core.
        frontend.process(
            files, text: { Self.describe($0) },
            perform: { file, _ in
                do {
                    return try likelihood.score(file: file)
                } catch PipelineError.nothingToScore(let path, let known) {
                    frontend.diagnostics.warn(
                        ErrorHints.message(for: PipelineError.nothingToScore(path: path, knownTokens: known)))
                    return nil
                }
            }, collect: { pieces.append($0) })
        let total = LikelihoodTotal(
            pieces: pieces, seconds: Date().timeIntervalSince(started), pieceMemory: likelihood.memory != nil)
        frontend.emit(total, text: Self.describe(total))
        try frontend.finish()
    }

    static func describe(_ piece: PieceLikelihood) -> String {
        String(
            format: "%@: %d tokens, %d notes: %.4f nats/token, %.3f bits/note", piece.file, piece.tokens, piece.notes,
            piece.natsPerToken, piece.bitsPerNote)
            + (piece.modelBitsPerNote.map { String(format: " (model alone %.3f)", $0) } ?? "")
            + (piece.unknownTokens > 0 ? " (\(piece.unknownTokens) tokens outside the vocabulary left out)" : "")
    }

    static func describe(_ total: LikelihoodTotal) -> String {
        String(
            format: "%d files, %d tokens, %d notes: %.4f nats/token, %.3f bits/note%@ (%.1f s)", total.files,
            total.tokens, total.notes, total.natsPerToken, total.bitsPerNote,
            total.modelBitsPerNote.map { String(format: " with each piece's memory, %.3f the model alone", $0) }
                ?? " (the model alone)", total.seconds)
    }
}
