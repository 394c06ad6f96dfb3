import Foundation
import MIDIFile
import MusicTheory

/// A MIDI file rewritten so MuseScore's import turns it into a readable score.
public struct PreparedScore: Sendable {
    public var file: MIDIFile
    public var title: String
    public var gridFit: GridFit
    public var grid: Grid { gridFit.best }
    /// Beats written on the other grid than the piece's.
    public var beatsOnOtherGrid: Int
    /// The key signature written at the start; nil when the piece has no pitched notes.
    public var keySignature: KeySignature?
    /// Staves in the order they are written; a split piano part counts twice.
    public var staves: [String]
    public var noteCount: Int
}

/// Rewrites a file for notation: one track per staff, notes on the piece's grid, the
/// detected key as the key signature, and the title where MuseScore looks for it.
public enum ScorePreparation {
    /// Both grids divide it: 120 ticks per sixteenth, 160 per eighth-note triplet.
    public static let ticksPerQuarter = 480

    /// MuseScore's own meta event for the score title (its MIDI import reads 0x10 as
    /// "title"; other programs ignore an unassigned type).
    static let museScoreTitleMetaType: UInt8 = 0x10

    public static func prepare(_ source: MIDIFile, title: String, keySignature: KeySignature?) -> PreparedScore {
        let parts = ScorePart.parts(of: source, ticksPerQuarter: ticksPerQuarter).filter { !$0.notes.isEmpty }
        let onsets = parts.flatMap { $0.notes.map(\.onset) }
        let fit = GridFit(onsetBeats: onsets.map { Double($0) / Double(ticksPerQuarter) })
        let beatGrid = BeatGrid(onsets: onsets, ticksPerQuarter: ticksPerQuarter)

        var staves: [(name: String?, part: ScorePart, notes: [ScoreNote])] = []
        for part in parts {
            let notes = Quantiser.quantise(part.notes, grid: beatGrid)
            if StaffSplit.isPiano(program: part.program, channel: part.channel), let hands = StaffSplit.split(notes) {
                staves.append((part.name, part, hands.right))
                staves.append((part.name, part, hands.left))
            } else {
                staves.append((part.name, part, notes))
            }
        }

        var conductor = Track()
        conductor.appendMeta(tick: 0, type: MetaType.trackName.rawValue, payload: Array(title.utf8))
        copyTimingEvents(from: source, into: &conductor)
        if let keySignature { appendKeySignature(keySignature, to: &conductor) }

        var tracks = [conductor]
        for (index, staff) in staves.enumerated() {
            var track = Track()
            if index == 0 { track.appendMeta(tick: 0, type: museScoreTitleMetaType, payload: Array(title.utf8)) }
            if let name = staff.name {
                track.appendMeta(tick: 0, type: MetaType.trackName.rawValue, payload: Array(name.utf8))
            }
            if let keySignature, !staff.part.isDrums { appendKeySignature(keySignature, to: &track) }
            if let program = staff.part.program {
                track.appendChannelEvent(tick: 0, status: 0xC0 | staff.part.channel, data1: program)
            }
            appendNotes(staff.notes, to: &track)
            tracks.append(track)
        }
        let end = tracks.map(\.lastTick).max() ?? 0
        for index in tracks.indices { tracks[index].endOfTrackTick = end }

        return PreparedScore(
            file: MIDIFile(format: .multiTrack, division: .ticksPerQuarterNote(ticksPerQuarter), tracks: tracks),
            title: title, gridFit: fit, beatsOnOtherGrid: beatGrid.otherGridBeats.count, keySignature: keySignature,
            staves: staves.map { $0.name ?? ($0.part.isDrums ? "Drums" : "Channel \($0.part.channel + 1)") },
            noteCount: staves.reduce(0) { $0 + $1.notes.count })
    }

    /// Tempo and time-signature events from every track, moved to the new resolution
    /// (time signatures snapped to the nearest beat so a bar line never falls off-grid).
    private static func copyTimingEvents(from source: MIDIFile, into conductor: inout Track) {
        let tempoMap = TempoMap(source)
        func rescale(_ tick: Int) -> Int { Int((tempoMap.beats(atTick: tick) * Double(ticksPerQuarter)).rounded()) }
        var timing: [(tick: Int, order: Int, event: MIDIEvent, track: Track)] = []
        for track in source.tracks {
            for event in track.events where event.isMeta {
                if track.tempo(of: event) != nil {
                    timing.append((rescale(event.tick), timing.count, event, track))
                } else if track.timeSignature(of: event) != nil {
                    let beat = Int((tempoMap.beats(atTick: event.tick)).rounded())
                    timing.append((beat * ticksPerQuarter, timing.count, event, track))
                }
            }
        }
        timing.sort { ($0.tick, $0.order) < ($1.tick, $1.order) }
        for item in timing {
            conductor.appendMeta(tick: item.tick, type: item.event.data1, payload: item.track.payload(of: item.event))
        }
    }

    private static func appendKeySignature(_ key: KeySignature, to track: inout Track) {
        track.appendMeta(
            tick: 0, type: MetaType.keySignature.rawValue,
            payload: [UInt8(bitPattern: Int8(key.sharps)), key.isMinor ? 1 : 0])
    }

    /// Note-offs sort before note-ons at the same tick, so a repeated key is released
    /// before it is struck again.
    private static func appendNotes(_ notes: [ScoreNote], to track: inout Track) {
        var events: [(tick: Int, isOn: Bool, note: ScoreNote)] = []
        events.reserveCapacity(notes.count * 2)
        for note in notes {
            events.append((note.onset, true, note))
            events.append((note.end, false, note))
        }
        events.sort { ($0.tick, $0.isOn ? 1 : 0, $0.note.pitch) < ($1.tick, $1.isOn ? 1 : 0, $1.note.pitch) }
        for event in events {
            if event.isOn {
                track.appendChannelEvent(
                    tick: event.tick, status: 0x90 | event.note.channel, data1: event.note.pitch,
                    data2: max(event.note.velocity, 1))
            } else {
                track.appendChannelEvent(
                    tick: event.tick, status: 0x80 | event.note.channel, data1: event.note.pitch, data2: 64)
            }
        }
    }
}
