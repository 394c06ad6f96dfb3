/// LEB128 variable-length integers: 7 bits a byte, low bits first, the high bit set on every
/// byte but the last. Posting lists are runs of small deltas, so most take one or two bytes.
enum Varint {
    /// Bytes of the longest varint (a 64-bit value, 7 bits a byte).
    static let longest = 10

    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Writes `value` at `offset` in `bytes`, which has room for `longest` bytes from there,
    /// and moves `offset` past it.
    static func write(_ value: UInt64, to bytes: UnsafeMutableBufferPointer<UInt8>, at offset: inout Int) {
        var rest = value
        while rest >= 0x80 {
            bytes[offset] = UInt8(truncatingIfNeeded: rest) | 0x80
            offset += 1
            rest >>= 7
        }
        bytes[offset] = UInt8(rest)
        offset += 1
    }
}

/// Reads varints and fixed-width integers from mapped bytes, checking every read against the
/// end: a damaged file gives `ByteCursor.Overrun`, never a read out of bounds.
struct ByteCursor {
    struct Overrun: Error {}

    let bytes: UnsafeRawBufferPointer
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var atEnd: Bool { offset >= bytes.count }

    mutating func varint() throws(Overrun) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw Overrun() }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    mutating func uint64() throws(Overrun) -> UInt64 {
        guard offset >= 0, offset + 8 <= bytes.count else { throw Overrun() }
        let value = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        offset += 8
        return value
    }

    mutating func skip(_ count: Int) throws(Overrun) {
        guard count >= 0, offset + count <= bytes.count else { throw Overrun() }
        offset += count
    }
}
