import Foundation
import MIDIFile

/// A source file's bytes and identity, or why it is not a MIDI file.
struct SourceBytes {
    var size: Int
    var sha256: String
    /// The whole file when its head looks like MIDI; nil when it does not.
    var bytes: [UInt8]?
    /// What the file holds instead of MIDI, when `bytes` is nil.
    var notMIDI: String?

    /// How far into a file a MIDI header may start: scraped files carry a few bytes of
    /// junk (a web server's preamble, a MacBinary header) before `MThd`, not megabytes.
    static let sniffWindow = 64 * 1024

    /// Reads the file and decides by content whether it is MIDI: an `MThd` header near
    /// the start, or a RIFF RMID wrapper.
    static func read(_ path: String) throws(CorpusError) -> SourceBytes {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CorpusError.unreadableSource(path: path, reason: (error as NSError).localizedDescription)
        }
        return data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let hash = SHA256.hex(of: bytes)
            if looksLikeMIDI(bytes) {
                return SourceBytes(size: bytes.count, sha256: hash, bytes: Array(bytes), notMIDI: nil)
            }
            return SourceBytes(size: bytes.count, sha256: hash, bytes: nil, notMIDI: describe(bytes))
        }
    }

    static func looksLikeMIDI(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let riff: [UInt8] = Array("RIFF".utf8), rmid: [UInt8] = Array("RMID".utf8)
        if bytes.count >= 12, bytes.prefix(4).elementsEqual(riff), bytes[8..<12].elementsEqual(rmid) { return true }
        let window = bytes.prefix(sniffWindow)
        guard window.count >= 4 else { return false }
        for start in window.startIndex...(window.endIndex - 4) where window[start] == 0x4D {
            guard window[start + 1] == 0x54 && window[start + 2] == 0x68 && window[start + 3] == 0x64 else { continue }
            // Past the first byte, "MThd" counts only with a header's small length field
            // after it: text that mentions the tag (a README, a page about MIDI) has none.
            if start == 0 || start + 8 > bytes.count { return true }
            if bytes[start + 4] == 0 && bytes[start + 5] == 0 && bytes[start + 6] == 0 { return true }
        }
        return false
    }

    /// The reader's own description of what non-MIDI bytes are (HTML page, WAV, text…),
    /// from the head with any mention of the header's tag masked so the reader sees none.
    private static func describe(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var head = Array(bytes.prefix(sniffWindow))
        let tag: [UInt8] = Array("MThd".utf8)
        var start = 0
        while start + 4 <= head.count {
            if head[start..<start + 4].elementsEqual(tag) { head[start] = UInt8(ascii: "m") }
            start += 1
        }
        do {
            _ = try MIDIReader.read(head)
            return "no MIDI header in its first \(sniffWindow) bytes"
        } catch {
            return error.found
        }
    }
}
