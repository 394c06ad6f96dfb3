import Foundation
import MIDIFile
import Utilities

/// A training run on disk: run.json (options and the split), vocabulary.json,
/// history.json (one record per epoch), checkpoint/ (the latest trainer, for --resume),
/// best/ (the model with the lowest validation loss, and its blend with the piece's own memory), summary.json, and clearance/ (the
/// training pieces' clearance index, once something was checked against them).
public struct RunFolder: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path }

    public var runFile: String { file("run.json") }
    public var vocabularyFile: String { file("vocabulary.json") }
    public var historyFile: String { file("history.json") }
    public var summaryFile: String { file("summary.json") }
    public var checkpoint: String { file("checkpoint") }
    /// The unfinished epoch's loss and time at the latest periodic checkpoint.
    public var epochProgressFile: String { file("epoch-progress.json") }
    public var best: String { file("best") }
    /// The best model's blend with the piece's own memory (`MemoryMixture`), fitted on the
    /// validation pieces. Inside best/, so a new best model drops the old model's fit.
    public var pieceMemoryFile: String { (best as NSString).appendingPathComponent("piece-memory.json") }
    /// The clearance index of the training pieces, which `generate` and `evaluate` check
    /// originality against; built on first use (`ReferenceClearance`).
    public var clearanceIndex: String { file("clearance") }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// The options and which pieces each split holds, by name.
    public struct Description: Codable, Sendable {
        public var options: TrainingOptions
        public var training: [String]
        public var validation: [String]
        public var test: [String]
        /// The keys the training pieces open with, by style (`generate` draws one when no
        /// key is asked); nil for runs written before it was counted and runs without keys.
        public var trainingKeys: TrainingKeys?
        /// The training pieces' textures, by style (`generate` draws a polyphony level when none
        /// is asked); nil for runs written before it was counted and runs without bar textures.
        public var trainingPolyphony: TrainingPolyphony?
    }

    /// The vocabulary and `run.json` (options and the split by piece name), as every kind
    /// of run writes them before it trains or counts.
    func writeDescription(options: TrainingOptions, dataset: Dataset) throws {
        try dataset.vocabulary.save(to: vocabularyFile)
        let names = { (pieces: [Int]) in pieces.map { dataset.names[$0] } }
        try write(
            Description(
                options: options, training: names(dataset.training), validation: names(dataset.validation),
                test: names(dataset.test),
                trainingKeys: options.tokenizer == .events
                    ? TrainingKeys(
                        headers: dataset.training.map { dataset.sequences[$0].prefix(dataset.headerLengths[$0]) },
                        vocabulary: dataset.vocabulary)
                    : nil,
                trainingPolyphony: options.tokenizer == .events
                    ? TrainingPolyphony(
                        pieces: dataset.training.map { dataset.sequences[$0][...] }, vocabulary: dataset.vocabulary)
                    : nil),
            to: runFile)
    }

    public func write<Value: Encodable>(_ value: Value, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(value), to: path)
    }

    public func read<Value: Decodable>(_ type: Value.Type, from path: String) throws -> Value {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError.runFileMissing(path: path, runFolder: self.path)
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw PipelineError.runFileUnreadable(path: path, reason: "\(error)")
        }
    }
}

/// Where a periodic checkpoint left the epoch it interrupted: the trainer step it belongs
/// to, the epoch's summed training loss and its seconds so far.
public struct EpochProgress: Codable, Sendable, Equatable {
    public var step: Int
    public var lossSum: Double
    public var seconds: Double
}

/// One epoch's figures, as history.json keeps them.
public struct EpochRecord: Codable, Sendable {
    public var epoch: Int
    public var trainLoss: Double
    public var validationLoss: Double
    /// The validation loss in bits per note; absent from histories written before it was kept.
    public var validationBitsPerNote: Double?
    public var learningRate: Double
    public var steps: Int
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case epoch, steps, seconds
        case trainLoss = "train_loss"
        case validationLoss = "val_loss"
        case learningRate = "learning_rate"
        case validationBitsPerNote = "val_bits_per_note"
    }
}

/// What `tunesmith train --json` prints at the end.
public struct TrainingSummary: Codable, Sendable {
    public var model: String
    public var tokenizer: String
    public var splitProtocol: String
    public var trainLoss: Double
    public var validationLoss: Double
    /// The best validation loss in bits per note.
    public var validationBitsPerNote: Double?
    /// The Markov model's n (nil for the networks).
    public var order: Int?
    public var bestEpoch: Int
    public var epochs: Int
    public var tokensPerSecond: Double
    public var parameters: Int
    public var seconds: Double
    public var vocabulary: Int
    public var pieces: Int
    public var trainingTokens: Int
    public var validationWindows: Int
    public var run: String
    /// The best model's blend with the piece's own memory, fitted on the validation pieces
    /// (`MemoryMixture.Fit`); nil without validation pieces.
    public var pieceMemory: MemoryMixture.Fit? = nil

    enum CodingKeys: String, CodingKey {
        case model, tokenizer, epochs, parameters, seconds, vocabulary, pieces, run, order
        case pieceMemory = "piece_memory"
        case validationBitsPerNote = "val_bits_per_note"
        case splitProtocol = "protocol"
        case trainLoss = "train_loss"
        case validationLoss = "val_loss"
        case bestEpoch = "best_epoch"
        case tokensPerSecond = "tokens_per_second"
        case trainingTokens = "training_tokens"
        case validationWindows = "validation_windows"
    }
}
