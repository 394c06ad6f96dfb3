import Foundation
import MIDIFile
import MusicTheory
import Utilities

/// A piece as clearance sees it: its melodic lines and where its bars begin, both in beats.
public struct ClearancePiece: Hashable, Sendable {
    public var lines: [MelodicLine]
    /// The beat each bar starts on, in order.
    public var barStartBeats: [Float]
    /// The number of the first bar: 0 when the piece opens with a pickup, else 1.
    public var firstBarNumber: Int

    public init(lines: [MelodicLine], barStartBeats: [Float], firstBarNumber: Int) {
        self.lines = lines
        self.barStartBeats = barStartBeats
        self.firstBarNumber = firstBarNumber
    }

    public init(_ file: MIDIFile) {
        let notes = PieceNotes(file)
        let measures = Meter(file).measures
        lines = LineExtraction.lines(of: notes)
        barStartBeats = measures.map { Float(notes.tempoMap.beats(atTick: $0.startTick)) }
        firstBarNumber = measures.first?.number ?? 1
    }

    /// Reads a MIDI file; errors name the file and say why it is not one.
    public init(contentsOf path: String) throws {
        self.init(try MIDIReader.read(contentsOf: path).file)
    }

    public var noteCount: Int { lines.first?.notes.count ?? 0 }

    /// A place in the piece as a musician names it: bar number and beat within the bar
    /// (both from 1; beats are quarter notes).
    public func position(atBeat beat: Float) -> BarPosition {
        guard !barStartBeats.isEmpty else { return BarPosition(bar: firstBarNumber, beat: beat + 1) }
        let index = barStartBeats.lastIndex(atMost: beat) { $0 }
        return BarPosition(bar: firstBarNumber + index, beat: beat - barStartBeats[index] + 1)
    }

    /// Identifies the notes of the piece whatever the file's bytes: two files that read to
    /// the same lines are the same transcription (FNV-1a over the top line).
    public var contentKey: Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for note in lines.first?.notes ?? [] {
            for value in [UInt64(note.pitch), UInt64(note.onsetBeats.bitPattern)] {
                hash = (hash ^ value) &* 0x100_0000_01b3
            }
        }
        return Int64(bitPattern: hash)
    }
}

/// Bar and beat, both counted from 1: bar 12, beat 3.5.
public struct BarPosition: Hashable, Sendable, Codable, CustomStringConvertible {
    public var bar: Int
    public var beat: Float

    public var description: String {
        let rounded = (beat * 100).rounded() / 100
        return rounded == rounded.rounded() ? "\(bar):\(Int(rounded))" : "\(bar):\(rounded)"
    }
}
