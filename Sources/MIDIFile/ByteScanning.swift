/// Byte-level helpers over an unsafe buffer; callers guarantee the ranges they pass.
extension UnsafeBufferPointer<UInt8> {
    func bigEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16 | UInt32(self[offset + 2]) << 8
            | UInt32(self[offset + 3])
    }

    func bigEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    func hasTag(_ tag: ChunkTag, at offset: Int) -> Bool {
        offset >= 0 && offset + 4 <= count && bigEndianUInt32(at: offset) == tag.rawValue
    }

    /// First offset at or after `start` where `tag` stands, or nil.
    func firstOffset(of tag: ChunkTag, from start: Int, before end: Int? = nil) -> Int? {
        let limit = (end ?? count) - 4
        guard start <= limit else { return nil }
        let first = tag.firstByte
        var offset = start
        while offset <= limit {
            if self[offset] == first && bigEndianUInt32(at: offset) == tag.rawValue { return offset }
            offset += 1
        }
        return nil
    }

    /// Four printable ASCII characters, as chunk ids are.
    func looksLikeChunkID(at offset: Int) -> Bool {
        guard offset >= 0, offset + 4 <= count else { return false }
        for index in offset..<offset + 4 where !(0x20...0x7E).contains(self[index]) { return false }
        return true
    }
}

struct ChunkTag: Hashable {
    let rawValue: UInt32
    let name: String

    init(_ name: StaticString) {
        precondition(name.utf8CodeUnitCount == 4)
        let bytes = name.withUTF8Buffer { Array($0) }
        rawValue = bytes.reduce(0) { $0 << 8 | UInt32($1) }
        self.name = "\(name)"
    }

    var firstByte: UInt8 { UInt8(rawValue >> 24) }

    static let header = ChunkTag("MThd")
    static let track = ChunkTag("MTrk")
    static let riff = ChunkTag("RIFF")
    static let rmid = ChunkTag("RMID")
    static let riffData = ChunkTag("data")
}
