import Foundation
import MIDIFile
import MusicTheory

/// A MIDI file written out as a score MuseScore engraves as given.
public struct PreparedScore: Sendable {
    public var notated: NotatedScore
    public var musicXML: String
    public var title: String
    public var composer: String?
    /// The key signature written at the start; nil when the piece has no pitched notes.
    public var keySignature: KeySignature?
    /// Staves in the order they are written; a piano counts twice.
    public var staves: [String]
    public var noteCount: Int
    /// Bars written, an opening pickup included.
    public var measureCount: Int { notated.bars.measures.count }
    public var barsByGrid: [NoteGrid: Int] {
        notated.bars.grids.reduce(into: [:]) { counts, grid in counts[grid, default: 0] += 1 }
    }
    /// The grid most bars are written on.
    public var grid: NoteGrid {
        barsByGrid.max { ($0.value, $1.key.rawValue) < ($1.value, $0.key.rawValue) }?.key ?? .sixteenths
    }
}

/// Turns a MIDI file into a score: instruments merged from their tracks, pianos on a
/// grand staff split by hand, voices where lines overlap, bars and pickup from the time
/// signatures, each bar on the grid that fits it, and tempo marks where the tempo moves.
public enum ScorePreparation {
    /// Every grid divides it: 120 ticks per sixteenth, 60 per thirty-second, 160 per
    /// eighth-note triplet.
    public static let ticksPerQuarter = 480

    public static func prepare(
        _ source: MIDIFile, title: String, composer: String? = nil, keySignature: KeySignature?
    ) -> PreparedScore {
        let instruments = Instrument.merge(ScorePart.parts(of: source, ticksPerQuarter: ticksPerQuarter))
        let allNotes = instruments.flatMap(\.notes)
        let lastEnd = allNotes.map(\.end).max() ?? 0
        let tempoMap = TempoMap(source)
        // Bars well past the end, cut back once quantisation has settled where the music ends.
        let provisional = Meter(
            timeSignatures: timeSignatures(of: source, tempoMap: tempoMap), ticksPerQuarter: ticksPerQuarter,
            endTick: lastEnd + 8 * 4 * ticksPerQuarter)
        let provisionalBars = BarGrids(
            measures: provisional.measures, onsets: allNotes.map(\.onset), ticksPerQuarter: ticksPerQuarter)

        var parts: [NotatedScore.Part] = []
        var staffNames: [String] = []
        var noteCount = 0
        var musicEnd = 0
        for instrument in instruments {
            let notes = Quantiser.quantise(instrument.notes, bars: provisionalBars)
            noteCount += notes.count
            musicEnd = max(musicEnd, notes.map(\.end).max() ?? 0)
            let staffNotes: [(clef: NotatedScore.Clef, notes: [ScoreNote])]
            switch instrument.kind {
            case .piano:
                let hands = StaffSplit.split(notes, ticksPerQuarter: ticksPerQuarter)
                staffNotes = [(.treble, hands.right), (.bass, hands.left)]
            case .drums:
                staffNotes = [(.percussion, notes)]
            case .program:
                let mean = Double(notes.reduce(0) { $0 + Int($1.pitch) }) / Double(max(notes.count, 1))
                staffNotes = [(mean < Double(StaffSplit.middleC) - 5 ? .bass : .treble, notes)]
            }
            let staves = staffNotes.map { staff in
                NotatedScore.Staff(
                    clef: staff.clef,
                    voices: VoiceAssignment.assign(
                        staff.notes, step: provisionalBars.step(atTick:),
                        sameBar: { provisionalBars.barIndex(atTick: $0) == provisionalBars.barIndex(atTick: $1) }))
            }
            parts.append(
                NotatedScore.Part(
                    name: instrument.name, kind: instrument.kind, channel: instrument.channel,
                    program: instrument.program, staves: staves))
            staffNames += Array(repeating: instrument.name, count: staves.count)
        }

        let barCount = musicEnd > 0 ? provisionalBars.barIndex(atTick: musicEnd - 1) + 1 : 1
        let bars = BarGrids(
            measures: Array(provisionalBars.measures.prefix(barCount)),
            grids: Array(provisionalBars.grids.prefix(barCount)),
            ticksPerQuarter: ticksPerQuarter)
        let quarter = Double(ticksPerQuarter)
        let barTempos = TempoMarks.barTempos(
            tempoMap, bars: bars.measures.map { (Double($0.startTick) / quarter, Double($0.endTick) / quarter) })
        let notated = NotatedScore(
            titleLines: ScoreTitle.wrap(title), composer: composer, keySignature: keySignature, bars: bars,
            parts: parts, tempoMarks: TempoMarks.reduce(barTempos))
        return PreparedScore(
            notated: notated, musicXML: MusicXMLWriter.write(notated), title: title, composer: composer,
            keySignature: keySignature, staves: staffNames, noteCount: noteCount)
    }

    /// The key signature the file states (its first), if any.
    public static func statedKeySignature(of file: MIDIFile) -> KeySignature? {
        var first: (tick: Int, signature: KeySignature)?
        for track in file.tracks {
            for event in track.events where event.isMeta {
                if let signature = track.keySignature(of: event), first.map({ event.tick < $0.tick }) ?? true {
                    first = (event.tick, signature)
                }
            }
        }
        return first?.signature
    }

    /// Time signatures from every track, moved to quarter notes at the new resolution and
    /// snapped to the nearest sixteenth so a bar line never falls off the grid.
    static func timeSignatures(of source: MIDIFile, tempoMap: TempoMap) -> [(tick: Int, signature: TimeSignature)] {
        let sixteenth = ticksPerQuarter / 4
        var found: [(tick: Int, order: Int, signature: TimeSignature)] = []
        for track in source.tracks {
            for event in track.events where event.isMeta {
                guard let signature = track.timeSignature(of: event) else { continue }
                let ticks = tempoMap.beats(atTick: event.tick) * Double(ticksPerQuarter)
                found.append((Int((ticks / Double(sixteenth)).rounded()) * sixteenth, found.count, signature))
            }
        }
        found.sort { ($0.tick, $0.order) < ($1.tick, $1.order) }
        return found.map { ($0.tick, $0.signature) }
    }
}
