import Foundation
import MIDIFile

/// `tunesmith generate`: samples a piece from a run's best model, checks it against the
/// training set, and writes it as a standard MIDI file.
public struct PieceGenerator {
    public struct Request: Sendable {
        public var prompt: String?
        public var length: Int
        public var sampling: SamplingOptions
        public var seed: UInt64
        public var threshold: CopyThreshold
        /// Resample (up to `attempts` times) instead of only flagging a copy. A sample
        /// with no notes is always resampled.
        public var rejectCopies: Bool
        public var attempts: Int
        /// Incremental decoding; false runs the full-window reference, token for token the same piece.
        public var cached: Bool
        /// Continue the prompt by whole bars, or rewrite some of its bars; nil starts from the prompt's last tokens.
        public var steering: PromptSteering?

        public init(
            prompt: String? = nil, length: Int = 512, sampling: SamplingOptions = SamplingOptions(), seed: UInt64 = 1,
            threshold: CopyThreshold = CopyThreshold(), rejectCopies: Bool = false, attempts: Int = 5,
            cached: Bool = true, steering: PromptSteering? = nil
        ) {
            self.prompt = prompt
            self.length = length
            self.sampling = sampling
            self.seed = seed
            self.threshold = threshold
            self.rejectCopies = rejectCopies
            self.attempts = attempts
            self.cached = cached
            self.steering = steering
        }
    }

    public struct Result: Codable, Sendable {
        public var output: String
        public var tokens: Int
        public var notes: Int
        public var seconds: Double
        public var attempts: Int
        /// Of the new notes only when the prompt was continued or infilled.
        public var originality: OriginalityIndex.Report
        public var copy: Bool
        public var prompted: PromptedReport? = nil
    }

    public let run: TrainedRun
    let model: any SequenceModel
    let index: OriginalityIndex
    let grammar: TokenGrammar?

    public init(run: TrainedRun) throws {
        self.run = run
        model = try run.loadModel()
        index = try run.originalityIndex()
        grammar = TokenGrammar(vocabulary: run.vocabulary)
    }

    public func generate(_ request: Request, to output: String, progress: (Int) -> Void = { _ in }) throws -> Result {
        if let steering = request.steering { return try generate(request, steering: steering, to: output) }
        let started = Date()
        let prompt = try promptTokens(request)
        var attempt = 0
        while true {
            attempt += 1
            var random = SeededRandom(seed: request.seed &+ UInt64(attempt - 1) &* 0x9E37_79B9)
            let ids = TokenGenerator(model: model, cached: request.cached, grammar: grammar).continuation(
                of: prompt, length: request.length, options: request.sampling, random: &random, progress: progress)
            let tokens = run.vocabulary.strings(of: ids)
            let piece = run.piece(fromTokens: tokens)
            let report = index.report(for: piece)
            let copy = request.threshold.isCopy(report)
            // A sample without a single note (bars and rests only) is never worth writing.
            let silent = piece.notes.isEmpty
            if !(silent || copy && request.rejectCopies) || attempt >= request.attempts {
                if silent {
                    throw PipelineError.silentSamples(output: output, attempts: attempt)
                }
                if copy && request.rejectCopies {
                    throw PipelineError.copiedSamples(
                        output: output, attempts: attempt, longestSharedRun: report.longestSharedRun,
                        sharedNGramShare: report.sharedNGramShare)
                }
                try MIDIWriter().write(piece.midiFile(), to: output)
                return Result(
                    output: output, tokens: ids.count, notes: piece.notes.count,
                    seconds: Date().timeIntervalSince(started),
                    attempts: attempt, originality: report, copy: copy)
            }
        }
    }

    /// The prompt's tokens known to the vocabulary (its last context's worth), or a start
    /// of the run's own kind: a 4/4 bar at 120 bpm, or a note drawn from the vocabulary.
    func promptTokens(_ request: Request) throws -> [Int32] {
        if let path = request.prompt {
            let midi = try MIDIReader.read(contentsOf: path).file
            // The prompt's own end would end the continuation before it starts.
            let ids = run.vocabulary.ids(of: run.tokenizer.tokens(for: midi).filter { $0 != EventTokenizer.endToken })
            guard !ids.isEmpty else { throw PipelineError.promptOutsideVocabulary(path: path) }
            return Array(ids.suffix(run.description.options.context - 1))
        }
        switch run.tokenizer {
        case .events:
            return run.vocabulary.ids(of: ["Bar", "Meter_4/4", "Pos_0", "Tempo_\(TempoBuckets.bucket(bpm: 120))"])
        case .notes:
            var random = SeededRandom(seed: request.seed ^ 0x5EED)
            return [Int32(random.next() % UInt64(run.vocabulary.count))]
        }
    }
}
