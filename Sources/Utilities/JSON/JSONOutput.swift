/// The bytes of one JSON text being written: strings escaped, numbers formatted and keys
/// snake_cased straight into a growable buffer. A raw buffer rather than an array: most
/// tokens are a few bytes, and an array checks uniqueness and capacity on every append,
/// which a callgrind profile showed costing more than the bytes themselves.
/// The owner calls `deallocate()` once.
///
/// The integer path is `@inlinable` (and what it touches `@usableFromInline`) so that a
/// `JSONFieldsWritable` type in another module writes its integer fields without a call per
/// piece: a tempo map's hundreds of thousands of `{"tick":…,"tempo":…}` objects.
@usableFromInline
struct JSONOutput: TextOutputStream {
    @usableFromInline var start: UnsafeMutablePointer<UInt8>
    @usableFromInline var count = 0
    @usableFromInline var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        start = .allocate(capacity: self.capacity)
    }

    func deallocate() {
        start.deallocate()
    }

    var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: start, count: count) }

    // Double and Float print their shortest round-trip digits through this stream.
    @usableFromInline
    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { append($0) }
    }

    /// The standard library hands floating-point digits here as ASCII bytes, so no String
    /// is built for them.
    @usableFromInline
    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        append(buffer)
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        reserve(1)
        start[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count)
        (start + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func appendNull() {
        appendASCII("null")
    }

    mutating func appendBool(_ value: Bool) {
        appendASCII(value ? "true" : "false")
    }

    /// Literal ASCII such as `null` or a bracket pair.
    mutating func appendASCII(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// The decimal digits of an integer, two at a time from a table: a tempo map prints
    /// hundreds of thousands of integers, and dividing by 100 halves the divisions.
    /// Swift's own `description` is the naive reference the tests hold it to.
    @inlinable
    mutating func appendInteger(negative: Bool, magnitude: UInt64) {
        // A sign and 20 digits (UInt64.max has 20).
        reserve(21)
        if negative {
            start[count] = UInt8(ascii: "-")
            count += 1
        }
        let digits = Self.decimalDigitCount(magnitude)
        var position = count + digits
        var remaining = magnitude
        // A literal's bytes live as long as the program.
        let pairs = Self.digitPairs.utf8Start
        while remaining >= 100 {
            let pair = Int(remaining % 100) &* 2
            remaining /= 100
            position -= 2
            start[position] = pairs[pair]
            start[position + 1] = pairs[pair + 1]
        }
        if remaining >= 10 {
            let pair = Int(remaining) &* 2
            start[position - 2] = pairs[pair]
            start[position - 1] = pairs[pair + 1]
        } else {
            start[position - 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining)
        }
        count += digits
    }

    /// "00", "01", … "99" end to end.
    @inlinable
    static var digitPairs: StaticString {
        """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """
    }

    /// Comparisons rather than a loop for the counts most integers have (up to 8 digits).
    @inlinable
    static func decimalDigitCount(_ value: UInt64) -> Int {
        if value < 100_000_000 {
            if value < 10_000 { return value < 100 ? (value < 10 ? 1 : 2) : (value < 1_000 ? 3 : 4) }
            return value < 1_000_000 ? (value < 100_000 ? 5 : 6) : (value < 10_000_000 ? 7 : 8)
        }
        var digits = 9
        var bound: UInt64 = 1_000_000_000
        while value >= bound {
            digits += 1
            // 10^19 is the last power of ten below UInt64.max; every larger value has 20 digits.
            guard bound <= UInt64.max / 10 else { break }
            bound &*= 10
        }
        return digits
    }

    /// `"key":value` for an integer field of a `JSONFieldsWritable` value, after a comma unless
    /// it is the object's first field: one reservation and no calls per piece, since these
    /// fields are most of a tempo map's bytes.
    @inlinable @inline(__always)
    mutating func appendIntegerField(_ key: StaticString, _ value: Int, first: Bool) {
        let length = key.utf8CodeUnitCount
        // Comma, two quotes, colon, and a sign with 20 digits.
        reserve(length + 25)
        if !first {
            start[count] = UInt8(ascii: ",")
            count += 1
        }
        start[count] = UInt8(ascii: "\"")
        let keyBytes = key.utf8Start
        for offset in 0..<length { start[count + 1 + offset] = keyBytes[offset] }
        start[count + 1 + length] = UInt8(ascii: "\"")
        start[count + 2 + length] = UInt8(ascii: ":")
        count += length + 3
        appendInteger(negative: value < 0, magnitude: UInt64(value.magnitude))
    }

    /// Shortest round-trip digits, as JSONEncoder writes them ("1" for 1.0, "1e-05");
    /// NaN and the infinities have no JSON number, so they are written as null.
    /// The naive reference for `appendDouble(_:remembering:)`.
    mutating func appendFloatingPoint<Value: BinaryFloatingPoint & TextOutputStreamable>(_ value: Value) {
        guard value.isFinite else { return appendNull() }
        let first = count
        value.write(to: &self)
        if count - first >= 2 && start[count - 2] == UInt8(ascii: ".") && start[count - 1] == UInt8(ascii: "0") {
            count -= 2
        }
    }

    /// The same digits as `appendFloatingPoint`, copied from `recent` when this value was
    /// written lately. The values a file prints by the thousand repeat: a tempo map of 5,000
    /// changes holds a few dozen distinct tempos, and formatting one costs about 500
    /// instructions where copying its digits costs a tenth of that.
    mutating func appendDouble(_ value: Double, remembering recent: inout RecentDoubleTexts) {
        guard value.isFinite else { return appendNull() }
        if recent.copy(value, to: &self) { return }
        let first = count
        appendFloatingPoint(value)
        recent.remember(value, text: UnsafeBufferPointer(start: start + first, count: count - first))
    }

    mutating func appendString(_ string: String) {
        var string = string
        string.withUTF8 { appendEscaped($0) }
    }

    /// `"key":` with the key in snake_case; see `SnakeCase` for the rule.
    mutating func appendKey(_ key: String) {
        var key = key
        key.withUTF8 { utf8 in
            guard utf8.allSatisfy(Self.needsNoEscape) else {
                var converted = SnakeCase.convert(String(decoding: utf8, as: UTF8.self))
                converted.withUTF8 { appendEscaped($0) }
                return append(UInt8(ascii: ":"))
            }
            // Quotes, colon, and at most one underscore per byte.
            reserve(2 * utf8.count + 3)
            start[count] = UInt8(ascii: "\"")
            count += 1 + SnakeCase.write(utf8, to: start + count + 1)
            start[count] = UInt8(ascii: "\"")
            start[count + 1] = UInt8(ascii: ":")
            count += 2
        }
    }

    /// `"key":` for a key spelled in the source as it is to be written (see `JSONObjectFields`).
    mutating func appendLiteralKey(_ key: StaticString) {
        let length = key.utf8CodeUnitCount
        reserve(length + 3)
        start[count] = UInt8(ascii: "\"")
        (start + count + 1).update(from: key.utf8Start, count: length)
        start[count + 1 + length] = UInt8(ascii: "\"")
        start[count + 2 + length] = UInt8(ascii: ":")
        count += length + 3
    }

    /// `"key":` exactly as given: the keys of a [String: Value] dictionary are data.
    mutating func appendVerbatimKey(_ key: String) {
        appendString(key)
        append(UInt8(ascii: ":"))
    }

    @inlinable @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(toHold: count + extra) }
    }

    @usableFromInline
    mutating func grow(toHold needed: Int) {
        capacity = max(2 * capacity, needed)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        grown.moveInitialize(from: start, count: count)
        start.deallocate()
        start = grown
    }

    /// A quoted JSON string. Runs of bytes that need no escape are copied in one go.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard !Self.needsNoEscape(byte) else { continue }
            append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            appendEscape(of: byte)
            runStart = index + 1
        }
        append(UnsafeBufferPointer(rebasing: utf8[runStart...]))
        append(UInt8(ascii: "\""))
    }

    private static func needsNoEscape(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }

    private mutating func appendEscape(of byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): appendASCII("\\\"")
        case UInt8(ascii: "\\"): appendASCII("\\\\")
        case UInt8(ascii: "\n"): appendASCII("\\n")
        case UInt8(ascii: "\r"): appendASCII("\\r")
        case UInt8(ascii: "\t"): appendASCII("\\t")
        case 0x08: appendASCII("\\b")
        case 0x0C: appendASCII("\\f")
        default:
            let hex: StaticString = "0123456789abcdef"
            appendASCII("\\u00")
            append(hex.utf8Start[Int(byte >> 4)])
            append(hex.utf8Start[Int(byte & 0xF)])
        }
    }
}

/// The digits of the doubles written last, one per slot chosen by the value's bits (a
/// direct-mapped cache): the owner calls `deallocate()` once.
struct RecentDoubleTexts {
    private static let slotCount = 256
    /// Room for the longest shortest-round-trip text, "-2.2250738585072014e-308" (24 bytes),
    /// after the length byte.
    private static let slotBytes = 32
    /// A NaN's bits: finite values are the only ones remembered, so no value matches an empty slot.
    private static let empty = UInt64.max

    private var values: UnsafeMutablePointer<UInt64>?
    private var texts: UnsafeMutablePointer<UInt8>?

    /// Nothing is allocated until the first double is written: most lines hold none.
    init() {}

    func deallocate() {
        values?.deallocate()
        texts?.deallocate()
    }

    private static func slot(of bits: UInt64) -> Int {
        Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> 56)
    }

    /// Appends the remembered text of `value` to `output`; false when it is not remembered.
    func copy(_ value: Double, to output: inout JSONOutput) -> Bool {
        guard let values, let texts else { return false }
        let bits = value.bitPattern
        let slot = Self.slot(of: bits)
        guard values[slot] == bits else { return false }
        let text = texts + slot * Self.slotBytes
        output.append(UnsafeBufferPointer(start: text + 1, count: Int(text[0])))
        return true
    }

    mutating func remember(_ value: Double, text: UnsafeBufferPointer<UInt8>) {
        guard let source = text.baseAddress, text.count < Self.slotBytes else { return }
        let (values, texts) = slots()
        let slot = Self.slot(of: value.bitPattern)
        values[slot] = value.bitPattern
        let destination = texts + slot * Self.slotBytes
        destination[0] = UInt8(text.count)
        (destination + 1).update(from: source, count: text.count)
    }

    private mutating func slots() -> (values: UnsafeMutablePointer<UInt64>, texts: UnsafeMutablePointer<UInt8>) {
        if let values, let texts { return (values, texts) }
        let newValues = UnsafeMutablePointer<UInt64>.allocate(capacity: Self.slotCount)
        newValues.initialize(repeating: Self.empty, count: Self.slotCount)
        let newTexts = UnsafeMutablePointer<UInt8>.allocate(capacity: Self.slotCount * Self.slotBytes)
        newTexts.initialize(repeating: 0, count: Self.slotCount * Self.slotBytes)
        values = newValues
        texts = newTexts
        return (newValues, newTexts)
    }
}
