/// A small type printed by the hundred thousand (a tempo map's changes) that writes its JSON
/// object's fields itself. Through `encode(to:)` every element of an array costs a keyed
/// container, a boxed call per field and a key lookup: about 1,700 instructions in a callgrind
/// profile of `inspect --json` for a two-field tempo change, twenty times the bytes' worth.
///
/// `encode(to:)` stays the reference: StreamingJSONEncoder takes this path only for arrays of
/// such values (anywhere else, and in every other encoder, the value encodes itself), so a
/// conforming type writes exactly the fields, keys and order its `encode(to:)` writes, and
/// tests hold the two paths to the same bytes.
public protocol JSONFieldsWritable: Encodable {
    func writeFields(to fields: inout JSONObjectFields) throws
}

/// The object being written for a `JSONFieldsWritable` value. Keys are written as spelled,
/// not converted: give them in snake_case, as the encoder would write the property names.
public struct JSONObjectFields {
    @usableFromInline let writer: JSONWriter
    @usableFromInline var written = 0

    init(writer: JSONWriter) {
        self.writer = writer
    }

    /// Inlined into the caller's `writeFields`: see `JSONOutput.appendIntegerField`.
    @inlinable @inline(__always)
    public mutating func write(_ value: Int, forKey key: StaticString) {
        writer.appendIntegerField(key, value, first: written == 0)
        written += 1
    }

    public mutating func write(_ value: Double, forKey key: StaticString) {
        begin(key)
        writer.write(value)
    }

    public mutating func write(_ value: String, forKey key: StaticString) {
        begin(key)
        writer.write(value)
    }

    /// Any other value, written as the encoder writes it (its own keys snake_cased).
    public mutating func write<Value: Encodable>(_ value: Value, forKey key: StaticString) throws {
        begin(key)
        try writer.writeValue(value)
    }

    /// As a synthesized `encode(to:)` writes an optional: no field at all for nil.
    public mutating func writeIfPresent<Value: Encodable>(_ value: Value?, forKey key: StaticString) throws {
        guard let value else { return }
        try write(value, forKey: key)
    }

    private mutating func begin(_ key: StaticString) {
        if written > 0 { writer.append(UInt8(ascii: ",")) }
        written += 1
        writer.appendLiteralKey(key)
    }
}
