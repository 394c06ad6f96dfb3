/// What a status byte means, decoded once into a 256-entry table (as mido and symusic do)
/// so the reader's inner loop is a single load instead of a chain of comparisons.
enum StatusClass: UInt8 {
    /// 0x00–0x7F: a data byte where a status byte may stand (running status).
    case data
    /// 0x80–0xBF, 0xE0–0xEF: two data bytes follow.
    case channelTwoBytes
    /// 0xC0–0xDF: one data byte follows.
    case channelOneByte
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
    static let classes: [StatusClass] = (0...255).map { byte in
        switch byte {
        case 0x00...0x7F: .data
        case 0xC0...0xDF: .channelOneByte
        case 0x80...0xEF: .channelTwoBytes
        case 0xF0, 0xF7: .sysex
        case 0xFF: .meta
        case 0xF4, 0xF5, 0xF9, 0xFD: .undefined
        default: .systemMessage
        }
    }

    /// Data bytes that follow a system message's status byte.
    static func systemMessageDataCount(_ status: UInt8) -> Int {
        switch status {
        case 0xF2: 2
        case 0xF1, 0xF3: 1
        default: 0
        }
    }
}
