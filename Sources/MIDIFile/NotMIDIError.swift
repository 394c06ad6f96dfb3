/// The input holds no MIDI data at all; `found` says what it holds instead.
public struct NotMIDIError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String?
    public var found: String

    public init(file: String? = nil, found: String) {
        self.file = file
        self.found = found
    }

    public var description: String {
        "\(file ?? "input"): no MIDI data: found \(found). A Standard MIDI File starts with an 'MThd' chunk; check that this file was downloaded whole and is not a web page or another format."
    }
}

/// The file could not be read from disk at all (missing, a directory, no permission).
public struct UnreadableFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "\(file): cannot read: \(reason)" }
}

/// Names what a byte buffer holds when it holds no `MThd` header.
enum ContentSniffer {
    static func describe(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.isEmpty { return "an empty file" }
        let head = Array(bytes.prefix(512))
        func starts(with magic: String) -> Bool { head.starts(with: Array(magic.utf8)) }
        let lowered = String(decoding: head.map { $0 < 0x80 ? $0 : 0x3F }, as: UTF8.self).lowercased()
        let trimmed = lowered.drop { $0.isWhitespace || $0 == "\u{feff}" }
        if trimmed.hasPrefix("<!doctype html") || trimmed.hasPrefix("<html") || trimmed.hasPrefix("<head")
            || lowered.contains("<html")
        {
            return "an HTML page (a web server's page saved under a MIDI name)"
        }
        if lowered.hasPrefix("vti_encoding") {
            return "FrontPage metadata (a _vti_cnf text file saved under a MIDI name)"
        }
        if starts(with: "RIFF"), head.count >= 12 {
            let form = String(decoding: head[8..<12], as: UTF8.self)
            if form == "WAVE" { return "a WAV audio file (RIFF WAVE)" }
            if form == "RMID" { return "RIFF file without an RMID data chunk" }
            return "a RIFF file of type '\(form)', not RMID"
        }
        let magics: [(String, String)] = [
            ("ID3", "an MP3 audio file"), ("OggS", "an Ogg file"), ("fLaC", "a FLAC audio file"),
            ("PK\u{3}\u{4}", "a ZIP archive"), ("%PDF", "a PDF document"), ("\u{89}PNG", "a PNG image"),
            ("GIF8", "a GIF image"), ("MTM", "an MTM module (tracker music, not MIDI)"),
            ("MThd", "a MIDI header cut off before its fields"),
        ]
        for (magic, name) in magics
        where head.starts(with: magic.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }) {
            return name
        }
        if head.starts(with: [0xFF, 0xD8]) { return "a JPEG image" }
        if starts(with: "Extended Module:") { return "an XM module (tracker music, not MIDI)" }
        if head.count >= 48, head[44..<48].elementsEqual("SCRM".utf8) {
            return "an S3M module (tracker music, not MIDI)"
        }
        let printable = head.filter { $0 == 9 || $0 == 10 || $0 == 13 || (0x20..<0x7F).contains($0) }.count
        if printable * 10 >= head.count * 9 {
            let firstLine = String(String(decoding: head.prefix { $0 != 10 && $0 != 13 }, as: UTF8.self).prefix(40))
            return "a text file beginning \"\(firstLine)\""
        }
        let preview = head.prefix(8).map(hex).joined(separator: " ")
        return "\(bytes.count) bytes of binary data with no 'MThd' header (first bytes: \(preview))"
    }
}
