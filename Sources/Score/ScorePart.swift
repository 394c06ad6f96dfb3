import Foundation
import MIDIFile

/// One instrument line of the score: the notes one channel plays on one source track.
public struct ScorePart: Hashable, Sendable {
    public var name: String?
    public var channel: UInt8
    /// The General MIDI program in force at the part's first note; nil when none is set.
    public var program: UInt8?
    public var notes: [ScoreNote]

    public init(name: String?, channel: UInt8, program: UInt8?, notes: [ScoreNote]) {
        self.name = name
        self.channel = channel
        self.program = program
        self.notes = notes
    }

    public var isDrums: Bool { channel == MIDIChannel.drums }

    /// The parts of a file, in track order then channel order; notes are moved to
    /// `ticksPerQuarter` through the tempo map, which also turns SMPTE time into beats.
    public static func parts(of file: MIDIFile, ticksPerQuarter: Int) -> [ScorePart] {
        let tempoMap = TempoMap(file)
        let programs = ProgramChanges(file)
        func rescale(_ tick: Int) -> Int { Int((tempoMap.beats(atTick: tick) * Double(ticksPerQuarter)).rounded()) }
        var parts: [ScorePart] = []
        for track in file.tracks {
            let paired = track.pairNotes().notes
            let name = track.name?.trimmingCharacters(in: .whitespacesAndNewlines)
            for channel in Set(paired.map(\.channel)).sorted() {
                let notes = paired.filter { $0.channel == channel }.map { note in
                    ScoreNote(
                        channel: channel, pitch: note.pitch, velocity: note.velocity,
                        onset: rescale(note.onset), end: rescale(note.onset + note.duration))
                }
                parts.append(
                    ScorePart(
                        name: name.flatMap { ScoreTitle.isPlaceholder($0) ? nil : $0 }, channel: channel,
                        program: programs.program(
                            channel: channel, atTick: paired.first { $0.channel == channel }?.onset ?? 0),
                        notes: notes))
            }
        }
        return parts
    }
}

/// Program changes per channel from every track: format 1 files often set a channel's
/// program on a track other than the one that plays it.
struct ProgramChanges {
    private var byChannel: [[(tick: Int, program: UInt8)]] = Array(repeating: [], count: 16)

    init(_ file: MIDIFile) {
        for track in file.tracks {
            for event in track.events where event.status & 0xF0 == 0xC0 {
                byChannel[Int(event.channel)].append((event.tick, event.data1))
            }
        }
        for channel in byChannel.indices { byChannel[channel].sort { $0.tick < $1.tick } }
    }

    /// The last change at or before `tick`, or the first change when all come later
    /// (a program set just after the first note still names the instrument).
    func program(channel: UInt8, atTick tick: Int) -> UInt8? {
        let changes = byChannel[Int(channel & 0x0F)]
        return (changes.last { $0.tick <= tick } ?? changes.first)?.program
    }
}
