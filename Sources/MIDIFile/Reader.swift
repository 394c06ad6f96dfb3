import Foundation

/// Lenient Standard MIDI File reader: it recovers whatever the bytes still hold and
/// reports each defect with its byte offset. It throws only when there is no MIDI data.
public enum MIDIReader {
    public static func read(_ bytes: [UInt8], options: ReadOptions = ReadOptions()) throws(NotMIDIError) -> ReadResult {
        try bytes.withUnsafeBufferPointer { buffer throws(NotMIDIError) in try read(buffer, options: options) }
    }

    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, options: ReadOptions = ReadOptions())
        throws(NotMIDIError) -> ReadResult
    {
        var session = ChunkWalker(bytes: bytes, options: options)
        let result = try session.run()
        guard result.findings.contains(where: { chunkDamage.contains($0.kind) }),
            let undone = TextModeTransfer.undo(bytes)
        else { return result }
        var repaired = try undone.bytes.withUnsafeBufferPointer { buffer throws(NotMIDIError) in
            var again = ChunkWalker(bytes: buffer, options: options)
            return try again.run()
        }
        repaired.findings.insert(
            Finding(
                offset: undone.firstAt, track: nil, kind: .textModeTransfer, action: .removedBytes,
                message:
                    "\(undone.removed) CR bytes (0x0D) put before LF bytes by a text-mode transfer removed; the chunk lengths then add up exactly (offsets of other findings are in the file without them)"
            ),
            at: 0)
        return repaired
    }

    /// Findings a text-mode transfer leaves: every chunk longer than its length field.
    private static let chunkDamage: Set<Finding.Kind> = [
        .chunkLengthOverrun, .chunkLengthUnderrun, .trailingBytes, .unknownChunk, .trackCountMismatch,
    ]

    /// Reads a file from disk; errors name the file.
    public static func read(contentsOf path: String, options: ReadOptions = ReadOptions()) throws -> ReadResult {
        let bytes = try fileBytes(path)
        let outcome: Result<ReadResult, NotMIDIError> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(NotMIDIError) in try read(buffer, options: options) }
        }
        switch outcome {
        case .success(let result): return result
        case .failure(let error): throw NotMIDIError(file: path, found: error.found)
        }
    }
}

/// The whole file: open, fstat, and one read for a regular file (more only for pipes and
/// the like). FileManager's existence check and Data(contentsOf:) stat the path twice more
/// and cost about 20,000 instructions per file (callgrind), a few per cent of `inspect`.
private func fileBytes(_ path: String) throws(UnreadableFileError) -> [UInt8] {
    func failure(_ code: Int32) -> UnreadableFileError {
        UnreadableFileError(file: path, reason: code == ENOENT ? "no such file" : String(cString: strerror(code)))
    }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw failure(errno) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw failure(errno) }
    guard status.st_mode & S_IFMT != S_IFDIR else {
        throw UnreadableFileError(file: path, reason: "it is a folder; name the MIDI files inside it")
    }
    let isRegular = status.st_mode & S_IFMT == S_IFREG
    var bytes = [UInt8](repeating: 0, count: isRegular ? Int(status.st_size) : 1 << 16)
    var filled = 0
    while true {
        if filled == bytes.count {
            if isRegular { break }
            bytes.append(contentsOf: repeatElement(0, count: bytes.count))
        }
        let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
        if got < 0 && errno == EINTR { continue }
        guard got >= 0 else { throw failure(errno) }
        if got == 0 { break }
        filled += got
    }
    bytes.removeLast(bytes.count - filled)
    return bytes
}

/// Walks the chunks of one input: finds the header, then each track chunk, trusting a
/// chunk's length only when the bytes agree with it.
private struct ChunkWalker {
    let bytes: UnsafeBufferPointer<UInt8>
    let options: ReadOptions
    var log = FindingLog()

    init(bytes: UnsafeBufferPointer<UInt8>, options: ReadOptions) {
        self.bytes = bytes
        self.options = options
    }

    mutating func run() throws(NotMIDIError) -> ReadResult {
        let (start, end) = try locateSMF()
        let header = readHeader(at: start, end: end)
        var tracks: [Track] = []
        var position = header.firstChunk
        while position + 8 <= end {
            if bytes.hasTag(.track, at: position) {
                var parser = TrackParser(
                    bytes: bytes, chunkStart: position, regionEnd: end,
                    trackIndex: tracks.count, options: options, division: header.division)
                let parsed = parser.parse(log: &log)
                tracks.append(parsed.track)
                position = parsed.nextChunk
            } else if bytes.looksLikeChunkID(at: position) {
                position = skipUnknownChunk(at: position, end: end)
            } else if let next = bytes.firstOffset(of: .track, from: position, before: end) {
                log.recordSeparately(
                    .trailingBytes, at: position, track: nil, action: .resynchronised,
                    "\(next - position) bytes that are not a chunk skipped up to the next MTrk at \(next)")
                position = next
            } else {
                break
            }
        }
        if position < end {
            let rest = end - position
            let allZero = (position..<end).allSatisfy { bytes[$0] == 0 }
            log.recordSeparately(
                .trailingBytes, at: position, track: nil, action: .ignored,
                "\(rest) \(allZero ? "zero " : "")bytes after the last chunk ignored")
        }
        reportTrackCount(header: header, found: tracks.count, at: start + 10)
        var format = header.format
        if format == .singleTrack && tracks.count > 1 {
            log.recordSeparately(
                .formatZeroWithSeveralTracks, at: start + 8, track: nil, action: .assumedDefault,
                "format 0 file holds \(tracks.count) tracks; read as format 1")
            format = .multiTrack
        }
        let file = MIDIFile(format: format, division: header.division, tracks: tracks)
        return ReadResult(file: file, findings: log.findings)
    }

    /// Start and end of the SMF data: after any junk, inside any RIFF RMID wrapper.
    mutating func locateSMF() throws(NotMIDIError) -> (start: Int, end: Int) {
        var end = bytes.count
        var searchFrom = 0
        if bytes.hasTag(.riff, at: 0), bytes.count >= 12, bytes.hasTag(.rmid, at: 8) {
            guard let (dataStart, dataEnd) = riffDataChunk() else {
                throw NotMIDIError(found: "RIFF file without an RMID data chunk")
            }
            log.recordSeparately(
                .riffWrapper, at: 0, track: nil, action: .ignored,
                "RIFF RMID wrapper: MIDI data read from its 'data' chunk at \(dataStart)")
            searchFrom = dataStart
            end = dataEnd
        }
        guard let start = bytes.firstOffset(of: .header, from: searchFrom, before: end) else {
            throw NotMIDIError(found: ContentSniffer.describe(bytes))
        }
        if start > searchFrom {
            log.recordSeparately(
                .junkBeforeHeader, at: searchFrom, track: nil, action: .ignored,
                "\(start - searchFrom) bytes before MThd skipped")
        }
        return (start, end)
    }

    func riffDataChunk() -> (Int, Int)? {
        var position = 12
        while position + 8 <= bytes.count {
            let length = Int(
                UInt32(
                    littleEndian: UInt32(bytes[position + 4]) | UInt32(bytes[position + 5]) << 8
                        | UInt32(bytes[position + 6]) << 16 | UInt32(bytes[position + 7]) << 24))
            if bytes.hasTag(.riffData, at: position) {
                return (position + 8, min(bytes.count, position + 8 + length))
            }
            position += 8 + length + (length & 1)
        }
        return nil
    }

    struct Header {
        var format: MIDIFile.Format
        var declaredTracks: Int
        var division: Division
        var firstChunk: Int
    }

    mutating func readHeader(at start: Int, end: Int) -> Header {
        let fieldsEnd = start + 14
        func field(_ offset: Int) -> UInt16? {
            start + offset + 2 <= end ? bytes.bigEndianUInt16(at: start + offset) : nil
        }
        let declaredLength = start + 8 <= end ? Int(bytes.bigEndianUInt32(at: start + 4)) : 0
        var firstChunk = min(end, fieldsEnd)
        if fieldsEnd > end {
            log.recordSeparately(
                .truncatedFile, at: end, track: nil, action: .assumedDefault,
                "file ends inside the MThd header; missing fields assumed (format 1, 480 ticks per quarter note)")
        } else if declaredLength != 6 {
            let declaredNext = start + 8 + declaredLength
            let action: Finding.Action
            if declaredLength > 6, declaredNext + 8 <= end, bytes.looksLikeChunkID(at: declaredNext) {
                firstChunk = declaredNext
                action = .ignored
            } else if bytes.hasTag(.track, at: fieldsEnd) {
                action = .resynchronised
            } else {
                firstChunk = bytes.firstOffset(of: .track, from: start + 8, before: end) ?? end
                action = .resynchronised
            }
            log.recordSeparately(
                .badHeaderLength, at: start + 4, track: nil, action: action,
                "MThd length is \(declaredLength), not 6; first chunk read at \(firstChunk)")
        }

        var format = MIDIFile.Format.multiTrack
        if let raw = field(8) {
            if let known = MIDIFile.Format(rawValue: raw) {
                format = known
            } else {
                log.recordSeparately(
                    .unknownFormat, at: start + 8, track: nil, action: .assumedDefault,
                    "format \(raw) is not 0, 1 or 2; read as format 1")
            }
        }
        var division = Division.ticksPerQuarterNote(480)
        if let raw = field(12) {
            let declared = Division(rawValue: raw)
            switch declared {
            case .ticksPerQuarterNote(let ticks) where ticks > 0:
                division = declared
            case .smpte(let frames, let ticksPerFrame) where [24, 25, 29, 30].contains(frames) && ticksPerFrame > 0:
                division = declared
            default:
                log.recordSeparately(
                    .invalidDivision, at: start + 12, track: nil, action: .assumedDefault,
                    "time division 0x\(hex(UInt8(raw >> 8)))\(hex(UInt8(raw & 0xFF))) is unusable; 480 ticks per quarter note assumed"
                )
            }
        }
        return Header(format: format, declaredTracks: Int(field(10) ?? 0), division: division, firstChunk: firstChunk)
    }

    mutating func skipUnknownChunk(at position: Int, end: Int) -> Int {
        let id = String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + 4]), as: UTF8.self)
        let length = Int(bytes.bigEndianUInt32(at: position + 4))
        let declaredNext = position + 8 + length
        if declaredNext <= end && (declaredNext == end || bytes.looksLikeChunkID(at: declaredNext)) {
            log.recordSeparately(
                .unknownChunk, at: position, track: nil, action: .skippedChunk,
                "unknown chunk '\(id)' of \(length) bytes skipped")
            return declaredNext
        }
        let next = bytes.firstOffset(of: .track, from: position + 4, before: end) ?? end
        log.recordSeparately(
            .unknownChunk, at: position, track: nil, action: .resynchronised,
            "unknown chunk '\(id)' with a length (\(length)) that does not fit; skipped to \(next)")
        return next
    }

    mutating func reportTrackCount(header: Header, found: Int, at offset: Int) {
        if found == 0 {
            log.recordSeparately(
                .noTracks, at: offset, track: nil, action: .ignored,
                "no MTrk chunk found; the file has no events")
        } else if header.declaredTracks != found {
            log.recordSeparately(
                .trackCountMismatch, at: offset, track: nil, action: .ignored,
                "header declares \(header.declaredTracks) tracks, \(found) found; all \(found) read")
        }
    }
}
