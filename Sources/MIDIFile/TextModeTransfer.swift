/// Undoes the damage of a text-mode transfer (FTP in ASCII mode, a Windows download
/// tool): every 0x0A byte got a 0x0D put before it, so every chunk is longer than its
/// length field says, running status and data bytes break, and readers see garbage.
enum TextModeTransfer {
    /// The bytes with the CR before each LF removed, when the file shows the damage
    /// (an LF never stands alone) and removing them gives a file whose chunk lengths add
    /// up exactly: a 6-byte header, then as many MTrk chunks as it declares, each ending
    /// in end-of-track, and nothing after the last. Nil otherwise.
    static func undo(_ bytes: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8], removed: Int, firstAt: Int)? {
        var firstAt: Int?
        var removed = 0
        for index in 0..<bytes.count where bytes[index] == 0x0A {
            guard index > 0, bytes[index - 1] == 0x0D else { return nil }
            if firstAt == nil { firstAt = index - 1 }
            removed += 1
        }
        guard let firstAt else { return nil }
        var repaired: [UInt8] = []
        repaired.reserveCapacity(bytes.count - removed)
        for index in 0..<bytes.count
        where !(bytes[index] == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) {
            repaired.append(bytes[index])
        }
        return chunksAddUp(repaired) ? (repaired, removed, firstAt) : nil
    }

    private static func chunksAddUp(_ bytes: [UInt8]) -> Bool {
        func word(_ at: Int) -> Int {
            Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        }
        guard bytes.count >= 14, bytes[0..<4].elementsEqual("MThd".utf8), word(4) == 6 else { return false }
        let declaredTracks = Int(bytes[10]) << 8 | Int(bytes[11])
        var position = 14, tracks = 0
        while position + 8 <= bytes.count {
            guard bytes[position..<position + 4].elementsEqual("MTrk".utf8) else { return false }
            let end = position + 8 + word(position + 4)
            guard end <= bytes.count, end - position >= 11, bytes[(end - 3)..<end].elementsEqual([0xFF, 0x2F, 0x00])
            else { return false }
            tracks += 1
            position = end
        }
        return position == bytes.count && tracks == declaredTracks && tracks > 0
    }
}
