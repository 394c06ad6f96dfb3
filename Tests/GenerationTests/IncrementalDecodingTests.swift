import Foundation
import Generation
import Testing

/// Rotary positions against their reference, and the cached decoders against the
/// full-window reference they replace: the same logits at every step, the same tokens.
@Suite struct RotaryTests {
    static func random(_ count: Int, seed: UInt64) -> [Float] { KernelReferenceTests.random(count, seed: seed) }

    /// Head size 6 turns three pairs; head size 5 leaves its last channel alone.
    @Test(arguments: [(12, 2), (10, 2)])
    func turnsAsTheRotationMatrixDoes(channels: Int, heads: Int) {
        let batch = 2, time = 13, n = batch * time
        let rotary = Rotary(time: time, channels: channels, heads: heads)
        let input = Self.random(n * 3 * channels, seed: 1)
        let fast = Buffer(input), reference = Buffer(input)
        rotary.forward(qkv: fast.pointer, batch: batch)
        rotary.forwardReference(qkv: reference.pointer, batch: batch)
        expectClose(fast.values, reference.values, relative: 1e-5, "rotated qkv")
        func values(_ qkv: [Float]) -> [Float] {
            (0..<n).flatMap { (row: Int) -> ArraySlice<Float> in
                let start = row * 3 * channels + 2 * channels
                return qkv[start..<(start + channels)]
            }
        }
        #expect(values(fast.values) == values(input), "values are not turned")
        #expect(fast.values != input, "queries and keys are turned")
    }

    /// Backward is forward's transpose: ⟨R x, y⟩ = ⟨x, Rᵀ y⟩ for any x, y.
    @Test func backwardIsTheTranspose() {
        let batch = 2, time = 9, channels = 8, heads = 2, count = batch * time * 3 * channels
        let rotary = Rotary(time: time, channels: channels, heads: heads)
        let x = Self.random(count, seed: 2), y = Self.random(count, seed: 3)
        let turned = Buffer(x), gradient = Buffer(y)
        rotary.forward(qkv: turned.pointer, batch: batch)
        rotary.backward(dqkv: gradient.pointer, batch: batch)
        let left = zip(turned.values, y).map { Double($0) * Double($1) }.reduce(0, +)
        let right = zip(x, gradient.values).map { Double($0) * Double($1) }.reduce(0, +)
        #expect(abs(left - right) < 1e-3 * max(1, abs(left)), "⟨Rx, y⟩ \(left) vs ⟨x, Rᵀy⟩ \(right)")
    }

    /// What lets generation run past the context: a score depends on the offset between the
    /// query's and the key's positions, not on where the pair sits.
    @Test func scoresDependOnTheOffsetOnly() {
        let channels = 16, heads = 2, hs = channels / heads
        let row = Self.random(3 * channels, seed: 4)
        let cos = Buffer(zeros: hs / 2), sin = Buffer(zeros: hs / 2)
        func score(query: Int, key: Int) -> Float {
            let q = Buffer(row), k = Buffer(row)
            for (row, position) in [(q, query), (k, key)] {
                Rotary.forward(
                    row: row.pointer, position: position, channels: channels, heads: heads, cos: cos.pointer,
                    sin: sin.pointer)
            }
            return (0..<hs).map { q.values[$0] * k.values[channels + $0] }.reduce(0, +)
        }
        let near = score(query: 7, key: 3)
        expectClose([score(query: 1007, key: 1003)], [near], relative: 1e-4, "offset 4 at 1000")
        expectClose([score(query: 4, key: 0)], [near], relative: 1e-4, "offset 4 at 0")
        #expect(abs(score(query: 7, key: 2) - near) > 1e-3, "another offset, another score")
    }

    /// Past the window a query sees only the last `window` keys.
    @Test(arguments: [13, 150])
    func bandedAttentionMatchesTheReference(time: Int) {
        let batch = 2, channels = 12, heads = 3, n = batch * time
        let attention = CausalAttention(batch: batch, time: time, channels: channels, heads: heads, window: 5)
        let qkv = Buffer(Self.random(n * 3 * channels, seed: 5))
        let fast = Buffer(zeros: n * channels), reference = Buffer(zeros: n * channels)
        let att = Buffer(Self.random(batch * heads * time * time, seed: 6))
        attention.forward(out: fast.pointer, att: att.pointer, qkv: qkv.pointer)
        attention.forwardReference(out: reference.pointer, qkv: qkv.pointer)
        expectClose(fast.values, reference.values, relative: 1e-5, "banded attention")
        let row = 11, line = Array(att.values[(row * time)..<(row * time + time)])
        #expect(line[..<(row - 4)].allSatisfy { $0 == 0 } && line[(row + 1)...].allSatisfy { $0 == 0 })
        #expect(abs(line.reduce(0, +) - 1) < 1e-5)
    }

    /// Checkpoints from before rotary positions have no `positions` field: they learned theirs.
    @Test func configsWithoutPositionsLearnedThem() throws {
        let json =
            #"{"kind":"transformer","vocabularySize":7,"channels":8,"hidden":32,"layers":1,"heads":2,"#
            + #""context":8,"dropout":0}"#
        let config = try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8))
        #expect(config.positionEncoding == .learned)
        #expect(Models.make(config, batch: 1, time: 8, seed: 1).parameters.layout["wpe.weight"] != nil)
        let fresh = ModelConfig.transformer(vocabularySize: 7, width: 8, layers: 1, heads: 2, context: 8)
        #expect(fresh.positionEncoding == .rotary)
        #expect(Models.make(fresh, batch: 1, time: 8, seed: 1).parameters.layout["wpe.weight"] == nil)
        let decoded = try JSONDecoder().decode(ModelConfig.self, from: JSONEncoder().encode(fresh))
        #expect(decoded == fresh)
    }

    /// A checkpoint written before rotary positions loads, and decodes past its context with
    /// the cache as the reference does.
    @Test func aCheckpointFromBeforeRotaryPositionsLoadsAndDecodes() throws {
        let config = ModelConfig.transformer(
            vocabularySize: 11, width: 16, layers: 1, heads: 2, context: 8,
            positions: .learned)
        let model = Models.make(config, batch: 1, time: 8, seed: 3)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tunesmith-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Checkpoint.saveModel(model, to: directory)
        let path = directory + "/config.json"
        let written = try String(contentsOfFile: path, encoding: .utf8)
        let older = written.replacingOccurrences(of: #""positions" : "learned","#, with: "")
        #expect(older != written)
        try older.write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = try Checkpoint.loadModel(from: directory, batch: 1, time: 8)
        #expect(loaded.config.positions == nil)
        let tokens: [Int32] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        expectClose(
            Decoders.cached(loaded, capacity: tokens.count).append(tokens),
            WindowDecoder(model: model, capacity: tokens.count).append(tokens), relative: 1e-4, "old checkpoint")
    }
}

@Suite struct IncrementalDecodingTests {
    static let context = 8
    static let configs: [ModelConfig] = [
        .lstm(vocabularySize: 11, embedding: 6, hidden: 10, layers: 2),
        // Dilations 1, 2, 4, 8: a receptive field of 16, so 24 tokens wrap every queue.
        .wavenet(vocabularySize: 11, channels: 8, skipChannels: 12, blocks: 4),
        .transformer(vocabularySize: 11, width: 16, layers: 2, heads: 2, context: context, positions: .learned),
        .transformer(vocabularySize: 11, width: 16, layers: 2, heads: 2, context: context, positions: .rotary),
    ]

    static let sequence: [Int32] = {
        var generator = SeededRandom(seed: 31)
        return (0..<24).map { _ in Int32(generator.next() % 11) }
    }()

    /// A prompt of three tokens, then one token a step, three times the context: past the
    /// window (learned positions re-encode it, rotary ones slide the cache).
    @Test(arguments: configs)
    func cachedLogitsEqualTheFullWindow(config: ModelConfig) {
        let model = Models.make(config, batch: 1, time: Self.context, seed: 12)
        let capacity = Self.sequence.count
        let reference = WindowDecoder(model: model, capacity: capacity)
        let cached = Decoders.cached(model, capacity: capacity)
        #expect(!(cached is WindowDecoder), "\(config.kind) has a cached decoder")
        let prompt = Array(Self.sequence.prefix(3))
        expectClose(cached.append(prompt), reference.append(prompt), relative: 1e-4, "\(config.kind) after the prompt")
        for step in 3..<capacity {
            let token = [Self.sequence[step]]
            expectClose(
                cached.append(token), reference.append(token), relative: 1e-4,
                "\(config.kind) at token \(step)")
        }
    }

    @Test(arguments: configs)
    func bothDecodersSampleTheSamePiece(config: ModelConfig) {
        let model = Models.make(config, batch: 1, time: Self.context, seed: 13)
        // With the piece's memory blended in too: it reads the same tokens either way.
        let vocabulary = config.vocabularySize
        let memory = MemoryMixture(
            weights: (0..<PieceMemory.buckets).map {
                MemoryMixture.Weights(steps: Double($0 % 5) / 8, written: Double($0 % 3) / 8)
            },
            contextClasses: [UInt8](repeating: 0, count: vocabulary), orders: PieceMemory.orders,
            fit: .init(tokens: 0, bitsPerNoteWithout: 0, bitsPerNoteWith: 0))
        func piece(cached: Bool, memory: MemoryMixture? = nil) -> [Int32] {
            var random = SeededRandom(seed: 5)
            return TokenGenerator(model: model, cached: cached, memory: memory)
                .continuation(
                    of: [1, 2], length: 30, options: SamplingOptions(temperature: 1.2, topP: 1),
                    random: &random)
        }
        let fast = piece(cached: true)
        #expect(fast.count == 30)
        #expect(fast == piece(cached: false))
        #expect(piece(cached: true, memory: memory) == piece(cached: false, memory: memory))
    }
}
