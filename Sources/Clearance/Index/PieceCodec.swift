import Foundation

/// The compact bytes a piece's lines and bar starts are stored as in the index: 9 bytes a
/// note (onset and duration as 32-bit floats, pitch as a byte), little-endian.
enum PieceCodec {
    struct Malformed: Error {}

    static func encode(_ piece: ClearancePiece) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(
            16 + piece.lines.reduce(0) { $0 + 8 + $1.notes.count * 9 } + piece.barStartBeats.count * 4)
        append(UInt32(piece.firstBarNumber), to: &bytes)
        append(UInt32(piece.barStartBeats.count), to: &bytes)
        for start in piece.barStartBeats { append(start.bitPattern, to: &bytes) }
        append(UInt32(piece.lines.count), to: &bytes)
        for line in piece.lines {
            let (kind, track, number): (UInt8, Int, Int) =
                switch line.source {
                case .topVoice: (0, 0, 0)
                case .track(let track): (1, track, 0)
                case .voice(let track, let number): (2, track, number)
                }
            bytes.append(kind)
            append(UInt16(clamping: track), to: &bytes)
            bytes.append(UInt8(clamping: number))
            append(UInt32(line.notes.count), to: &bytes)
            for note in line.notes {
                append(note.onsetBeats.bitPattern, to: &bytes)
                append(note.durationBeats.bitPattern, to: &bytes)
                bytes.append(note.pitch)
            }
        }
        return Data(bytes)
    }

    static func decode(_ data: Data) throws(Malformed) -> ClearancePiece {
        var reader = ByteReader(bytes: [UInt8](data))
        let firstBar = Int(try reader.uint32())
        let barCount = Int(try reader.uint32())
        var bars: [Float] = []
        bars.reserveCapacity(barCount)
        for _ in 0..<barCount { bars.append(Float(bitPattern: try reader.uint32())) }
        let lineCount = Int(try reader.uint32())
        var lines: [MelodicLine] = []
        for _ in 0..<lineCount {
            let kind = try reader.byte(), track = Int(try reader.uint16()), number = Int(try reader.byte())
            let source: LineSource
            switch kind {
            case 0: source = .topVoice
            case 1: source = .track(track)
            case 2: source = .voice(track: track, number: number)
            default: throw Malformed()
            }
            let count = Int(try reader.uint32())
            var notes: [LineNote] = []
            notes.reserveCapacity(count)
            for _ in 0..<count {
                let onset = Float(bitPattern: try reader.uint32()), duration = Float(bitPattern: try reader.uint32())
                notes.append(LineNote(onsetBeats: onset, durationBeats: duration, pitch: try reader.byte()))
            }
            lines.append(MelodicLine(source: source, notes: notes))
        }
        return ClearancePiece(lines: lines, barStartBeats: bars, firstBarNumber: firstBar)
    }

    private static func append<Value: FixedWidthInteger>(_ value: Value, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private struct ByteReader {
        let bytes: [UInt8]
        var offset = 0

        mutating func byte() throws(Malformed) -> UInt8 {
            guard offset < bytes.count else { throw Malformed() }
            offset += 1
            return bytes[offset - 1]
        }

        mutating func uint16() throws(Malformed) -> UInt16 {
            UInt16(try byte()) | UInt16(try byte()) << 8
        }

        mutating func uint32() throws(Malformed) -> UInt32 {
            UInt32(try uint16()) | UInt32(try uint16()) << 16
        }
    }
}
