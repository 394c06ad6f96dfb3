import Clearance
import Foundation
import MIDIFile

/// What `generate` does with a producer's MIDI beyond starting from its last tokens.
public enum PromptSteering: Hashable, Sendable {
    /// The prompt, then this many new bars.
    case continuation(bars: Int)
    /// These bars (1-based, inclusive) rewritten, everything else kept.
    case infill(ClosedRange<Int>)
}

/// How a continued or infilled piece keeps its prompt, read back from the MIDI file written.
public struct PromptedReport: Codable, Hashable, Sendable {
    public var prompt: String
    public var promptBars: Int
    /// The prompt's notes that must be kept (all of them, or those outside the infilled bars).
    public var notesToKeep: Int
    /// Of those, how many the written file holds note for note once quantised again.
    public var notesKept: Int
    public var newNotes: Int
    public var newBars: Int
    /// Notes the model wrote that would have cut a kept note short, left out.
    public var droppedNotes: Int
    /// 1-based, inclusive; nil for a continuation.
    public var infillFirstBar: Int?
    public var infillLastBar: Int?
}

extension PieceGenerator {
    /// Continues or infills `request.prompt`, resampling (up to `attempts`) a sample that adds
    /// no note, or that copies the training set when asked to reject copies. Originality is
    /// measured on the new notes: the prompt is the producer's own.
    func generate(_ request: Request, steering: PromptSteering, to output: String) throws -> Result {
        let started = Date()
        guard let grammar, run.tokenizer == .events else {
            throw PromptError.needsEventTokens(tokenizer: run.tokenizer.rawValue)
        }
        if case .infill = steering, (run.description.options.infillShare ?? 0) <= 0 {
            throw PromptError.infillNotTrained(runFolder: run.folder.path)
        }
        guard let path = request.prompt else { throw PromptError.missing }
        let prompt = try Prompt(contentsOf: path)
        let sampling = ConstrainedSampling(
            generator: TokenGenerator(
                model: model, cached: request.cached, grammar: grammar,
                memory: request.pieceMemory ? try run.pieceMemory() : nil))
        let context = run.description.options.context
        var attempt = 0
        while true {
            attempt += 1
            var random = SeededRandom(seed: request.seed &+ UInt64(attempt - 1) &* 0x9E37_79B9)
            let outcome: PromptedPiece
            switch steering {
            case .continuation(let bars):
                outcome = Continuation(
                    sampling: sampling, grammar: grammar, vocabulary: run.vocabulary, context: context
                )
                .continuation(of: prompt, bars: bars, options: request.sampling, random: &random)
            case .infill(let range):
                outcome = try BarInfillSampler(
                    sampling: sampling, grammar: grammar, vocabulary: run.vocabulary, context: context
                ).infill(prompt, bars: range, options: request.sampling, random: &random)
            }
            let kept = Set(outcome.kept)
            let newPart = QuantisedPiece(
                notes: outcome.piece.notes.filter { !kept.contains($0) }, tempos: outcome.piece.tempos,
                meters: outcome.piece.meters)
            let checked = try clearance.check(newPart.midiFile(), file: output)
            let copy = checked.verdict == .copy
            let silent = outcome.newNotes == 0
            guard !(silent || copy && request.rejectCopies) || attempt >= request.attempts else { continue }
            if silent { throw PipelineError.silentSamples(output: output, attempts: attempt) }
            if copy && request.rejectCopies { throw Self.copiedSamples(checked, output: output, attempts: attempt) }
            try MIDIWriter().write(outcome.piece.midiFile(), to: output)
            let written = QuantisedPiece(try MIDIReader.read(contentsOf: output).file)
            var infillBars: ClosedRange<Int>?
            if case .infill(let range) = steering { infillBars = range }
            let prompted = PromptedReport(
                prompt: path, promptBars: prompt.bars.count, notesToKeep: outcome.kept.count,
                notesKept: Prompt.keptCount(of: outcome.kept, in: written), newNotes: outcome.newNotes,
                newBars: outcome.newBars, droppedNotes: outcome.droppedNotes,
                infillFirstBar: infillBars?.lowerBound, infillLastBar: infillBars?.upperBound)
            return Result(
                output: output, tokens: outcome.tokens, notes: written.notes.count,
                seconds: Date().timeIntervalSince(started), attempts: attempt, clearance: checked,
                prompted: prompted, key: nil, keyMatches: nil, bars: written.bars(through: written.lastEventStep).count)
        }
    }
}
