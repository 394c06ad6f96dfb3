/// Up to `capacity` token ids packed into two machine words, the most recent token in slot
/// 0: the hash-map key of an n-gram (its predicted token in slot 0) or of a context.
/// Slots never straddle the two words, so dropping or keeping slots is a few shifts.
struct PackedTokens: Hashable, Sendable {
    var low: UInt64 = 0
    var high: UInt64 = 0
}

/// How token ids of one vocabulary are packed: `bits` per token, `slotsPerWord` per word.
struct TokenPacking: Sendable, Equatable {
    let bits: Int
    let slotsPerWord: Int

    init(vocabularySize: Int) {
        bits = max(1, Int.bitWidth - max(vocabularySize - 1, 1).leadingZeroBitCount)
        slotsPerWord = 64 / bits
    }

    /// The longest n-gram a key holds.
    var capacity: Int { 2 * slotsPerWord }

    private var slotMask: UInt64 { (1 << UInt64(bits)) - 1 }

    func token(_ key: PackedTokens, slot: Int) -> Int32 {
        let word = slot < slotsPerWord ? key.low : key.high
        return Int32(truncatingIfNeeded: (word >> UInt64((slot % slotsPerWord) * bits)) & slotMask)
    }

    func setting(_ key: PackedTokens, slot: Int, to token: Int32) -> PackedTokens {
        var key = key
        let shifted = UInt64(UInt32(bitPattern: token)) << UInt64((slot % slotsPerWord) * bits)
        if slot < slotsPerWord { key.low |= shifted } else { key.high |= shifted }
        return key
    }

    /// The key with slot 0 dropped and every other token one slot nearer: an n-gram's context.
    func droppingNewest(_ key: PackedTokens) -> PackedTokens {
        let carried = key.high & slotMask
        return PackedTokens(
            low: key.low >> UInt64(bits) | carried << UInt64((slotsPerWord - 1) * bits),
            high: key.high >> UInt64(bits))
    }

    /// Only the `count` most recent tokens: an n-gram's lower-order suffix.
    func keepingNewest(_ key: PackedTokens, _ count: Int) -> PackedTokens {
        if count <= slotsPerWord { return PackedTokens(low: key.low & lowBits(slots: count), high: 0) }
        return PackedTokens(low: key.low, high: key.high & lowBits(slots: count - slotsPerWord))
    }

    private func lowBits(slots: Int) -> UInt64 {
        slots * bits >= 64 ? ~0 : (1 << UInt64(slots * bits)) - 1
    }

    /// The tokens oldest first, packed newest in slot 0.
    func pack<Tokens: BidirectionalCollection<Int32>>(_ tokens: Tokens) -> PackedTokens {
        var key = PackedTokens()
        for (slot, token) in tokens.reversed().enumerated() { key = setting(key, slot: slot, to: token) }
        return key
    }
}

/// What an n-gram model of order n learns from a set of pieces: how often each n-gram occurs
/// (ending anywhere from the piece's n-th token on) and each piece's first n − 1 tokens.
/// Together they give the count of every shorter n-gram too, wherever it ends, so nothing
/// else needs storing, and counts of a higher order truncate exactly to any lower one.
public struct NGramCounts: Sendable, Equatable {
    public let order: Int
    public let vocabularySize: Int
    let packing: TokenPacking
    /// n-gram (predicted token in slot 0) → occurrences.
    var counts: [PackedTokens: Int32]
    /// Each piece's first min(length, order − 1) tokens.
    var prefixes: [[Int32]]

    /// The highest order whose n-grams a key can hold for this vocabulary.
    public static func highestOrder(vocabularySize: Int) -> Int {
        TokenPacking(vocabularySize: vocabularySize).capacity
    }

    public init(pieces: [[Int32]], order: Int, vocabularySize: Int) {
        precondition(
            order >= 1 && order <= Self.highestOrder(vocabularySize: vocabularySize),
            "order \(order) does not fit a key for \(vocabularySize) tokens")
        self.order = order
        self.vocabularySize = vocabularySize
        packing = TokenPacking(vocabularySize: vocabularySize)
        var counts: [PackedTokens: Int32] = [:]
        for piece in pieces where piece.count >= order {
            for end in (order - 1)..<piece.count {
                counts[packing.pack(piece[(end - order + 1)...end]), default: 0] += 1
            }
        }
        self.counts = counts
        prefixes = pieces.map { Array($0.prefix(order - 1)) }
    }

    init(order: Int, vocabularySize: Int, counts: [PackedTokens: Int32], prefixes: [[Int32]]) {
        self.order = order
        self.vocabularySize = vocabularySize
        packing = TokenPacking(vocabularySize: vocabularySize)
        self.counts = counts
        self.prefixes = prefixes
    }

    /// Occurrences of every k-gram (k ≤ order), wherever in a piece it ends.
    func occurrences(ofOrder k: Int) -> [PackedTokens: Int32] {
        precondition(k >= 1 && k <= order)
        var result: [PackedTokens: Int32] = [:]
        result.reserveCapacity(k == order ? counts.count : counts.count / 2)
        for (ngram, count) in counts { result[packing.keepingNewest(ngram, k), default: 0] += count }
        for prefix in prefixes where prefix.count >= k {
            for end in (k - 1)..<prefix.count { result[packing.pack(prefix[(end - k + 1)...end]), default: 0] += 1 }
        }
        return result
    }

    /// Exactly the counts that counting the same pieces at a lower order gives.
    public func truncated(to lower: Int) -> NGramCounts {
        precondition(lower >= 1 && lower <= order)
        if lower == order { return self }
        return NGramCounts(
            order: lower, vocabularySize: vocabularySize, counts: occurrences(ofOrder: lower),
            prefixes: prefixes.map { Array($0.prefix(lower - 1)) })
    }

    /// Distinct n-grams of the highest order.
    public var distinctNGrams: Int { counts.count }
}

extension NGramCounts {
    static let fileName = "ngrams.safetensors"

    /// The n-grams oldest token first, in key order so the same counts always write the same bytes.
    var safeTensors: SafeTensors.File {
        let keys = counts.keys.sorted { ($0.high, $0.low) < ($1.high, $1.low) }
        var tokens: [Int32] = []
        tokens.reserveCapacity(keys.count * order)
        for key in keys {
            for slot in (0..<order).reversed() { tokens.append(packing.token(key, slot: slot)) }
        }
        return SafeTensors.File(
            tensors: [
                "ngrams": .init(integers: tokens, shape: [keys.count, order]),
                "counts": .init(integers: keys.map { counts[$0]! }, shape: [keys.count]),
                "prefix_tokens": .init(
                    integers: prefixes.flatMap { $0 }, shape: [prefixes.reduce(0) { $0 + $1.count }]),
                "prefix_lengths": .init(integers: prefixes.map { Int32($0.count) }, shape: [prefixes.count]),
            ],
            metadata: ["order": "\(order)", "vocabulary_size": "\(vocabularySize)"])
    }

    init(reading path: String, order: Int, vocabularySize: Int) throws {
        let file = try SafeTensors.read(path: path)
        func integers(_ name: String, columns: Int?) throws -> [Int32] {
            guard let tensor = file.tensors[name] else {
                throw CheckpointError.missingTensor(file: path, name: name, shape: columns.map { [-1, $0] } ?? [-1])
            }
            let expected = columns.map { [tensor.shape.first ?? 0, $0] } ?? [tensor.shape.first ?? 0]
            guard tensor.dtype == .i32, tensor.shape == expected else {
                throw CheckpointError.tensorMismatch(
                    file: path, name: name, found: tensor.dtype, shape: tensor.shape,
                    expectedShape: expected)
            }
            return tensor.integers
        }
        let ngrams = try integers("ngrams", columns: order)
        let counts = try integers("counts", columns: nil)
        let prefixTokens = try integers("prefix_tokens", columns: nil)
        let lengths = try integers("prefix_lengths", columns: nil)
        let packing = TokenPacking(vocabularySize: vocabularySize)
        guard counts.count * order == ngrams.count, lengths.reduce(0, +) == prefixTokens.count,
            ngrams.allSatisfy({ $0 >= 0 && $0 < vocabularySize }),
            prefixTokens.allSatisfy({ $0 >= 0 && $0 < vocabularySize })
        else {
            throw CheckpointError.tensorMismatch(
                file: path, name: "ngrams", found: .i32, shape: [counts.count, order],
                expectedShape: [ngrams.count / max(order, 1), order])
        }
        var table: [PackedTokens: Int32] = [:]
        table.reserveCapacity(counts.count)
        for (row, count) in counts.enumerated() {
            table[packing.pack(ngrams[(row * order)..<((row + 1) * order)])] = count
        }
        var prefixes: [[Int32]] = []
        var start = 0
        for length in lengths {
            prefixes.append(Array(prefixTokens[start..<(start + Int(length))]))
            start += Int(length)
        }
        self.init(order: order, vocabularySize: vocabularySize, counts: table, prefixes: prefixes)
    }
}
