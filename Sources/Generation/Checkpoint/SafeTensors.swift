import Foundation
import MIDIFile
import Utilities

/// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
/// naming each tensor's dtype, shape and byte range, then the raw little-endian data.
/// Files written here load with `safetensors.torch.load_file`.
public enum SafeTensors {
    public enum DType: String, Sendable {
        case f32 = "F32", i32 = "I32"
        var byteWidth: Int { 4 }
    }

    public struct Tensor: Sendable, Equatable {
        public var dtype: DType
        public var shape: [Int]
        /// Raw little-endian bytes.
        public var bytes: [UInt8]

        public init(floats: [Float], shape: [Int]) {
            precondition(floats.count == shape.reduce(1, *), "shape \(shape) does not hold \(floats.count) values")
            dtype = .f32; self.shape = shape
            bytes = floats.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
        }

        /// Copies shape.product floats starting at `start`.
        public init(copying start: UnsafePointer<Float>, shape: [Int]) {
            let floats = Array(UnsafeBufferPointer(start: start, count: shape.reduce(1, *)))
            self.init(floats: floats, shape: shape)
        }

        public init(integers: [Int32], shape: [Int]) {
            precondition(integers.count == shape.reduce(1, *), "shape \(shape) does not hold \(integers.count) values")
            dtype = .i32; self.shape = shape
            bytes = integers.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
        }

        public var count: Int { shape.reduce(1, *) }

        public var floats: [Float] {
            precondition(dtype == .f32, "tensor is \(dtype.rawValue), not F32")
            return bytes.withUnsafeBytes { raw in (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
        }

        public var integers: [Int32] {
            precondition(dtype == .i32, "tensor is \(dtype.rawValue), not I32")
            return bytes.withUnsafeBytes { raw in (0..<count).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self) } }
        }

    }

    public struct File: Sendable {
        public var tensors: [String: Tensor]
        public var metadata: [String: String]

        public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:]) {
            self.tensors = tensors; self.metadata = metadata
        }
    }

    public static func read(path: String) throws -> File {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckpointError(file: path, problem: "cannot be read", remedy: "check the path and its permissions")
        }
        return try decode([UInt8](data), file: path)
    }

    public static func decode(_ bytes: [UInt8], file: String) throws -> File {
        func corrupt(_ problem: String, at offset: Int) -> CheckpointError {
            CheckpointError(file: file, problem: "byte \(offset): \(problem)",
                            remedy: "the file is damaged or not safetensors; restore it from a good copy")
        }
        guard bytes.count >= 8 else { throw corrupt("file is \(bytes.count) bytes, shorter than the 8-byte header length", at: 0) }
        let headerLength = bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw corrupt("header length \(headerLength) runs past the end of the \(bytes.count)-byte file", at: 0)
        }
        let dataStart = 8 + Int(headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart])) as? [String: Any] else {
            throw corrupt("header is not a JSON object", at: 8)
        }
        var result = File()
        if let metadata = header["__metadata__"] as? [String: String] { result.metadata = metadata }
        let dataLength = bytes.count - dataStart
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtypeName = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let range = entry["data_offsets"] as? [Int], range.count == 2
            else { throw corrupt("tensor \(name) lacks dtype, shape or data_offsets", at: 8) }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw corrupt("tensor \(name) has dtype \(dtypeName); only F32 and I32 are read", at: 8)
            }
            let expected = shape.reduce(1, *) * dtype.byteWidth
            guard shape.allSatisfy({ $0 >= 0 }), range[0] >= 0, range[0] <= range[1], range[1] <= dataLength,
                  range[1] - range[0] == expected
            else {
                throw corrupt("tensor \(name) claims bytes \(range) of \(dataLength) for shape \(shape) (\(expected) bytes)",
                              at: dataStart + max(0, range[0]))
            }
            result.tensors[name] = Tensor(dtype: dtype, shape: shape,
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
            header[name] = ["dtype": tensor.dtype.rawValue, "shape": tensor.shape,
                            "data_offsets": [payload.count, payload.count + tensor.bytes.count]] as [String: Any]
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
        self.dtype = dtype; self.shape = shape; self.bytes = bytes
    }
}

/// A checkpoint that cannot be used: which file, what is wrong, what to do.
public struct CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var problem: String
    public var remedy: String

    public init(file: String, problem: String, remedy: String) {
        self.file = file; self.problem = problem; self.remedy = remedy
    }

    public var description: String { "\(file): \(problem); \(remedy)" }
}
