import Foundation
import Testing
import Utilities

/// The streaming encoder against its reference (Foundation's JSONEncoder, see ReferenceJSON)
/// on the shapes that are easy to get wrong; the real report types are checked in their
/// own modules' tests.
@Suite struct StreamingJSONEncoderTests {
    func text<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try StreamingJSONEncoder.encode(value), as: UTF8.self)
    }

    func expectReferenceParity<Value: Encodable>(
        _ value: Value,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let streamed = try ReferenceJSON.canonical(StreamingJSONEncoder.encode(value))
        #expect(streamed == (try ReferenceJSON.canonicalEncoding(of: value)), sourceLocation: sourceLocation)
    }

    /// A key spelled at run time, to put any string through the key rule.
    struct NamedKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    struct KeyedByNames: Encodable {
        var names: [String]
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: NamedKey.self)
            for (position, name) in names.enumerated() {
                try container.encode(position, forKey: NamedKey(stringValue: name))
            }
        }
    }

    static let keyNames = [
        "durationSeconds", "peakDBFS", "sharedNGramShare", "tonic_pc", "myURLProperty", "sha256", "tempoMinimumBPM",
        "interOnsetHistogram", "a", "URL", "already_snake_case", "p95Value", "x2Y", "trailingCAPS", "_leading", "é",
    ]

    @Test func keysBecomeSnakeCaseByJSONEncodersRule() throws {
        #expect(SnakeCase.convert("sharedNGramShare") == "shared_n_gram_share")
        #expect(SnakeCase.convert("peakDBFS") == "peak_dbfs")
        #expect(SnakeCase.convert("tonic_pc") == "tonic_pc")
        #expect(SnakeCase.convert("myURLProperty") == "my_url_property")
        #expect(SnakeCase.convert("") == "")
        try expectReferenceParity(KeyedByNames(names: Self.keyNames))
    }

    @Test func keysThatNeedEscapingAreEscaped() throws {
        try expectReferenceParity(KeyedByNames(names: ["quote\"d", "back\\slash", "new\nline"]))
    }

    struct Texts: Encodable {
        var plain = "Für Elise — op. 59/1 🎵"
        var controls = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        var punctuation = "\"quoted\" \\ back/slash \u{7F} \u{2028}"
        var empty = ""
        var unicodeOnly = "日本語"
    }

    @Test func stringsAreEscapedAndUnicodeKept() throws {
        try expectReferenceParity(Texts())
        try expectReferenceParity(["folder/quote\"tab\tnewline\n.mid"])
        #expect(try text("a\"b\\c\n\u{1}/é") == #""a\"b\\c\n\u0001/é""#)
    }

    struct Numbers: Encodable {
        var doubles: [Double] = [
            0, -0.0, 1, 0.1, 1e-5, 1e16, 123_456_789, 0.8123456789012345, 1e300, -2.5,
            .leastNonzeroMagnitude, .greatestFiniteMagnitude,
        ]
        var floats: [Float] = [0.9, 1, 3.4e38, 1e-7]
        var integers: [Int] = [0, -1, .max, .min]
        var small: Int8 = -128
        var unsigned: UInt64 = .max
        var half: UInt16 = 65535
        var nonFinite: [Double] = [.nan, .infinity, -.infinity]
        var nanField = Double.nan
        var infiniteFloat = Float.infinity
        var truth = true
    }

    @Test func numbersAreShortestRoundTripAndNonFiniteIsNull() throws {
        try expectReferenceParity(Numbers())
        #expect(try text([1.0, 0.5, 1e-5, .nan, .infinity]) == "[1,0.5,1e-05,null,null]")
        #expect(try text([Int.min, Int.max]) == "[-9223372036854775808,9223372036854775807]")
    }

    struct Nested: Encodable {
        var twice: Int?? = .some(nil)
        var absent: String?
        var present: Double? = 2
        var grid: [[Double]] = [[1, 2], [], [3.5]]
        var words: [[String]] = [["a"], ["b", "c"]]
        var counts: [String: Int] = ["b": 1, "a": 2, "camelCase": 3, "with space": 4]
        var byNumber: [Int: String] = [3: "three", 1: "one"]
        var rows: [Row] = [Row(firstMeasure: 1, lastMeasure: 2), Row(firstMeasure: 3, lastMeasure: nil)]
        var emptyRows: [Row] = []
        var deep: [String: [[String: [Int?]]]] = ["x": [["y": [1, nil]]]]
    }

    struct Row: Encodable {
        var firstMeasure: Int
        var lastMeasure: Int?
    }

    @Test func nestedOptionalsArraysAndDictionaries() throws {
        try expectReferenceParity(Nested())
        #expect(try text(Nested().rows) == #"[{"first_measure":1,"last_measure":2},{"first_measure":3}]"#)
    }

    struct Cat: Encodable {
        var name = "Tom"
        var livesLeft = 9
    }

    struct Dog: Encodable {
        var nickName: String?
        var name = "Rex"
    }

    struct Pets: Encodable {
        var cat = Cat()
        var dog = Dog()
    }

    /// Keys are remembered by depth and position; other types, and optional fields that move
    /// the keys after them, must still get their own keys.
    @Test func keysWrittenWhereOtherKeysWereWrittenBefore() throws {
        let pets = [Pets(), Pets(dog: Dog(nickName: "R")), Pets()]
        let cat = #"{"cat":{"name":"Tom","lives_left":9},"#
        let plainDog = #""dog":{"name":"Rex"}}"#, nickNamedDog = #""dog":{"nick_name":"R","name":"Rex"}}"#
        #expect(try text(pets) == "[" + cat + plainDog + "," + cat + nickNamedDog + "," + cat + plainDog + "]")
    }

    @Test func dictionaryKeysAreDataSortedAndVerbatim() throws {
        #expect(try text(["b": 1, "a": 2, "keyName": 3]) == #"{"a":2,"b":1,"keyName":3}"#)
    }

    class Base: Encodable {
        var baseValue = 1
    }

    final class Derived: Base {
        var derivedValue = "d"
        enum CodingKeys: CodingKey { case derivedValue }
        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(derivedValue, forKey: .derivedValue)
            try super.encode(to: container.superEncoder())
        }
    }

    /// Asks for its container twice, as a type sharing one object with its parts may.
    struct TwoAsks: Encodable {
        enum First: CodingKey { case one }
        enum Second: CodingKey { case twoWords }
        func encode(to encoder: any Encoder) throws {
            var first = encoder.container(keyedBy: First.self)
            try first.encode([1, 2], forKey: .one)
            var second = encoder.container(keyedBy: Second.self)
            try second.encode("x", forKey: .twoWords)
        }
    }

    /// Nested containers filled by hand, the parent written to again after each.
    struct HandNested: Encodable {
        enum Keys: CodingKey { case position, pitchNames, after }
        enum PositionKeys: CodingKey { case barNumber, beat }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var position = container.nestedContainer(keyedBy: PositionKeys.self, forKey: .position)
            try position.encode(3, forKey: .barNumber)
            try position.encode(1.5, forKey: .beat)
            var names = container.nestedUnkeyedContainer(forKey: .pitchNames)
            try names.encode("C4")
            var chord = names.nestedUnkeyedContainer()
            try chord.encode("E4")
            var inner = names.nestedContainer(keyedBy: PositionKeys.self)
            try inner.encode(2, forKey: .barNumber)
            try container.encode(true, forKey: .after)
        }
    }

    @Test func nestedContainersCloseBeforeTheirParentGoesOn() throws {
        try expectReferenceParity(HandNested())
        let position = #""position":{"bar_number":3,"beat":1.5}"#
        let pitchNames = #""pitch_names":["C4",["E4"],{"bar_number":2}]"#
        #expect(try text(HandNested()) == "{" + position + "," + pitchNames + #","after":true}"#)
    }

    struct Silent: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    @Test func superEncodersRepeatedContainersAndSilentValues() throws {
        try expectReferenceParity(Derived())
        try expectReferenceParity(TwoAsks())
        #expect(try text(TwoAsks()) == #"{"one":[1,2],"two_words":"x"}"#)
        #expect(try text([Silent()]) == "[{}]")
        try expectReferenceParity([Silent()])
    }

    struct Failing: Encodable {
        struct Refused: Error {}
        func encode(to encoder: any Encoder) throws { throw Refused() }
    }

    @Test func linesEndInOneLineBreakAndErrorsPassThrough() throws {
        let line = try StreamingJSONEncoder.withEncoded(Row(firstMeasure: 1, lastMeasure: nil), lineBreak: true) {
            String(decoding: $0, as: UTF8.self)
        }
        #expect(line == "{\"first_measure\":1}\n")
        #expect(throws: Failing.Refused.self) { try StreamingJSONEncoder.encode([Failing()]) }
    }

    /// Long enough to make the buffer grow several times from its first 4 KiB.
    @Test func largeValuesSurviveTheBufferGrowing() throws {
        let rows = (0..<20_000).map { Row(firstMeasure: $0, lastMeasure: $0 % 3 == 0 ? nil : -$0) }
        try expectReferenceParity(rows)
    }
}
