import Foundation
import Utilities

/// A checkpoint directory: config.json (format version, model config, training state),
/// model.safetensors (parameters under PyTorch-style names) and optimizer.safetensors
/// (AdamW moments `m.<name>`, `v.<name>`). Written to a temporary directory and renamed
/// into place, so an interrupted save never leaves a half-written checkpoint.
public enum Checkpoint {
    public static let formatVersion = 1

    public struct Config: Codable, Equatable, Sendable {
        public var formatVersion: Int
        public var model: ModelConfig
        public var training: TrainingState?
    }

    public struct TrainingState: Codable, Equatable, Sendable {
        public var batch: Int
        public var time: Int
        public var step: Int
        public var optimizer: AdamW
        public var schedule: LearningRateSchedule
        public var clipNorm: Float
        /// xoshiro states as hexadecimal words: JSON numbers lose bits above 2^53.
        public var samplerState: [String]
        public var dropoutState: [String]
    }

    public static func save(_ trainer: Trainer, to directory: String) throws {
        let model = trainer.model
        let state = TrainingState(
            batch: model.batch, time: model.time, step: trainer.step, optimizer: trainer.optimizer,
            schedule: trainer.schedule, clipNorm: trainer.clipNorm,
            samplerState: trainer.sampler.state.map { String($0, radix: 16) },
            dropoutState: model.random.state.map { String($0, radix: 16) })
        let layout = model.parameters.layout
        var moments = SafeTensors.File()
        for entry in layout.entries {
            moments.tensors["m." + entry.name] = .init(
                copying: trainer.firstMoments.base + entry.offset, shape: entry.shape)
            moments.tensors["v." + entry.name] = .init(
                copying: trainer.secondMoments.base + entry.offset, shape: entry.shape)
        }
        try writeDirectory(
            directory, config: Config(formatVersion: formatVersion, model: model.config, training: state),
            tensorFiles: [
                "model.safetensors": parameterTensors(model.parameters),
                "optimizer.safetensors": moments,
            ])
    }

    /// Parameters and config only, for generation or for sharing the model; a Markov model's
    /// counts in place of parameters.
    public static func saveModel(_ model: any SequenceModel, to directory: String) throws {
        let config = Config(formatVersion: formatVersion, model: model.config, training: nil)
        if let markov = model as? MarkovModel {
            return try writeDirectory(
                directory, config: config,
                tensorFiles: [NGramCounts.fileName: markov.counts.safeTensors])
        }
        try writeDirectory(
            directory, config: config,
            tensorFiles: ["model.safetensors": parameterTensors(model.parameters)])
    }

    public static func readConfig(from directory: String) throws -> Config {
        let path = directory + "/config.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckpointError.unreadable(file: path)
        }
        struct Version: Decodable { var formatVersion: Int }
        guard let version = try? JSONDecoder().decode(Version.self, from: data) else {
            throw CheckpointError.configWithoutVersion(file: path)
        }
        guard version.formatVersion == formatVersion else {
            throw CheckpointError.formatVersion(file: path, found: version.formatVersion, readable: formatVersion)
        }
        do {
            return try JSONDecoder().decode(Config.self, from: data)
        } catch {
            throw CheckpointError.configNotAModel(file: path, reason: "\(error)")
        }
    }

    /// A model for windows of batch × time tokens with the saved parameters.
    public static func loadModel(from directory: String, batch: Int, time: Int) throws -> any SequenceModel {
        let config = try readConfig(from: directory)
        if config.model.kind == .markov {
            let counts = try NGramCounts(
                reading: directory + "/" + NGramCounts.fileName, order: config.model.layers,
                vocabularySize: config.model.vocabularySize)
            return MarkovModel(counts: counts, batch: batch, time: time)
        }
        _ = try BLASLibrary.load()
        let model = Models.make(config.model, batch: batch, time: time, seed: 0)
        try fill(
            model.parameters.values, layout: model.parameters.layout, prefix: "",
            from: directory + "/model.safetensors")
        return model
    }

    /// The trainer exactly as saved: parameters, moments, step, schedule and random streams.
    public static func loadTrainer(from directory: String) throws -> Trainer {
        let config = try readConfig(from: directory)
        guard let state = config.training else {
            throw CheckpointError.noTrainingState(file: directory + "/config.json")
        }
        let model = try loadModel(from: directory, batch: state.batch, time: state.time)
        let trainer = Trainer(
            model: model, optimizer: state.optimizer, schedule: state.schedule, clipNorm: state.clipNorm, seed: 0)
        let path = directory + "/optimizer.safetensors"
        try fill(trainer.firstMoments, layout: model.parameters.layout, prefix: "m.", from: path)
        try fill(trainer.secondMoments, layout: model.parameters.layout, prefix: "v.", from: path)
        guard let sampler = SeededRandom(state: state.samplerState.compactMap { UInt64($0, radix: 16) }),
            let dropout = SeededRandom(state: state.dropoutState.compactMap { UInt64($0, radix: 16) })
        else {
            throw CheckpointError.badRandomState(file: directory + "/config.json")
        }
        trainer.sampler = sampler
        model.random = dropout
        trainer.step = state.step
        return trainer
    }

    private static func fill(_ buffer: FloatBuffer, layout: TensorLayout, prefix: String, from path: String) throws {
        let file = try SafeTensors.read(path: path)
        for entry in layout.entries {
            let name = prefix + entry.name
            guard let tensor = file.tensors[name] else {
                throw CheckpointError.missingTensor(file: path, name: name, shape: entry.shape)
            }
            guard tensor.dtype == .f32, tensor.shape == entry.shape else {
                throw CheckpointError.tensorMismatch(
                    file: path, name: name, found: tensor.dtype, shape: tensor.shape,
                    expectedShape: entry.shape)
            }
            tensor.bytes.withUnsafeBytes { raw in
                UnsafeMutableRawPointer(buffer.base + entry.offset).copyMemory(
                    from: raw.baseAddress!, byteCount: raw.count)
            }
        }
    }

    private static func parameterTensors(_ parameters: ParameterSet) -> SafeTensors.File {
        var file = SafeTensors.File(metadata: ["format": "pt"])
        for entry in parameters.layout.entries {
            file.tensors[entry.name] = .init(copying: parameters.values.base + entry.offset, shape: entry.shape)
        }
        return file
    }

    private static func writeDirectory(
        _ directory: String, config: Config,
        tensorFiles: [String: SafeTensors.File]
    ) throws {
        do {
            var files = tensorFiles.mapValues { Data(SafeTensors.encode($0)) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            files["config.json"] = try encoder.encode(config)
            try AtomicFile.replaceFolder(directory, with: files)
        } catch {
            throw CheckpointError.unwritable(directory: directory, reason: (error as NSError).localizedDescription)
        }
    }
}
