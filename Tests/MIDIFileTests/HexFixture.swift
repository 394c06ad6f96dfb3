/// Bytes from commented hex: pairs of hex digits, anything after `#` on a line ignored.
func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let digits = code.filter(\.isHexDigit)
        precondition(digits.count.isMultiple(of: 2), "odd number of hex digits in fixture line: \(line)")
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            bytes.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
    }
    return bytes
}

/// The valid file most fixtures damage: one track, C4 for a quarter note at 96 ticks per quarter.
let validSingleNote = hex(
    """
    4D 54 68 64 00 00 00 06   # MThd, length 6
    00 01 00 01 00 60         # format 1, 1 track, 96 ticks per quarter note
    4D 54 72 6B 00 00 00 0C   # MTrk, 12 bytes
    00 90 3C 64               # tick 0: note on C4, velocity 100
    60 80 3C 40               # tick 96: note off C4
    00 FF 2F 00               # end of track
    """)
