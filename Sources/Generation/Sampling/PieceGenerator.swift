import Clearance
import Foundation
import MIDIFile
import MusicTheory

/// `tunesmith generate`: samples a piece from a run's best model, checks it against the
/// training pieces with the clearance check, and writes it as a standard MIDI file.
public struct PieceGenerator {
    public struct Request: Sendable {
        public var prompt: String?
        public var length: Int
        public var sampling: SamplingOptions
        public var seed: UInt64
        /// Resample (up to `attempts` times) a sample the clearance check judges a copy,
        /// instead of only reporting it. A sample with no notes is always resampled.
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
        /// Blend the model with the piece's own memory of what it has played (`TrainedRun.pieceMemory`).
        /// Off by default: it predicts held-out pieces better, but 30 pieces sampled with it
        /// repeated themselves into narrower ranges and emptier bars (README, "Each piece's memory").
        public var pieceMemory: Bool

        public init(
            prompt: String? = nil, length: Int = 512, sampling: SamplingOptions = SamplingOptions(), seed: UInt64 = 1,
            rejectCopies: Bool = false, attempts: Int = 5,
            cached: Bool = true, controls: GenerationControls = GenerationControls(),
            steering: PromptSteering? = nil, maxShared: Int? = nil, pieceMemory: Bool = false
        ) {
            self.prompt = prompt
            self.length = length
            self.sampling = sampling
            self.seed = seed
            self.rejectCopies = rejectCopies
            self.attempts = attempts
            self.cached = cached
            self.controls = controls
            self.steering = steering
            self.maxShared = maxShared
            self.pieceMemory = pieceMemory
        }
    }

    public struct Result: Encodable, Sendable {
        public var output: String
        public var tokens: Int
        public var notes: Int
        public var seconds: Double
        public var attempts: Int
        /// The clearance check against the training pieces: of the new notes only when the
        /// prompt was continued or infilled.
        public var clearance: CheckResult
        public var prompted: PromptedReport? = nil
        /// The piece's key by the key finder (`analyze`'s recipe); nil without pitched notes.
        public var key: String?
        /// Whether that is the key asked for (or drawn); nil when there was none.
        public var keyMatches: Bool?
        /// The key drawn from the training pieces' keys when none was asked (`TrainingKeys`).
        public var keyDrawn: String? = nil
        /// Bars written: exactly those asked for, when they were.
        public var bars: Int
        /// The classifier-free guidance weight on the header (`HeaderGuidance`); nil when no header was asked.
        public var guidance: Double? = nil
        /// The `BarPolyphony` level every bar named; nil when the model chose each bar's.
        public var polyphony: Int? = nil
        /// Whether that level was drawn from the training pieces' textures (`TrainingPolyphony`).
        public var polyphonyDrawn: Bool? = nil

        enum CodingKeys: String, CodingKey {
            case output, tokens, notes, seconds, attempts, verdict, matches, prompted, key, bars, guidance, polyphony
            case keyMatches = "key_matches"
            case keyDrawn = "key_drawn"
            case polyphonyDrawn = "polyphony_drawn"
        }

        /// The check's fields as `clearance check --json` writes them.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(output, forKey: .output)
            try container.encode(tokens, forKey: .tokens)
            try container.encode(notes, forKey: .notes)
            try container.encode(seconds, forKey: .seconds)
            try container.encode(attempts, forKey: .attempts)
            try container.encode(clearance.verdict, forKey: .verdict)
            try container.encode(clearance.matches, forKey: .matches)
            try container.encodeIfPresent(prompted, forKey: .prompted)
            try container.encodeIfPresent(key, forKey: .key)
            try container.encodeIfPresent(keyMatches, forKey: .keyMatches)
            try container.encodeIfPresent(keyDrawn, forKey: .keyDrawn)
            try container.encode(bars, forKey: .bars)
            try container.encodeIfPresent(guidance, forKey: .guidance)
            try container.encodeIfPresent(polyphony, forKey: .polyphony)
            try container.encodeIfPresent(polyphonyDrawn, forKey: .polyphonyDrawn)
        }

        public var isCopy: Bool { clearance.verdict == .copy }
    }

    public let run: TrainedRun
    let model: any SequenceModel
    /// The copy check against the run's training pieces (`TrainedRun.trainingClearance`).
    public let clearance: ReferenceClearance
    let grammar: TokenGrammar?

    /// - Parameter clearance: the check against the training pieces; nil opens the run's own
    ///   (`TrainedRun.trainingClearance`, built on first use) with the default thresholds.
    public init(run: TrainedRun, clearance: ReferenceClearance? = nil) throws {
        self.run = run
        model = try run.loadModel()
        self.clearance = try clearance ?? run.trainingClearance()
        grammar = TokenGrammar(vocabulary: run.vocabulary)
    }

    /// The first control this run cannot honour (an unknown style, a run without header
    /// tokens, ...), or nil.
    public func problem(with controls: GenerationControls, prompt: String?) -> GenerationControlError? {
        controls.problem(vocabulary: run.vocabulary, hasPrompt: prompt != nil)
    }

    public func generate(_ request: Request, to output: String, progress: (Int) -> Void = { _ in }) throws -> Result {
        var request = request
        // Header guidance amplifies what was asked, not a key drawn for a piece that asked nothing.
        let guidanceWeight = request.controls.headerGuidanceWeight
        let keyDrawn = drawnKey(for: request)
        if let keyDrawn { request.controls.key = keyDrawn }
        let polyphonyDrawn = drawnPolyphony(for: request)
        if let polyphonyDrawn { request.controls.polyphony = polyphonyDrawn }
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
            KeyGuidance(
                key: $0,
                strength: controls.keyGuidance
                    ?? (keyDrawn == nil ? KeyGuidance.defaultStrength : KeyGuidance.drawnKeyStrength),
                vocabulary: run.vocabulary,
                // An asked key is held until the finders `generate` checks with hear it; a drawn one is a nudge.
                heldBy: keyDrawn == nil ? GenerationControls.strictKeyProfiles : [])
        }
        let headerGuidance = self.headerGuidance(controls, weight: guidanceWeight, opening: opening)
        let runGuard = try request.maxShared.map(sharedRunGuard)
        let memory = request.pieceMemory ? try run.pieceMemory() : nil
        var attempt = 0
        while true {
            attempt += 1
            var random = SeededRandom(seed: request.seed &+ UInt64(attempt - 1) &* 0x9E37_79B9)
            let ids = TokenGenerator(
                model: model, cached: request.cached, grammar: grammar, runGuard: runGuard, memory: memory
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
            // [strictKeyProfiles] the analyze recipe's key first, the one reported.
            let heard = GenerationControls.strictKeys(of: midi)
            let found = heard[0]
            let checked = try clearance.check(midi, file: output)
            let copy = checked.verdict == .copy
            // A sample without a single note (bars and rests only) is never worth writing.
            let silent = piece.notes.isEmpty
            // The first strict profile to name another key, or nil when all name the asked one.
            let strictMiss = controls.keyStrict ? heard.first { $0 != controls.key } : nil
            let offKey = strictMiss != nil
            if !(silent || copy && request.rejectCopies || offKey) || attempt >= request.attempts {
                if silent {
                    throw PipelineError.silentSamples(output: output, attempts: attempt)
                }
                if copy && request.rejectCopies { throw Self.copiedSamples(checked, output: output, attempts: attempt) }
                if offKey, let asked = controls.key {
                    throw GenerationControlError.keyNotReached(
                        output: output, asked: asked, found: strictMiss ?? found, attempts: attempt)
                }
                try MIDIWriter().write(midi, to: output)
                return Result(
                    output: output, tokens: ids.count, notes: piece.notes.count,
                    seconds: Date().timeIntervalSince(started),
                    attempts: attempt, clearance: checked, key: found?.name,
                    keyMatches: controls.key.map { $0 == found }, keyDrawn: keyDrawn?.name,
                    bars: controls.bars ?? piece.bars(through: piece.lastEventStep).count,
                    guidance: opening.isEmpty ? nil : guidanceWeight, polyphony: controls.polyphony,
                    polyphonyDrawn: controls.polyphony.map { _ in polyphonyDrawn != nil })
            }
        }
    }

    static func copiedSamples(_ checked: CheckResult, output: String, attempts: Int) -> PipelineError {
        let best = checked.matches.first
        return PipelineError.copiedSamples(
            output: output, attempts: attempts, closest: best?.piece ?? "", sharedNotes: best?.sharedNotes ?? 0,
            percentile: best?.percentile ?? 0)
    }

    /// A key for a piece that asks for none and has no prompt to take one from: drawn from the
    /// training pieces' keys of the asked style, from its own random stream so the notes
    /// sampled for a seed stay those of that seed. Nil for runs that did not count keys.
    func drawnKey(for request: Request) -> Key? {
        guard request.controls.key == nil, request.prompt == nil, run.tokenizer == .events else { return nil }
        var random = SeededRandom(seed: request.seed ^ 0x4B45_59)
        return run.description.trainingKeys?.draw(style: request.controls.style, random: &random)
    }

    /// A polyphony level for a piece that asks for none and has no prompt to take its texture
    /// from: drawn from the training pieces' textures of the asked style, from its own random
    /// stream, as the key is. Nil for runs whose bars name no texture.
    func drawnPolyphony(for request: Request) -> Int? {
        guard request.controls.polyphony == nil, request.prompt == nil, run.tokenizer == .events else { return nil }
        var random = SeededRandom(seed: request.seed ^ 0x504F_4C59)
        return run.description.trainingPolyphony?.draw(style: request.controls.style, random: &random)
    }

    /// Guidance at `weight` on the header the controls open the piece with; nil when nothing was
    /// asked, or at weight 1, which is the conditioned pass alone.
    func headerGuidance(_ controls: GenerationControls, weight: Double?, opening: [Int32]) -> HeaderGuidance? {
        guard !opening.isEmpty, let weight, weight != 1 else { return nil }
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
