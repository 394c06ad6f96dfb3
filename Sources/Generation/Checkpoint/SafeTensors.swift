import Foundation
import MIDIFile
import Utilities

/// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
/// naming each tensor's dtype, shape and byte range, then the raw little-endian data.
/// Files written here load with `safetensors.torch.load_file`.
public enum SafeTensors {
    public enum DType: String, Sendable {
        case f32 = "F32"
        case i32 = "I32"
        var byteWidth: Int { 4 }
    }

    public struct Tensor: Sendable, Equatable {
        public var dtype: DType
        public var shape: [Int]
        /// Raw little-endian bytes.
        public var bytes: [UInt8]

        public init(floats: [Float], shape: [Int]) {
            precondition(floats.count == shape.reduce(1, *), "shape \(shape) does not hold \(floats.count) values")
            dtype = .f32
            self.shape = shape
            bytes = floats.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
        }

        /// Copies shape.product floats starting at `start`.
        public init(copying start: UnsafePointer<Float>, shape: [Int]) {
            let floats = Array(UnsafeBufferPointer(start: start, count: shape.reduce(1, *)))
            self.init(floats: floats, shape: shape)
        }

        public init(integers: [Int32], shape: [Int]) {
            precondition(integers.count == shape.reduce(1, *), "shape \(shape) does not hold \(integers.count) values")
            dtype = .i32
            self.shape = shape
            bytes = integers.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
        }

        public var count: Int { shape.reduce(1, *) }

        public var floats: [Float] {
            precondition(dtype == .f32, "tensor is \(dtype.rawValue), not F32")
            return bytes.withUnsafeBytes { raw in
                (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
            }
        }

        public var integers: [Int32] {
            precondition(dtype == .i32, "tensor is \(dtype.rawValue), not I32")
            return bytes.withUnsafeBytes { raw in
                (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self) }
            }
        }

    }

    public struct File: Sendable {
        public var tensors: [String: Tensor]
        public var metadata: [String: String]

        public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
            self.tensors = tensors
            self.metadata = metadata
        }
    }

    public static func read(path: String) throws -> File {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckpointError.unreadable(file: path)
        }
        return try decode([UInt8](data), file: path)
    }

    public static func decode(_ bytes: [UInt8], file: String) throws -> File {
        func corrupt(_ defect: SafeTensorsDefect, at offset: Int) -> CheckpointError {
            .corrupt(file: file, offset: offset, defect: defect)
        }
        guard bytes.count >= 8 else { throw corrupt(.shorterThanHeaderLength(fileSize: bytes.count), at: 0) }
        let headerLength = bytes[0..<8].enumerated().reduce(UInt64(0)) {
            $0 | UInt64($1.element) << (8 * UInt64($1.offset))
        }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw corrupt(.headerPastEnd(headerLength: headerLength, fileSize: bytes.count), at: 0)
        }
        let dataStart = 8 + Int(headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])) as? [String: Any] else {
            throw corrupt(.headerNotJSON, at: 8)
        }
        var result = File()
        if let metadata = header["__metadata__"] as? [String: String] { result.metadata = metadata }
        let dataLength = bytes.count - dataStart
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtypeName = entry["dtype"] as? String,
                let shape = entry["shape"] as? [Int], let range = entry["data_offsets"] as? [Int], range.count == 2
            else { throw corrupt(.tensorFieldsMissing(name: name), at: 8) }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw corrupt(.unsupportedDType(name: name, dtype: dtypeName), at: 8)
            }
            let expected = shape.reduce(1, *) * dtype.byteWidth
            guard shape.allSatisfy({ $0 >= 0 }), range[0] >= 0, range[0] <= range[1], range[1] <= dataLength,
                range[1] - range[0] == expected
            else {
                let defect = SafeTensorsDefect.tensorOutOfRange(
                    name: name, range: range, dataLength: dataLength, shape: shape, expectedBytes: expected)
                throw corrupt(defect, at: dataStart + max(0, range[0]))
            }
            result.tensors[name] = Tensor(
                dtype: dtype, shape: shape,
                bytes: Array(bytes[(dataStart + range[0])..<(dataStart + range[1])]))
        }
        return result
    }

    /// Tensors are stored in name order; the header is padded with spaces to a multiple of 8.
    public static func encode(_ file: File) -> [UInt8] {
        var header: [String: Any] = [:]
        if !file.metadata.isEmpty { header["__metadata__"] = file.metadata }
        var payload: [UInt8] = []
        for name in file.tensors.keys.sorted() {
            let tensor = file.tensors[name]!
            header[name] =
                [
                    "dtype": tensor.dtype.rawValue, "shape": tensor.shape,
                    "data_offsets": [payload.count, payload.count + tensor.bytes.count],
                ] as [String: Any]
            payload += tensor.bytes
        }
        var json = [UInt8](try! JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
        let length = UInt64(json.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) } + json + payload
    }

    public static func write(_ file: File, to path: String) throws {
        try AtomicFile.write(Data(encode(file)), to: path)
    }
}

extension SafeTensors.Tensor {
    init(dtype: SafeTensors.DType, shape: [Int], bytes: [UInt8]) {
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }
}

/// A checkpoint that cannot be used, with the file at fault and the figures that show it.
public enum CheckpointError: Error, Hashable, Sendable, CustomStringConvertible {
    case unreadable(file: String)
    case configWithoutVersion(file: String)
    /// Written by a build with another checkpoint format.
    case formatVersion(file: String, found: Int, readable: Int)
    case configNotAModel(file: String, reason: String)
    /// A model saved for generation, asked to resume training.
    case noTrainingState(file: String)
    case badRandomState(file: String)
    case missingTensor(file: String, name: String, shape: [Int])
    case tensorMismatch(file: String, name: String, found: SafeTensors.DType, shape: [Int], expectedShape: [Int])
    case unwritable(directory: String, reason: String)
    /// A safetensors file damaged at byte `offset`.
    case corrupt(file: String, offset: Int, defect: SafeTensorsDefect)

    public var file: String {
        switch self {
        case .unreadable(let file), .configWithoutVersion(let file), .formatVersion(let file, _, _),
            .configNotAModel(let file, _), .noTrainingState(let file), .badRandomState(let file),
            .missingTensor(let file, _, _), .tensorMismatch(let file, _, _, _, _), .corrupt(let file, _, _):
            file
        case .unwritable(let directory, _): directory
        }
    }

    public var description: String { "\(file): \(problem); \(remedy)" }

    /// What is wrong, without the file.
    public var problem: String {
        switch self {
        case .unreadable: "is missing or unreadable"
        case .configWithoutVersion: "is not JSON with a formatVersion"
        case .formatVersion(_, let found, let readable): "format version \(found), this build reads version \(readable)"
        case .configNotAModel(_, let reason): "does not describe a model: \(reason)"
        case .noTrainingState: "holds a model without training state"
        case .badRandomState: "random states are not four hexadecimal words"
        case .missingTensor(_, let name, let shape): "has no tensor \(name) of shape \(shape)"
        case .tensorMismatch(_, let name, let found, let shape, let expectedShape):
            "tensor \(name) is \(found.rawValue) \(shape), the config expects F32 \(expectedShape)"
        case .unwritable(_, let reason): "cannot be written: \(reason)"
        case .corrupt(_, let offset, let defect): "byte \(offset): \(defect)"
        }
    }

    public var remedy: String {
        switch self {
        case .unreadable: "check the path, and that it was written by a Tunesmith checkpoint save"
        case .configWithoutVersion, .configNotAModel, .badRandomState: "the checkpoint is damaged; use another one"
        case .formatVersion: "use the Tunesmith version that wrote it, or retrain"
        case .noTrainingState: "resume from a checkpoint saved during training"
        case .missingTensor, .tensorMismatch:
            "config.json and the tensors come from different models; use a complete checkpoint"
        case .unwritable: "check that the parent folder exists and is writable"
        case .corrupt: "the file is damaged or not safetensors; restore it from a good copy"
        }
    }
}

/// How a safetensors file's bytes contradict its format.
public enum SafeTensorsDefect: Hashable, Sendable, CustomStringConvertible {
    case shorterThanHeaderLength(fileSize: Int)
    case headerPastEnd(headerLength: UInt64, fileSize: Int)
    case headerNotJSON
    case tensorFieldsMissing(name: String)
    case unsupportedDType(name: String, dtype: String)
    /// The tensor's byte range lies outside the data or disagrees with its shape.
    case tensorOutOfRange(name: String, range: [Int], dataLength: Int, shape: [Int], expectedBytes: Int)

    public var description: String {
        switch self {
        case .shorterThanHeaderLength(let fileSize): "file is \(fileSize) bytes, shorter than the 8-byte header length"
        case .headerPastEnd(let headerLength, let fileSize):
            "header length \(headerLength) runs past the end of the \(fileSize)-byte file"
        case .headerNotJSON: "header is not a JSON object"
        case .tensorFieldsMissing(let name): "tensor \(name) lacks dtype, shape or data_offsets"
        case .unsupportedDType(let name, let dtype): "tensor \(name) has dtype \(dtype); only F32 and I32 are read"
        case .tensorOutOfRange(let name, let range, let dataLength, let shape, let expectedBytes):
            "tensor \(name) claims bytes \(range) of \(dataLength) for shape \(shape) (\(expectedBytes) bytes)"
        }
    }
}
