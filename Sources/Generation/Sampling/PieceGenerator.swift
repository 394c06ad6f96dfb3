import Foundation
import MIDIFile
import MusicTheory

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
        /// Key, style, meter, tempo, bars and instruments asked for.
        public var controls: GenerationControls
        /// Never complete a run of this many notes that a training piece holds (`SharedRunGuard`).
        public var maxShared: Int?

        public init(
            prompt: String? = nil, length: Int = 512, sampling: SamplingOptions = SamplingOptions(), seed: UInt64 = 1,
            threshold: CopyThreshold = CopyThreshold(), rejectCopies: Bool = false, attempts: Int = 5,
            cached: Bool = true, controls: GenerationControls = GenerationControls(),
            steering: PromptSteering? = nil, maxShared: Int? = nil
        ) {
            self.prompt = prompt
            self.length = length
            self.sampling = sampling
            self.seed = seed
            self.threshold = threshold
            self.rejectCopies = rejectCopies
            self.attempts = attempts
            self.cached = cached
            self.controls = controls
            self.steering = steering
            self.maxShared = maxShared
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
        /// The piece's key by the key finder (`analyze`'s recipe); nil without pitched notes.
        public var key: String?
        /// Whether that is the key asked for; nil when none was.
        public var keyMatches: Bool?
        /// Bars written: exactly those asked for, when they were.
        public var bars: Int
        /// The classifier-free guidance weight on the header (`HeaderGuidance`); nil when no header was asked.
        public var guidance: Double? = nil

        enum CodingKeys: String, CodingKey {
            case output, tokens, notes, seconds, attempts, originality, copy, prompted, key, bars, guidance
            case keyMatches = "key_matches"
        }
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

    /// The first control this run cannot honour (an unknown style, a run without header
    /// tokens, ...), or nil.
    public func problem(with controls: GenerationControls, prompt: String?) -> GenerationControlError? {
        controls.problem(vocabulary: run.vocabulary, hasPrompt: prompt != nil)
    }

    public func generate(_ request: Request, to output: String, progress: (Int) -> Void = { _ in }) throws -> Result {
        if let steering = request.steering {
            guard request.maxShared == nil else { throw PipelineError.sharedRunGuardWithSteering }
            return try generate(request, steering: steering, to: output)
        }
        let started = Date()
        let controls = request.controls
        if let problem = problem(with: controls, prompt: request.prompt) { throw problem }
        let prompt = try promptTokens(request)
        // A piece opened by the controls (or the default opening) begins with its prompt; a prompt file's
        // tokens only lead into the piece.
        let opening = request.prompt == nil && run.tokenizer == .events ? prompt : []
        var grammar = grammar
        grammar?.constraints = controls.constraints
        let guidance = controls.key.flatMap {
            KeyGuidance(key: $0, strength: controls.keyGuidance, vocabulary: run.vocabulary)
        }
        let headerGuidance = self.headerGuidance(controls, opening: opening)
        let runGuard = try request.maxShared.map(sharedRunGuard)
        var attempt = 0
        while true {
            attempt += 1
            var random = SeededRandom(seed: request.seed &+ UInt64(attempt - 1) &* 0x9E37_79B9)
            let ids = TokenGenerator(
                model: model, cached: request.cached, grammar: grammar, runGuard: runGuard
            ).continuation(
                of: prompt, length: request.length, options: request.sampling, random: &random, guidance: guidance,
                headerGuidance: headerGuidance, progress: progress)
            var piece = run.piece(fromTokens: run.vocabulary.strings(of: opening + ids))
            if let bars = controls.bars {
                guard ids.last == grammar?.endToken else {
                    if attempt >= request.attempts {
                        throw GenerationControlError.barsNotReached(
                            output: output, bars: bars, attempts: attempt, tokenLimit: request.length)
                    }
                    continue
                }
                // The piece ends with its last bar: notes still sounding there stop.
                piece = piece.truncated(atStep: piece.meterStart(ofBar: bars))
            }
            let midi = Self.midiFile(of: piece, controls: controls)
            let found = AnalysisOptions.standard.key(of: midi)?.best.key
            let report = index.report(for: piece)
            let copy = request.threshold.isCopy(report)
            // A sample without a single note (bars and rests only) is never worth writing.
            let silent = piece.notes.isEmpty
            let offKey = controls.keyStrict && found != controls.key
            if !(silent || copy && request.rejectCopies || offKey) || attempt >= request.attempts {
                if silent {
                    throw PipelineError.silentSamples(output: output, attempts: attempt)
                }
                if copy && request.rejectCopies {
                    throw PipelineError.copiedSamples(
                        output: output, attempts: attempt, longestSharedRun: report.longestSharedRun,
                        sharedNGramShare: report.sharedNGramShare)
                }
                if offKey, let asked = controls.key {
                    throw GenerationControlError.keyNotReached(
                        output: output, asked: asked, found: found, attempts: attempt)
                }
                try MIDIWriter().write(midi, to: output)
                return Result(
                    output: output, tokens: ids.count, notes: piece.notes.count,
                    seconds: Date().timeIntervalSince(started),
                    attempts: attempt, originality: report, copy: copy, key: found?.name,
                    keyMatches: controls.key.map { $0 == found },
                    bars: controls.bars ?? piece.bars(through: piece.lastEventStep).count,
                    guidance: opening.isEmpty ? nil : controls.headerGuidanceWeight)
            }
        }
    }

    /// Guidance on the header the controls open the piece with; nil when there is none, or at
    /// weight 1, which is the conditioned pass alone.
    func headerGuidance(_ controls: GenerationControls, opening: [Int32]) -> HeaderGuidance? {
        guard !opening.isEmpty, let weight = controls.headerGuidanceWeight, weight != 1 else { return nil }
        return HeaderGuidance(weight: weight, unconditionedPrompt: run.vocabulary.ids(of: controls.firstBarTokens))
    }

    /// The guard against runs of `notes` notes held by this run's training pieces.
    func sharedRunGuard(notes: Int) throws -> SharedRunGuard {
        guard notes >= 2 else { throw PipelineError.sharedRunTooShort(notes: notes) }
        guard grammar != nil else {
            throw PipelineError.sharedRunGuardNeedsEvents(runFolder: run.folder.path, tokenizer: run.tokenizer.rawValue)
        }
        return SharedRunGuard(
            runLength: notes, training: try run.pieces(named: run.description.training).map(\.piece),
            vocabulary: run.vocabulary)
    }

    /// The piece as MIDI at the tempo asked for, exactly; with bars asked for, every track
    /// ends with the last bar, so the file is as long as the bars.
    static func midiFile(of piece: QuantisedPiece, controls: GenerationControls) -> MIDIFile {
        var midi = piece.midiFile(bpm: controls.bpm)
        if let bars = controls.bars {
            let end = piece.meterStart(ofBar: bars) * QuantisedPiece.ticksPerQuarter / TokenGrid.stepsPerQuarter
            for index in midi.tracks.indices { midi.tracks[index].endOfTrackTick = end }
        }
        return midi
    }

    /// The prompt's tokens known to the vocabulary (its last context's worth), or a start
    /// of the run's own kind: the controls' opening (a 4/4 bar at 120 bpm unless asked
    /// otherwise), or a note drawn from the vocabulary.
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
            return run.vocabulary.ids(of: request.controls.openingTokens)
        case .notes:
            var random = SeededRandom(seed: request.seed ^ 0x5EED)
            return [Int32(random.next() % UInt64(run.vocabulary.count))]
        }
    }
}
