import Foundation

/// The compact bytes a piece's lines and bar starts are stored as in the index, little-endian.
///
/// Notes are stored on the piece's tick grid when there is one: lines are in beats read from
/// MIDI ticks (tick ÷ ticks per quarter), so the smallest of `timeBases` that gives back every
/// onset and duration exactly is stored, and each note is its onset step from the previous
/// note of its line and its duration in those ticks (varints) and its pitch: about 4 bytes a
/// note where raw floats take 9. A piece off every grid (a SMPTE-timed file) keeps raw floats.
enum PieceCodec {
    struct Malformed: Error {}

    /// Ticks per quarter note tried, smallest first: the divisions MIDI files use, and two
    /// common multiples of them.
    static let timeBases: [UInt32] = [24, 48, 96, 120, 192, 240, 256, 384, 480, 512, 768, 960, 1024, 1920, 3840, 15360]

    static func encode(_ piece: ClearancePiece) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(
            20 + piece.lines.reduce(0) { $0 + 8 + $1.notes.count * 5 } + piece.barStartBeats.count * 4)
        append(UInt32(piece.firstBarNumber), to: &bytes)
        append(UInt32(piece.barStartBeats.count), to: &bytes)
        for start in piece.barStartBeats { append(start.bitPattern, to: &bytes) }
        let base = timeBase(of: piece)
        append(base, to: &bytes)
        append(UInt32(piece.lines.count), to: &bytes)
        for line in piece.lines {
            let (kind, track, number): (UInt8, Int, Int) =
                switch line.source {
                case .topVoice: (0, 0, 0)
                case .track(let track): (1, track, 0)
                case .voice(let track, let number): (2, track, number)
                case .acrossVoices: (3, 0, 0)
                }
            bytes.append(kind)
            append(UInt16(clamping: track), to: &bytes)
            bytes.append(UInt8(clamping: number))
            Varint.append(UInt64(line.notes.count), to: &bytes)
            var previousTick: UInt64 = 0
            for note in line.notes {
                if base == 0 {
                    append(note.onsetBeats.bitPattern, to: &bytes)
                    append(note.durationBeats.bitPattern, to: &bytes)
                } else {
                    let onset = ticks(note.onsetBeats, base)
                    Varint.append(onset - previousTick, to: &bytes)
                    Varint.append(ticks(note.durationBeats, base), to: &bytes)
                    previousTick = onset
                }
                bytes.append(note.pitch)
            }
        }
        return Data(bytes)
    }

    private static func ticks(_ beats: Float, _ base: UInt32) -> UInt64 {
        UInt64((Double(beats) * Double(base)).rounded())
    }

    private static func beats(_ ticks: UInt64, _ base: UInt32) -> Float {
        Float(Double(ticks) / Double(base))
    }

    /// The smallest time base on which every onset and duration is a whole number of ticks
    /// that decodes to the same float, onsets never step back within a line; 0 when none.
    /// The value that ruled out one base is tried first on the next: a note off a coarse grid
    /// is usually off the next few too, and is then found without reading the notes before it.
    static func timeBase(of piece: ClearancePiece) -> UInt32 {
        func fits(_ value: Float, _ base: UInt32) -> Bool {
            guard value >= 0, value < 1e9 else { return false }
            return beats(ticks(value, base), base) == value
        }
        var ruledOut: Float?
        bases: for base in timeBases {
            if let ruledOut, !fits(ruledOut, base) { continue }
            for line in piece.lines {
                var previous: Float = 0
                for note in line.notes {
                    guard note.onsetBeats >= previous else { return 0 }
                    previous = note.onsetBeats
                    if !fits(note.onsetBeats, base) {
                        ruledOut = note.onsetBeats
                        continue bases
                    }
                    if !fits(note.durationBeats, base) {
                        ruledOut = note.durationBeats
                        continue bases
                    }
                }
            }
            return base
        }
        return 0
    }

    /// The reference `timeBase` is tested against: every base tried on every note in turn.
    static func naiveTimeBase(of piece: ClearancePiece) -> UInt32 {
        func fits(_ value: Float, _ base: UInt32) -> Bool {
            guard value >= 0, value < 1e9 else { return false }
            return beats(ticks(value, base), base) == value
        }
        return timeBases.first { base in
            piece.lines.allSatisfy { line in
                var previous: Float = 0
                return line.notes.allSatisfy { note in
                    defer { previous = note.onsetBeats }
                    return note.onsetBeats >= previous && fits(note.onsetBeats, base) && fits(note.durationBeats, base)
                }
            }
        } ?? 0
    }

    static func decode(_ data: Data) throws(Malformed) -> ClearancePiece {
        var reader = ByteReader(bytes: [UInt8](data))
        let firstBar = Int(try reader.uint32())
        let barCount = Int(try reader.uint32())
        guard barCount <= data.count / 4 else { throw Malformed() }
        var bars: [Float] = []
        bars.reserveCapacity(barCount)
        for _ in 0..<barCount { bars.append(Float(bitPattern: try reader.uint32())) }
        let base = try reader.uint32()
        let lineCount = Int(try reader.uint32())
        guard lineCount <= data.count else { throw Malformed() }
        var lines: [MelodicLine] = []
        lines.reserveCapacity(lineCount)
        for _ in 0..<lineCount {
            let kind = try reader.byte(), track = Int(try reader.uint16()), number = Int(try reader.byte())
            let source: LineSource
            switch kind {
            case 0: source = .topVoice
            case 1: source = .track(track)
            case 2: source = .voice(track: track, number: number)
            case 3: source = .acrossVoices
            default: throw Malformed()
            }
            let count = try reader.varint()
            guard count <= UInt64(data.count) else { throw Malformed() }
            var notes: [LineNote] = []
            notes.reserveCapacity(Int(count))
            var tick: UInt64 = 0
            for _ in 0..<count {
                let onset: Float, duration: Float
                if base == 0 {
                    onset = Float(bitPattern: try reader.uint32())
                    duration = Float(bitPattern: try reader.uint32())
                } else {
                    tick &+= try reader.varint()
                    onset = beats(tick, base)
                    duration = beats(try reader.varint(), base)
                }
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

        mutating func varint() throws(Malformed) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while shift < 64 {
                let next = try byte()
                value |= UInt64(next & 0x7F) << shift
                if next < 0x80 { return value }
                shift += 7
            }
            throw Malformed()
        }
    }
}
