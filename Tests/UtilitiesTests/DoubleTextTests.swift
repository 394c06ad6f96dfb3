import Foundation
import Testing
import Utilities

/// Doubles are written through a cache of recent digits (`RecentDoubleTexts`); every value
/// must still come out as the naive reference writes it: Swift's shortest round-trip
/// `description`, with JSONEncoder's "1" for "1.0".
@Suite struct DoubleTextTests {
    static func referenceText(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    func expectReferenceText(_ values: [Double], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let written = String(decoding: try StreamingJSONEncoder.encode(values), as: UTF8.self)
        let expected = "[" + values.map(Self.referenceText).joined(separator: ",") + "]"
        #expect(written == expected, sourceLocation: sourceLocation)
        let parsed = written.dropFirst().dropLast().split(separator: ",").map { Double(String($0)) }
        #expect(
            zip(parsed, values).allSatisfy { !$1.isFinite || $0?.bitPattern == $1.bitPattern },
            "every finite value reads back to the same bits", sourceLocation: sourceLocation)
    }

    /// Tempos in bpm (60,000,000 / microseconds per quarter), drawn from more
    /// distinct values than the cache has slots, so that hits, misses and evictions all happen
    /// within one line.
    @Test func repeatedValuesComeOutAsTheirOwnDigits() throws {
        var generator = SystemRandomNumberGenerator()
        let pool = (0..<600).map { _ in 60e6 / Double(Int.random(in: 200_000...1_500_000, using: &generator)) }
        let values = (0..<50_000).map { _ in pool.randomElement(using: &generator)! }
        try expectReferenceText(values)
    }

    /// Any bit pattern (NaN and the infinities become null), each written twice so the second
    /// copy comes from the cache.
    @Test func randomBitPatternsTwice() throws {
        var generator = SystemRandomNumberGenerator()
        let values = (0..<20_000).map { _ in Double(bitPattern: generator.next()) }
        try expectReferenceText(values + values.reversed() + values)
    }

    @Test func edgeValues() throws {
        let edges: [Double] = [
            0, -0.0, 1, -1, 0.1, 1e-5, 1e16, 1e22, 123_456_789, 2.5, .leastNonzeroMagnitude,
            -.leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .pi, .ulpOfOne,
            -2.2250738585072014e-308, .nan, .infinity, -.infinity, 120, 120.00012000012,
        ]
        try expectReferenceText(edges + edges)
        #expect(String(decoding: try StreamingJSONEncoder.encode([1.0, 1.0, -0.0]), as: UTF8.self) == "[1,1,-0]")
    }
}

/// Integers are written two digits at a time from a table; every value must come out as
/// the naive reference writes it: Swift's `description`.
@Suite struct IntegerTextTests {
    func expectReferenceText(_ values: [Int], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let written = String(decoding: try StreamingJSONEncoder.encode(values), as: UTF8.self)
        #expect(written == "[" + values.map(String.init).joined(separator: ",") + "]", sourceLocation: sourceLocation)
    }

    /// Each power of ten and its neighbours (where the digit count changes), both signs, and
    /// the ends of the range.
    @Test func digitCountBoundaries() throws {
        var values = [0, 1, -1, 9, 10, 11, 99, 100, 101, Int.max, Int.min, Int.max - 1, Int.min + 1]
        var power = 1
        while power <= Int.max / 10 {
            power *= 10
            values += [power - 1, power, power + 1, -(power - 1), -power, -(power + 1)]
        }
        try expectReferenceText(values)
        let unsigned: [UInt64] = [.max, .max - 1, 10_000_000_000_000_000_000, 9_999_999_999_999_999_999]
        let unsignedText = String(decoding: try StreamingJSONEncoder.encode(unsigned), as: UTF8.self)
        #expect(unsignedText == "[" + unsigned.map(String.init).joined(separator: ",") + "]")
    }

    @Test func randomValuesOfEveryLength() throws {
        var generator = SystemRandomNumberGenerator()
        let values = (0..<20_000).map { position in
            Int(truncatingIfNeeded: generator.next() as UInt64) >> (position % 64)
        }
        try expectReferenceText(values)
    }

    /// Integer fields of a `JSONFieldsWritable` value take their own path (key, digits and
    /// comma in one reservation); the bytes must be those of its Codable `encode(to:)`.
    struct Pair: JSONFieldsWritable {
        var tick: Int
        var tempo: Int

        func writeFields(to fields: inout JSONObjectFields) {
            fields.write(tick, forKey: "tick")
            fields.write(tempo, forKey: "tempo")
        }
    }

    @Test func integerFieldsWriteTheirCodableBytes() throws {
        let pairs = [Pair(tick: 0, tempo: 500_000), Pair(tick: -7, tempo: Int.min), Pair(tick: Int.max, tempo: 1)]
        let whole = String(decoding: try StreamingJSONEncoder.encode(pairs), as: UTF8.self)
        let each = try pairs.map { String(decoding: try StreamingJSONEncoder.encode($0), as: UTF8.self) }
        #expect(whole == "[" + each.joined(separator: ",") + "]")
        #expect(each[1] == #"{"tick":-7,"tempo":-9223372036854775808}"#)
    }
}

/// Arrays of `JSONFieldsWritable` values skip `encode(to:)`; the bytes must be those the
/// Codable path writes for each element.
@Suite struct JSONFieldsWritableTests {
    struct Change: JSONFieldsWritable, Equatable {
        var tick: Int
        var bpm: Double
        var label: String
        var previousTick: Int?
        var tags: [String]

        enum CodingKeys: String, CodingKey {
            case tick, bpm, label
            case previousTick = "previous_tick"
            case tags
        }

        func writeFields(to fields: inout JSONObjectFields) throws {
            fields.write(tick, forKey: "tick")
            fields.write(bpm, forKey: "bpm")
            fields.write(label, forKey: "label")
            try fields.writeIfPresent(previousTick, forKey: "previous_tick")
            try fields.write(tags, forKey: "tags")
        }
    }

    static let changes = [
        Change(tick: 0, bpm: 120, label: "start \"quoted\"", previousTick: nil, tags: []),
        Change(tick: 960, bpm: 143.99988480009216, label: "", previousTick: 0, tags: ["a", "b\n"]),
        Change(tick: -5, bpm: .nan, label: "Für 🎵", previousTick: 960, tags: ["c"]),
    ]

    @Test func arrayBytesEqualEachElementsCodableBytes() throws {
        let whole = String(decoding: try StreamingJSONEncoder.encode(Self.changes), as: UTF8.self)
        // A lone value is written through its encode(to:).
        let one = try Self.changes.map { String(decoding: try StreamingJSONEncoder.encode($0), as: UTF8.self) }
        #expect(whole == "[" + one.joined(separator: ",") + "]")
        #expect(try StreamingJSONEncoder.encode([Change]()) == Array("[]".utf8))
    }

    struct Holder: Encodable {
        var before = 1
        var changes = JSONFieldsWritableTests.changes
        var nested = [JSONFieldsWritableTests.changes, []]
        var after = "end"
    }

    @Test func insideOtherValuesTheReferenceAgrees() throws {
        let streamed = try ReferenceJSON.canonical(StreamingJSONEncoder.encode(Holder()))
        #expect(streamed == (try ReferenceJSON.canonicalEncoding(of: Holder())))
    }
}
