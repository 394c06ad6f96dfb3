import Foundation

/// NumPy's `.npy` format, version 1.0, for one-dimensional little-endian integer arrays: the
/// magic `\x93NUMPY`, the version bytes 1 0, a little-endian UInt16 header length, then an ASCII
/// Python dict literal (`descr`, `fortran_order`, `shape`) padded with spaces and ended by a line
/// break so that the data starts on a multiple of 64 bytes, then the raw values. `numpy.load`
/// (with `mmap_mode`) and any reader of the documented format read it.
/// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
public enum NumPyArray {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    static let alignment = 64

    /// The element types exported token data uses.
    public enum Element: String, Sendable {
        case int32 = "<i4"
        case int64 = "<i8"

        var byteCount: Int { self == .int32 ? 4 : 8 }
    }

    /// Header bytes (magic through padding) for `count` values of `element`.
    public static func header(element: Element, count: Int) -> [UInt8] {
        let dictionary = "{'descr': '\(element.rawValue)', 'fortran_order': False, 'shape': (\(count),), }"
        let unpadded = magic.count + 2 + 2 + dictionary.utf8.count + 1
        let padding = (alignment - unpadded % alignment) % alignment
        let text = dictionary + String(repeating: " ", count: padding) + "\n"
        var bytes = magic + [1, 0]
        let length = UInt16(text.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(text.utf8)
        return bytes
    }

    public static func encode(_ values: [Int32]) -> Data {
        var data = Data(header(element: .int32, count: values.count))
        data.reserveCapacity(data.count + values.count * 4)
        for value in values { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    public static func encode(_ values: [Int64]) -> Data {
        var data = Data(header(element: .int64, count: values.count))
        data.reserveCapacity(data.count + values.count * 8)
        for value in values { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// The values of a one-dimensional array this type wrote, or nil when `data` is not one
    /// (another dtype, shape or version): for tests and for reading an export back.
    public static func decode(_ data: Data, element: Element) -> [Int64]? {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic, bytes[6] == 1, bytes[7] == 0 else { return nil }
        let length = Int(bytes[8]) | Int(bytes[9]) << 8
        guard bytes.count >= 10 + length,
            let text = String(bytes: bytes[10..<(10 + length)], encoding: .ascii),
            text.contains("'descr': '\(element.rawValue)'"), text.contains("'fortran_order': False"),
            let open = text.range(of: "'shape': ("), let close = text[open.upperBound...].firstIndex(of: ",")
        else { return nil }
        guard let count = Int(text[open.upperBound..<close]), bytes.count == 10 + length + count * element.byteCount
        else { return nil }
        let start = 10 + length
        return (0..<count).map { index in
            let offset = start + index * element.byteCount
            var value: UInt64 = 0
            for byte in 0..<element.byteCount { value |= UInt64(bytes[offset + byte]) << (8 * UInt64(byte)) }
            return element == .int32 ? Int64(Int32(truncatingIfNeeded: value)) : Int64(bitPattern: value)
        }
    }
}
