/// Compact JSON (no spaces, no line breaks) written straight into a byte buffer as the value
/// encodes itself: no intermediate tree, no sorting of fields. Fields keep the order the type
/// encodes them in; every key becomes snake_case (`SnakeCase`), except the keys of a
/// `[String: Value]` dictionary, which are data: those are written as they are, in sorted
/// order so the same value always gives the same bytes. Numbers are written as JSONEncoder
/// writes them (shortest round-trip digits); NaN and the infinities become null.
///
/// `ReferenceJSON` is the naive reference: Foundation's JSONEncoder with the same key rule.
/// Tests hold the two to the same parsed result on the types the command line prints.
public enum StreamingJSONEncoder {
    public static func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        try withEncoded(value) { Array($0) }
    }

    /// Calls `body` with the JSON text of `value` and, when `lineBreak`, a "\n" after it,
    /// without copying the text out of the encoder's buffer.
    public static func withEncoded<Value: Encodable, Result>(
        _ value: Value, lineBreak: Bool = false, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) throws -> Result {
        let writer = JSONWriter()
        defer { writer.finish() }
        try writer.writeValue(value)
        writer.close(keeping: 0)
        if lineBreak { writer.appendLineBreak() }
        return try body(writer.written)
    }
}

/// The state shared by every container of one encoding: the output and the stack of
/// objects and arrays still open. A container closes everything opened inside it before
/// it writes its next element, and a value closes what it opened when it returns, so each
/// closing bracket is written exactly once without the containers being told they ended.
@usableFromInline
final class JSONWriter {
    // One encoding on one thread uses a writer, and no access to these outlives the call
    // making it, so the runtime's exclusivity bookkeeping (a fifth of the encoding time in
    // a callgrind profile of `analyze --json`) guards nothing here.
    @exclusivity(unchecked) @usableFromInline var output: JSONOutput
    @exclusivity(unchecked) private var open: [OpenContainer] = []
    /// The last object container handed out at each depth, with its key type. An array of
    /// structs asks for the same container once per element, and building one costs two
    /// generic-metadata lookups and an allocation, the largest part of a small struct's encoding.
    @exclusivity(unchecked) private var reusableObjects: [(keyType: ObjectIdentifier, box: AnyObject)?] = []

    private struct OpenContainer {
        var closer: UInt8
        var elements = 0
    }

    /// A key as last written at one depth and position in its object: `"snake_case":`.
    private struct WrittenKey {
        var name = ""
        var bytes: [UInt8] = []
    }

    /// Keys by depth and position (the first `keyPositions` fields of an object). An array of
    /// structs writes the same keys in the same places for every element, and comparing the
    /// name with the one written there last costs a fraction of converting it again.
    @exclusivity(unchecked) private var writtenKeys: [WrittenKey] = []
    private static let keyPositions = 32
    @exclusivity(unchecked) private var recentDoubles = RecentDoubleTexts()

    init() {
        output = JSONOutput(capacity: 4096)
    }

    deinit {
        output.deallocate()
        recentDoubles.deallocate()
    }

    var written: UnsafeBufferPointer<UInt8> { output.written }

    /// The reusable containers point back at the writer; dropping them lets it go.
    func finish() {
        reusableObjects = []
    }

    func appendLineBreak() {
        output.append(UInt8(ascii: "\n"))
    }

    var openCount: Int { open.count }

    func close(keeping count: Int) {
        while open.count > count { output.append(open.removeLast().closer) }
    }

    /// The container of the value that began when `base` containers were open: a new one,
    /// or the same one again when the value asks twice (as a subclass and its superclass do).
    func container(at base: Int, opener: UInt8, closer: UInt8) -> Int {
        if open.count > base {
            precondition(open[base].closer == closer, "a value asked for an object and an array at once")
            close(keeping: base + 1)
        } else {
            output.append(opener)
            open.append(OpenContainer(closer: closer))
        }
        return base
    }

    /// The object container at `index`. A KeyedEncodingContainer is one reference to the box
    /// holding its container (unsafeBitCast checks the size), and `ObjectContainer` keeps no
    /// state of its own, so one box serves every object with the same key type at the same depth.
    func objectContainer<Key: CodingKey>(at index: Int, keyedBy: Key.Type) -> KeyedEncodingContainer<Key> {
        if index < reusableObjects.count, let reusable = reusableObjects[index],
            reusable.keyType == ObjectIdentifier(Key.self)
        {
            return unsafeBitCast(reusable.box, to: KeyedEncodingContainer<Key>.self)
        }
        let container = KeyedEncodingContainer(ObjectContainer<Key>(writer: self, index: index))
        while reusableObjects.count <= index { reusableObjects.append(nil) }
        reusableObjects[index] = (ObjectIdentifier(Key.self), unsafeBitCast(container, to: AnyObject.self))
        return container
    }

    /// A container nested in the element just begun in container `index`.
    func nestedContainer(in index: Int, opener: UInt8, closer: UInt8) -> Int {
        output.append(opener)
        open.append(OpenContainer(closer: closer))
        return index + 1
    }

    /// Closes what the previous element left open and writes the comma before this one.
    func beginElement(in index: Int) {
        if open.count > index + 1 { close(keeping: index + 1) }
        if open[index].elements > 0 { output.append(UInt8(ascii: ",")) }
        open[index].elements += 1
    }

    func beginField(_ key: some CodingKey, in index: Int) {
        beginElement(in: index)
        let name = key.stringValue
        let position = open[index].elements - 1
        guard position < Self.keyPositions else { return output.appendKey(name) }
        let slot = index * Self.keyPositions + position
        if slot < writtenKeys.count && writtenKeys[slot].name == name {
            return writtenKeys[slot].bytes.withUnsafeBufferPointer { output.append($0) }
        }
        let first = output.count
        output.appendKey(name)
        if slot >= writtenKeys.count {
            writtenKeys.append(contentsOf: repeatElement(WrittenKey(), count: slot + 1 - writtenKeys.count))
        }
        let converted = Array(UnsafeBufferPointer(rebasing: output.written[first...]))
        writtenKeys[slot] = WrittenKey(name: name, bytes: converted)
    }

    func beginVerbatimField(_ key: String, in index: Int) {
        beginElement(in: index)
        output.appendVerbatimKey(key)
    }

    /// For `JSONFieldsWritable` arrays, which write their brackets and commas themselves.
    func append(_ byte: UInt8) { output.append(byte) }
    func appendLiteralKey(_ key: StaticString) { output.appendLiteralKey(key) }
    @inlinable @inline(__always)
    func appendIntegerField(_ key: StaticString, _ value: Int, first: Bool) {
        output.appendIntegerField(key, value, first: first)
    }

    func writeNull() { output.appendNull() }
    func write(_ value: Bool) { output.appendBool(value) }
    func write(_ value: String) { output.appendString(value) }
    func write(_ value: Double) { output.appendDouble(value, remembering: &recentDoubles) }
    func write(_ value: Float) { output.appendFloatingPoint(value) }
    func write<Integer: BinaryInteger>(_ value: Integer) {
        output.appendInteger(negative: value < 0, magnitude: UInt64(value.magnitude))
    }

    /// Any encodable value. The types the command line writes most (strings, numbers, their
    /// optionals, arrays of numbers) are written directly instead of through `encode(to:)`.
    func writeValue<Value: Encodable>(_ value: Value) throws {
        if Value.self == String.self { return write(unsafeBitCast(value, to: String.self)) }
        if Value.self == Double.self { return write(unsafeBitCast(value, to: Double.self)) }
        if Value.self == Int.self { return write(unsafeBitCast(value, to: Int.self)) }
        if Value.self == Bool.self { return write(unsafeBitCast(value, to: Bool.self)) }
        if Value.self == String?.self { return writeOptional(unsafeBitCast(value, to: String?.self)) { write($0) } }
        if Value.self == Double?.self { return writeOptional(unsafeBitCast(value, to: Double?.self)) { write($0) } }
        if Value.self == Int?.self { return writeOptional(unsafeBitCast(value, to: Int?.self)) { write($0) } }
        if Value.self == [Double].self { return writeArray(unsafeBitCast(value, to: [Double].self)) { write($0) } }
        if Value.self == [Int].self { return writeArray(unsafeBitCast(value, to: [Int].self)) { write($0) } }
        // A dictionary or an array is one pointer wide; only values of that size pay for the
        // dynamic cast, which costs more than writing a small struct.
        if MemoryLayout<Value>.size == MemoryLayout<[String: Int]>.size, let whole = value as? any WrittenWhole {
            return try whole.write(to: self)
        }
        let base = open.count
        let start = output.count
        try value.encode(to: ValueEncoder(writer: self, base: base))
        // A value that encodes nothing is an empty object, as in JSONEncoder.
        if output.count == start { output.appendASCII("{}") }
        close(keeping: base)
    }

    private func writeOptional<Wrapped>(_ value: Wrapped?, writeWrapped: (Wrapped) -> Void) {
        if let value { writeWrapped(value) } else { writeNull() }
    }

    private func writeArray<Element>(_ elements: [Element], writeElement: (Element) -> Void) {
        output.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            writeElement(element)
        }
        output.append(UInt8(ascii: "]"))
    }
}

/// A value the writer writes without calling its `encode(to:)`: a `[String: Value]`, whose keys
/// are written verbatim and sorted, and an array of `JSONFieldsWritable` elements.
protocol WrittenWhole {
    func write(to writer: JSONWriter) throws
}

/// Written flat, without the writer's stack of open containers: nothing inside an element
/// stays open after it (a field's value closes what it opens), so the brackets and commas
/// are known here.
extension Array: WrittenWhole where Element: JSONFieldsWritable {
    func write(to writer: JSONWriter) throws {
        writer.append(UInt8(ascii: "["))
        // Indexing, not `enumerated()`: inside this conditional conformance the compiler does not
        // specialise an enumerated loop and looks up the element's type metadata per element.
        for index in indices {
            if index > startIndex { writer.append(UInt8(ascii: ",")) }
            writer.append(UInt8(ascii: "{"))
            var fields = JSONObjectFields(writer: writer)
            try self[index].writeFields(to: &fields)
            writer.append(UInt8(ascii: "}"))
        }
        writer.append(UInt8(ascii: "]"))
    }
}

extension Dictionary: WrittenWhole where Key == String, Value: Encodable {
    func write(to writer: JSONWriter) throws {
        let index = writer.container(at: writer.openCount, opener: UInt8(ascii: "{"), closer: UInt8(ascii: "}"))
        for (key, value) in sorted(by: { $0.key < $1.key }) {
            writer.beginVerbatimField(key, in: index)
            try writer.writeValue(value)
        }
        writer.close(keeping: index)
    }
}

/// The `Encoder` a value sees: the shared writer and where the value's own container goes.
/// It keeps no coding path: nothing it writes can fail, so it has no error to place.
struct ValueEncoder: Encoder {
    let writer: JSONWriter
    let base: Int

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let index = writer.container(at: base, opener: UInt8(ascii: "{"), closer: UInt8(ascii: "}"))
        return writer.objectContainer(at: index, keyedBy: Key.self)
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let index = writer.container(at: base, opener: UInt8(ascii: "["), closer: UInt8(ascii: "]"))
        return ArrayContainer(writer: writer, index: index)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(writer: writer)
    }
}

struct ObjectContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONWriter
    /// This object's place in the writer's stack of open containers.
    let index: Int

    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) {
        writer.beginField(key, in: index)
        writer.writeNull()
    }

    mutating func encode(_ value: Bool, forKey key: Key) { field(key) { $0.write(value) } }
    mutating func encode(_ value: String, forKey key: Key) { field(key) { $0.write(value) } }
    mutating func encode(_ value: Double, forKey key: Key) { field(key) { $0.write(value) } }
    mutating func encode(_ value: Float, forKey key: Key) { field(key) { $0.write(value) } }
    mutating func encode(_ value: Int, forKey key: Key) { field(key) { $0.write(value) } }
    mutating func encode(_ value: Int8, forKey key: Key) { field(key) { $0.write(value) } }
    mutating func encode(_ value: Int16, forKey key: Key) { field(key) { $0.write(value) } }
    mutating func encode(_ value: Int32, forKey key: Key) { field(key) { $0.write(value) } }
    mutating func encode(_ value: Int64, forKey key: Key) { field(key) { $0.write(value) } }
    mutating func encode(_ value: UInt, forKey key: Key) { field(key) { $0.write(value) } }
    mutating func encode(_ value: UInt8, forKey key: Key) { field(key) { $0.write(value) } }
    mutating func encode(_ value: UInt16, forKey key: Key) { field(key) { $0.write(value) } }
    mutating func encode(_ value: UInt32, forKey key: Key) { field(key) { $0.write(value) } }
    mutating func encode(_ value: UInt64, forKey key: Key) { field(key) { $0.write(value) } }

    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
        writer.beginField(key, in: index)
        try writer.writeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        writer.beginField(key, in: index)
        let nested = writer.nestedContainer(in: index, opener: UInt8(ascii: "{"), closer: UInt8(ascii: "}"))
        return writer.objectContainer(at: nested, keyedBy: NestedKey.self)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        writer.beginField(key, in: index)
        return ArrayContainer(
            writer: writer,
            index: writer.nestedContainer(
                in: index, opener: UInt8(ascii: "["),
                closer: UInt8(ascii: "]")))
    }

    mutating func superEncoder() -> any Encoder {
        writer.beginField(SuperKey.super, in: index)
        return ValueEncoder(writer: writer, base: writer.openCount)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        writer.beginField(key, in: index)
        return ValueEncoder(writer: writer, base: writer.openCount)
    }

    private func field(_ key: Key, _ write: (JSONWriter) -> Void) {
        writer.beginField(key, in: index)
        write(writer)
    }
}

/// The key JSONEncoder gives a superclass's fields.
private enum SuperKey: String, CodingKey { case `super` }

struct ArrayContainer: UnkeyedEncodingContainer {
    let writer: JSONWriter
    /// This array's place in the writer's stack of open containers.
    let index: Int
    private(set) var count = 0

    init(writer: JSONWriter, index: Int) {
        self.writer = writer
        self.index = index
    }

    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() { element { $0.writeNull() } }
    mutating func encode(_ value: Bool) { element { $0.write(value) } }
    mutating func encode(_ value: String) { element { $0.write(value) } }
    mutating func encode(_ value: Double) { element { $0.write(value) } }
    mutating func encode(_ value: Float) { element { $0.write(value) } }
    mutating func encode(_ value: Int) { element { $0.write(value) } }
    mutating func encode(_ value: Int8) { element { $0.write(value) } }
    mutating func encode(_ value: Int16) { element { $0.write(value) } }
    mutating func encode(_ value: Int32) { element { $0.write(value) } }
    mutating func encode(_ value: Int64) { element { $0.write(value) } }
    mutating func encode(_ value: UInt) { element { $0.write(value) } }
    mutating func encode(_ value: UInt8) { element { $0.write(value) } }
    mutating func encode(_ value: UInt16) { element { $0.write(value) } }
    mutating func encode(_ value: UInt32) { element { $0.write(value) } }
    mutating func encode(_ value: UInt64) { element { $0.write(value) } }

    mutating func encode<Value: Encodable>(_ value: Value) throws {
        writer.beginElement(in: index)
        count += 1
        try writer.writeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        writer.beginElement(in: index)
        count += 1
        let nested = writer.nestedContainer(in: index, opener: UInt8(ascii: "{"), closer: UInt8(ascii: "}"))
        return writer.objectContainer(at: nested, keyedBy: NestedKey.self)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.beginElement(in: index)
        count += 1
        return ArrayContainer(
            writer: writer,
            index: writer.nestedContainer(
                in: index, opener: UInt8(ascii: "["),
                closer: UInt8(ascii: "]")))
    }

    mutating func superEncoder() -> any Encoder {
        writer.beginElement(in: index)
        count += 1
        return ValueEncoder(writer: writer, base: writer.openCount)
    }

    private mutating func element(_ write: (JSONWriter) -> Void) {
        writer.beginElement(in: index)
        count += 1
        write(writer)
    }
}

struct SingleValueContainer: SingleValueEncodingContainer {
    let writer: JSONWriter

    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() { writer.writeNull() }
    mutating func encode(_ value: Bool) { writer.write(value) }
    mutating func encode(_ value: String) { writer.write(value) }
    mutating func encode(_ value: Double) { writer.write(value) }
    mutating func encode(_ value: Float) { writer.write(value) }
    mutating func encode(_ value: Int) { writer.write(value) }
    mutating func encode(_ value: Int8) { writer.write(value) }
    mutating func encode(_ value: Int16) { writer.write(value) }
    mutating func encode(_ value: Int32) { writer.write(value) }
    mutating func encode(_ value: Int64) { writer.write(value) }
    mutating func encode(_ value: UInt) { writer.write(value) }
    mutating func encode(_ value: UInt8) { writer.write(value) }
    mutating func encode(_ value: UInt16) { writer.write(value) }
    mutating func encode(_ value: UInt32) { writer.write(value) }
    mutating func encode(_ value: UInt64) { writer.write(value) }

    mutating func encode<Value: Encodable>(_ value: Value) throws {
        try writer.writeValue(value)
    }
}
