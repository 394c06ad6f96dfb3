/// What a status byte means. Channel messages (0x80–0xEF) are most of every file, so the
/// reader tests for them with one comparison and looks their data length up by kind; the
/// rarer 0xF0–0xFF bytes are decoded from a 16-entry table.
enum SystemStatus: UInt8 {
    /// 0xF0 or 0xF7: a length and that many bytes follow.
    case sysex
    /// 0xFF: a type, a length and that many bytes follow.
    case meta
    /// 0xF1, 0xF3 (one data byte), 0xF2 (two), 0xF6, 0xF8, 0xFA–0xFC, 0xFE (none):
    /// real-time and system-common messages, which have no place in a file.
    case systemMessage
    /// 0xF4, 0xF5, 0xF9, 0xFD: undefined by the MIDI specification.
    case undefined
}

enum StatusTable {
    /// Indexed by the low nibble of a 0xF_ status byte.
    static let system: [SystemStatus] = (0xF0...0xFF).map { byte in
        switch byte {
        case 0xF0, 0xF7: .sysex
        case 0xFF: .meta
        case 0xF4, 0xF5, 0xF9, 0xFD: .undefined
        default: .systemMessage
        }
    }

    /// Data bytes of a channel message, indexed by its high nibble (0x8–0xE).
    static let channelDataCount: [Int] = (0...15).map { kind in kind == 0xC || kind == 0xD ? 1 : 2 }

    /// Data bytes that follow a system message's status byte.
    static func systemMessageDataCount(_ status: UInt8) -> Int {
        switch status {
        case 0xF2: 2
        case 0xF1, 0xF3: 1
        default: 0
        }
    }
}
