import MIDIFile
import MusicTheory

/// A score as it is written: bars with their grids, instruments on staves, voices of
/// chords, and tempo directions. Ticks are at `ScorePreparation.ticksPerQuarter`.
public struct NotatedScore: Sendable {
    public enum Clef: Hashable, Sendable {
        case treble, bass, percussion
    }

    public struct Staff: Sendable {
        public var clef: Clef
        /// Upper voice first; each voice's chords in time order without overlap.
        public var voices: [[Chord]]
    }

    public struct Part: Sendable {
        public var name: String
        public var kind: Instrument.Kind
        public var channel: UInt8
        public var program: UInt8?
        public var staves: [Staff]
    }

    public var titleLines: [String]
    public var composer: String?
    public var keySignature: KeySignature?
    public var bars: BarGrids
    public var parts: [Part]
    public var tempoMarks: [PlacedTempoMark]
    public var ticksPerQuarter: Int { bars.ticksPerQuarter }
}
