import Foundation
import MIDIFile

/// One window of a piece scored by `Likelihood`: the model reads the piece's tokens from
/// `start` (at most its window length of them) and is scored on its predictions of the tokens
/// at `scored`, which no other window scores.
public struct ScoringWindow: Hashable, Sendable {
    public var start: Int
    public var scored: Range<Int>

    /// Windows of `time` tokens `stride` apart that score every token of a piece of `count`
    /// tokens after the first, once. The first token is never scored: no model predicts it,
    /// and training never asks one to (every target has at least one token before it). The
    /// first window scores tokens 1…time from the piece's start, as training sees a piece's
    /// opening; each later window scores the `stride` tokens that end it, each of them seen
    /// after at least `time − stride + 1` tokens of the piece.
    public static func plan(count: Int, time: Int, stride: Int) -> [ScoringWindow] {
        precondition(time >= 1 && stride >= 1 && stride <= time, "stride \(stride) must be 1…\(time)")
        guard count > 1 else { return [] }
        var windows = [ScoringWindow(start: 0, scored: 1..<(min(time, count - 1) + 1))]
        while let last = windows.last, last.scored.upperBound < count {
            let start = last.start + stride
            windows.append(
                ScoringWindow(start: start, scored: last.scored.upperBound..<(min(start + time, count - 1) + 1)))
        }
        return windows
    }

    /// The stride that gives every token after the first window at least as much context as
    /// the model can use, or three quarters of the window when it can use more (a network:
    /// stride 1 would give each token the whole window, at one forward pass per token).
    public static func defaultStride(time: Int, receptiveField: Int) -> Int {
        max(1, time - min(receptiveField, time * 3 / 4) + 1)
    }
}

/// How well a run's best model predicts a piece, in nats per token and bits per note.
public struct PieceLikelihood: Codable, Sendable {
    public var file: String
    /// Tokens scored: the piece's known tokens after its first.
    public var tokens: Int
    /// Pitched notes of the scored tokens.
    public var notes: Int
    public var natsPerToken: Double
    public var bitsPerNote: Double
    /// Tokens of the piece the run's vocabulary does not know, left out as training leaves them out.
    public var unknownTokens: Int
    /// The model's own figures, without the piece's memory; nil when it was scored alone.
    public var modelNatsPerToken: Double? = nil
    public var modelBitsPerNote: Double? = nil

    /// The whole piece's negative log-likelihood in nats.
    public var nats: Double { natsPerToken * Double(tokens) }

    enum CodingKeys: String, CodingKey {
        case file, tokens, notes
        case natsPerToken = "nats_per_token"
        case bitsPerNote = "bits_per_note"
        case unknownTokens = "unknown_tokens"
        case modelNatsPerToken = "model_nats_per_token"
        case modelBitsPerNote = "model_bits_per_note"
    }
}

/// The figures of every piece scored together: tokens and notes summed, nats pooled.
public struct LikelihoodTotal: Codable, Sendable {
    public var total = true
    public var files: Int
    public var tokens: Int
    public var notes: Int
    public var natsPerToken: Double
    public var bitsPerNote: Double
    public var seconds: Double
    /// Whether the model was blended with each piece's own memory (`MemoryMixture`).
    public var pieceMemory: Bool
    /// The model's own figures, without the memory; nil when it was scored alone.
    public var modelNatsPerToken: Double?
    public var modelBitsPerNote: Double?

    public init(pieces: [PieceLikelihood], seconds: Double, pieceMemory: Bool) {
        files = pieces.count
        tokens = pieces.reduce(0) { $0 + $1.tokens }
        notes = pieces.reduce(0) { $0 + $1.notes }
        let nats = pieces.reduce(0) { $0 + $1.nats }
        natsPerToken = tokens > 0 ? nats / Double(tokens) : .nan
        bitsPerNote = BitsPerNote.of(nats: nats, notes: notes)
        self.seconds = seconds
        self.pieceMemory = pieceMemory
        if pieceMemory {
            let modelNats = pieces.reduce(0) { $0 + ($1.modelNatsPerToken ?? 0) * Double($1.tokens) }
            modelNatsPerToken = tokens > 0 ? modelNats / Double(tokens) : .nan
            modelBitsPerNote = BitsPerNote.of(nats: modelNats, notes: notes)
        }
    }

    enum CodingKeys: String, CodingKey {
        case total, files, tokens, notes, seconds
        case natsPerToken = "nats_per_token"
        case bitsPerNote = "bits_per_note"
        case pieceMemory = "piece_memory"
        case modelNatsPerToken = "model_nats_per_token"
        case modelBitsPerNote = "model_bits_per_note"
    }
}

/// `tunesmith likelihood`: scores whole pieces under a run's best model with `ScoringWindow`s,
/// as many windows per forward pass as the run trained with, blended with each piece's memory
/// of itself unless asked not to.
public struct Likelihood {
    public let run: TrainedRun
    public let model: any SequenceModel
    public let stride: Int
    /// The model blended with each piece's own memory of itself (`TrainedRun.pieceMemory`); nil: the model alone.
    public let memory: MemoryMixture?

    /// `stride` nil takes `ScoringWindow.defaultStride`; `pieceMemory` false scores the model alone.
    public init(run: TrainedRun, stride: Int? = nil, pieceMemory: Bool = true) throws {
        self.run = run
        let stride = try stride.map { stride in
            // Checked before the model is loaded or the memory fitted: a wrong flag should fail fast.
            if let problem = Self.problem(stride: stride, time: run.description.options.context) { throw problem }
            return stride
        }
        model = try run.loadModel(batch: run.description.options.batch)
        self.stride =
            stride ?? ScoringWindow.defaultStride(time: model.time, receptiveField: model.config.receptiveField)
        memory = pieceMemory ? try run.pieceMemory(model: model) : nil
    }

    /// A stride the run's windows cannot take.
    public static func problem(stride: Int, time: Int) -> LikelihoodError? {
        (1...time).contains(stride) ? nil : .strideOutsideWindow(stride: stride, time: time)
    }

    public func score(file: String) throws -> PieceLikelihood {
        try score(
            tokens: run.tokenizer.tokens(for: MIDIReader.read(contentsOf: file).file, style: run.style(ofFile: file)),
            file: file)
    }

    /// Tokens the vocabulary does not know are left out, as training leaves them out.
    public func score(tokens: [String], file: String) throws -> PieceLikelihood {
        let ids = run.vocabulary.ids(of: tokens)
        guard ids.count >= 2 else { throw PipelineError.nothingToScore(path: file, knownTokens: ids.count) }
        var modelTotal = 0.0
        var blendedTotal = 0.0
        var memories = memory?.memories()
        var read = 0
        Self.forEachScored(
            of: ids, model: model, windows: ScoringWindow.plan(count: ids.count, time: model.time, stride: stride)
        ) { target, logits in
            modelTotal += Self.negativeLogSoftmax(logits, at: Int(ids[target]))
            guard let memory else { return }
            // The memories read the piece up to the token scored, and no further (mutated in
            // place: a copy would copy all they have read, token after token).
            while read < target {
                memories?.append(ids[read])
                read += 1
            }
            if let memories { blendedTotal += memory.nats(of: ids[target], model: logits, memories: memories) }
        }
        let nats = memory == nil ? nil : blendedTotal
        let notes = ids.dropFirst().reduce(0) { $0 + run.tokenizer.notes(in: run.vocabulary.tokens[Int($1)]) }
        let scored = Double(ids.count - 1)
        return PieceLikelihood(
            file: file, tokens: ids.count - 1, notes: notes, natsPerToken: (nats ?? modelTotal) / scored,
            bitsPerNote: BitsPerNote.of(nats: nats ?? modelTotal, notes: notes),
            unknownTokens: tokens.count - ids.count,
            modelNatsPerToken: nats == nil ? nil : modelTotal / scored,
            modelBitsPerNote: nats == nil ? nil : BitsPerNote.of(nats: modelTotal, notes: notes))
    }

    /// −ln P of each scored token, window by window in order (`forEachScored`).
    public static func nats(of sequence: [Int32], model: any SequenceModel, windows: [ScoringWindow]) -> [Double] {
        var result: [Double] = []
        forEachScored(of: sequence, model: model, windows: windows) { target, logits in
            result.append(negativeLogSoftmax(logits, at: Int(sequence[target])))
        }
        return result
    }

    /// Hands `body` each scored token's position and the model's logits for it, window by window
    /// in order (so positions rise), with as many windows per forward pass as the model has
    /// sequences. Positions past the piece's end are padded; the models are causal, so padding
    /// never reaches a scored position.
    public static func forEachScored(
        of sequence: [Int32], model: any SequenceModel, windows: [ScoringWindow],
        _ body: (_ target: Int, _ logits: [Float]) -> Void
    ) {
        let time = model.time
        let batch = model.batch
        var tokens = [Int32](repeating: 0, count: batch * time)
        for first in Swift.stride(from: 0, to: windows.count, by: batch) {
            let chunk = windows[first..<min(first + batch, windows.count)]
            for (row, window) in chunk.enumerated() {
                for offset in 0..<time {
                    tokens[row * time + offset] =
                        window.start + offset < sequence.count ? sequence[window.start + offset] : 0
                }
            }
            tokens.withUnsafeBufferPointer { _ = model.forward(tokens: $0.baseAddress!, targets: nil, training: false) }
            for (row, window) in chunk.enumerated() {
                for target in window.scored {
                    body(target, model.logits(sequence: row, position: target - window.start - 1))
                }
            }
        }
    }

    /// The reference for `nats`: one forward pass per scored token, the window holding only
    /// the tokens before it (from the window's start) and zeros after, read at its last token.
    public static func referenceNats(of sequence: [Int32], model: any SequenceModel, windows: [ScoringWindow])
        -> [Double]
    {
        var result: [Double] = []
        for window in windows {
            for target in window.scored {
                var tokens = [Int32](repeating: 0, count: model.batch * model.time)
                for (offset, token) in sequence[window.start..<target].enumerated() { tokens[offset] = token }
                tokens.withUnsafeBufferPointer {
                    _ = model.forward(tokens: $0.baseAddress!, targets: nil, training: false)
                }
                let logits = model.logits(sequence: 0, position: target - window.start - 1)
                result.append(negativeLogSoftmax(logits, at: Int(sequence[target])))
            }
        }
        return result
    }

    static func negativeLogSoftmax(_ logits: [Float], at target: Int) -> Double {
        logSumExp(logits) - Double(logits[target])
    }

    /// ln Σ exp(logit), from the highest so nothing overflows; a logit of −∞ adds nothing.
    static func logSumExp(_ logits: [Float]) -> Double {
        let highest = logits.max()!
        return log(logits.reduce(0.0) { $0 + exp(Double($1 - highest)) }) + Double(highest)
    }
}

/// A setting `Likelihood` cannot score with.
public enum LikelihoodError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Windows must overlap or touch, or tokens between them would go unscored.
    case strideOutsideWindow(stride: Int, time: Int)

    public var description: String {
        switch self {
        case .strideOutsideWindow(let stride, _): "stride \(stride): \(problem)"
        }
    }

    public var problem: String {
        switch self {
        case .strideOutsideWindow(_, let time): "give 1 to \(time), the run's window length"
        }
    }
}
