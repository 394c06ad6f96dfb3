import Foundation
import Generation
import Testing

@Suite struct CheckpointTests {
    static func scratchDirectory(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(name)-\(getpid())").path
    }

    @Test func decodesAHandWrittenFile() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"__metadata__":{"k":"v"}}"#
        var bytes: [UInt8] = [UInt8(header.utf8.count), 0, 0, 0, 0, 0, 0, 0]  // header length, little-endian u64
        bytes += Array(header.utf8)
        bytes += [0x00, 0x00, 0x80, 0x3F]  // 1.0 as little-endian f32
        bytes += [0x00, 0x00, 0x20, 0xC0]  // -2.5
        let file = try SafeTensors.decode(bytes, file: "hand.safetensors")
        #expect(file.tensors["a"]?.floats == [1, -2.5])
        #expect(file.tensors["a"]?.shape == [2])
        #expect(file.metadata == ["k": "v"])
    }

    @Test func roundTripsAndPadsTheHeader() throws {
        let original = SafeTensors.File(
            tensors: [
                "w": .init(floats: [1, 2, 3, 4, 5, 6], shape: [2, 3]), "t": .init(integers: [7, -8], shape: [2]),
            ],
            metadata: ["format": "pt"])
        let bytes = SafeTensors.encode(original)
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        let decoded = try SafeTensors.decode(bytes, file: "memory")
        #expect(decoded.tensors == original.tensors)
        #expect(decoded.metadata == original.metadata)
    }

    @Test func corruptFilesAreRejectedWithTheirOffset() throws {
        let good = SafeTensors.encode(.init(tensors: ["w": .init(floats: [1, 2], shape: [2])]))
        let short = CheckpointError.corrupt(file: "short", offset: 0, defect: .shorterThanHeaderLength(fileSize: 5))
        #expect(throws: short) {
            try SafeTensors.decode(Array(good.prefix(5)), file: "short")
        }
        var hugeHeader = good
        hugeHeader[7] = 0x7F
        let huge = try #require(throws: CheckpointError.self) {
            try SafeTensors.decode(hugeHeader, file: "huge.safetensors")
        }
        guard case .corrupt("huge.safetensors", 0, .headerPastEnd(_, let fileSize)) = huge else {
            Issue.record("expected a header past the end at byte 0, got \(huge)")
            return
        }
        #expect(fileSize == good.count)
        let truncated = Array(good.dropLast(4))
        let cut = try #require(throws: CheckpointError.self) {
            try SafeTensors.decode(truncated, file: "cut.safetensors")
        }
        guard case .corrupt("cut.safetensors", _, .tensorOutOfRange(let name, _, _, _, _)) = cut else {
            Issue.record("expected a tensor out of range, got \(cut)")
            return
        }
        #expect(name == "w")
        var notJSON = good
        notJSON[8] = UInt8(ascii: "x")
        #expect(throws: CheckpointError.corrupt(file: "garbled", offset: 8, defect: .headerNotJSON)) {
            try SafeTensors.decode(notJSON, file: "garbled")
        }
    }

    @Test func versionMismatchSaysWhatToDo() throws {
        let directory = Self.scratchDirectory("version")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = Models.make(
            .lstm(vocabularySize: 5, embedding: 4, hidden: 4, layers: 1), batch: 1, time: 2, seed: 1)
        try Checkpoint.saveModel(model, to: directory)
        let configPath = directory + "/config.json"
        let text = try String(contentsOfFile: configPath, encoding: .utf8)
        try text.replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 99")
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let future = CheckpointError.formatVersion(file: configPath, found: 99, readable: Checkpoint.formatVersion)
        #expect(throws: future) {
            try Checkpoint.loadModel(from: directory, batch: 1, time: 2)
        }
    }

    @Test func wrongShapeNamesTheTensorAndBothShapes() throws {
        let directory = Self.scratchDirectory("shape"), other = Self.scratchDirectory("shape-other")
        defer { for path in [directory, other] { try? FileManager.default.removeItem(atPath: path) } }
        try Checkpoint.saveModel(
            Models.make(.lstm(vocabularySize: 5, embedding: 4, hidden: 4, layers: 1), batch: 1, time: 2, seed: 1),
            to: directory)
        try Checkpoint.saveModel(
            Models.make(.lstm(vocabularySize: 5, embedding: 4, hidden: 6, layers: 1), batch: 1, time: 2, seed: 1),
            to: other)
        try FileManager.default.removeItem(atPath: directory + "/model.safetensors")
        try FileManager.default.copyItem(atPath: other + "/model.safetensors", toPath: directory + "/model.safetensors")
        let error = try #require(throws: CheckpointError.self) {
            try Checkpoint.loadModel(from: directory, batch: 1, time: 2)
        }
        guard case .tensorMismatch(_, _, .f32, let shape, let expectedShape) = error else {
            Issue.record("expected a tensor of another shape, got \(error)")
            return
        }
        #expect(shape == [24, 4] && expectedShape == [16, 4], "\(error)")
    }

    @Test func savedModelReloadsToTheSameOutputs() throws {
        let directory = Self.scratchDirectory("reload")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for config in smallConfigs {
            let model = Models.make(config, batch: 2, time: 8, seed: 3)
            try Checkpoint.saveModel(model, to: directory)
            let reloaded = try Checkpoint.loadModel(from: directory, batch: 2, time: 8)
            #expect(reloaded.config == config)
            #expect(reloaded.parameters.values.array == model.parameters.values.array)
            let tokens = (0..<16).map { Int32($0 % 10) }
            model.forward(tokens: tokens, targets: nil, training: false)
            reloaded.forward(tokens: tokens, targets: nil, training: false)
            #expect(model.logits(sequence: 1, position: 7) == reloaded.logits(sequence: 1, position: 7))
        }
    }
}
