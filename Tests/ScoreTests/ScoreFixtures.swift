import Foundation
import MIDIFile

/// Pieces built note by note for the tests, so each test knows the key, the grid and the
/// bar count the music was written with.
enum ScoreFixtures {
    static let ticksPerQuarter = 96

    /// Eight bars of 4/4 in D major on one piano track: the D major scale in eighth
    /// notes up and down in the right hand over long D, A and G notes in the left, played
    /// "by hand" (onsets and ends off the grid by up to 7 ticks of 96). The last notes end
    /// exactly on the final bar line.
    static func dMajorPiano(humanised: Bool = true) -> MIDIFile {
        let scale: [UInt8] = [62, 64, 66, 67, 69, 71, 73, 74, 74, 73, 71, 69, 67, 66, 64, 62]
        let bass: [UInt8] = [50, 45, 43, 45, 50, 43, 45, 50]
        let bar = 4 * ticksPerQuarter, eighth = ticksPerQuarter / 2
        let end = 8 * bar
        var notes: [(pitch: UInt8, onset: Int, end: Int)] = []
        for index in 0..<(8 * 8) {
            let onset = index * eighth
            notes.append((scale[index % scale.count], onset, onset + eighth))
        }
        for (index, pitch) in bass.enumerated() { notes.append((pitch, index * bar, index * bar + bar)) }
        var track = Track()
        track.appendMeta(tick: 0, type: MetaType.timeSignature.rawValue, payload: [4, 2, 24, 8])
        track.appendMeta(tick: 0, type: MetaType.tempo.rawValue, payload: [0x09, 0x27, 0xC0])  // 600 000 µs: 100 bpm
        var events: [(tick: Int, order: Int, status: UInt8, pitch: UInt8)] = []
        for (index, note) in notes.enumerated() {
            let jitter = humanised ? (index * 37 % 15) - 7 : 0
            let onset = max(0, note.onset + jitter)
            let noteEnd = note.end == end ? end : note.end + jitter / 2
            events.append((onset, 1, 0x90, note.pitch))
            events.append((noteEnd, 0, 0x80, note.pitch))
        }
        events.sort { ($0.tick, $0.order) < ($1.tick, $1.order) }
        for event in events {
            track.appendChannelEvent(
                tick: event.tick, status: event.status, data1: event.pitch, data2: event.status == 0x90 ? 80 : 0)
        }
        return MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(ticksPerQuarter), tracks: [track])
    }

    /// One note per (onset, pitch) on one channel, each `length` ticks long.
    static func file(onsets: [Int], pitch: UInt8 = 67, length: Int = 40, channel: UInt8 = 0, program: UInt8? = nil)
        -> MIDIFile
    {
        var track = Track()
        if let program { track.appendChannelEvent(tick: 0, status: 0xC0 | channel, data1: program) }
        var events: [(tick: Int, isOn: Bool)] = []
        for onset in onsets {
            events.append((onset, true))
            events.append((onset + length, false))
        }
        events.sort { ($0.tick, $0.isOn ? 1 : 0) < ($1.tick, $1.isOn ? 1 : 0) }
        for event in events {
            track.appendChannelEvent(
                tick: event.tick, status: (event.isOn ? 0x90 : 0x80) | channel, data1: pitch, data2: event.isOn ? 90 : 0
            )
        }
        return MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(ticksPerQuarter), tracks: [track])
    }

    static func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("score-tests-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    static func write(_ file: MIDIFile, named name: String, in folder: String) throws -> String {
        let path = folder + "/" + name
        try MIDIWriter().write(file, to: path)
        return path
    }
}

extension ScoreFixtures {
    /// Four bars of 4/4 on one piano track at 96 per quarter, exact: bar 1 straight
    /// eighths over a held whole-note chord, bar 2 eighth-note triplets with a quarter
    /// triplet, bar 3 a melody with a whole note held under it in the same hand and a bass
    /// note tied over the bar line, bar 4 a dotted rhythm over a dotted half from beat 2.
    static func mixedPiano() -> MIDIFile {
        var notes: [(pitch: UInt8, onset: Int, end: Int)] = []
        for index in 0..<8 { notes.append((72 + UInt8(index % 3), index * 48, index * 48 + 48)) }
        notes += [(48, 0, 384), (55, 0, 384)]
        let bar2 = 384
        for index in 0..<9 where index != 4 { notes.append((74, bar2 + index * 32, bar2 + index * 32 + 32)) }
        notes.append((76, bar2 + 3 * 32, bar2 + 5 * 32))
        notes.append((43, bar2, bar2 + 384))
        let bar3 = 768
        notes.append((64, bar3, bar3 + 384))
        for index in 0..<4 { notes.append((67 + UInt8(index), bar3 + index * 96, bar3 + index * 96 + 96)) }
        notes.append((36, bar3, bar3 + 480))
        let bar4 = 1152
        notes += [(69, bar4, bar4 + 144), (71, bar4 + 144, bar4 + 192), (72, bar4 + 192, bar4 + 384)]
        notes.append((41, bar4 + 96, bar4 + 384))
        var track = Track()
        track.appendMeta(tick: 0, type: MetaType.timeSignature.rawValue, payload: [4, 2, 24, 8])
        var events: [(tick: Int, order: Int, status: UInt8, pitch: UInt8)] = []
        for note in notes {
            events.append((note.onset, 1, 0x90, note.pitch))
            events.append((note.end, 0, 0x80, note.pitch))
        }
        events.sort { ($0.tick, $0.order, $0.pitch) < ($1.tick, $1.order, $1.pitch) }
        for event in events {
            track.appendChannelEvent(
                tick: event.tick, status: event.status, data1: event.pitch, data2: event.status == 0x90 ? 80 : 0)
        }
        return MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(ticksPerQuarter), tracks: [track])
    }
}

extension ScoreFixtures {
    /// A one-beat pickup (its own 1/4 bar) and four bars of 4/4 in quarter notes, right
    /// hand over a left hand in half notes, the last notes ending on the final bar line.
    static let pickupPieceBars = 5

    static func pickupPiece() -> MIDIFile {
        let quarter = ticksPerQuarter
        var notes: [(pitch: UInt8, onset: Int, end: Int)] = [(67, 0, quarter)]
        for index in 0..<16 {
            let onset = quarter + index * quarter
            notes.append((UInt8(72 + [0, 2, 4, 5][index % 4]), onset, onset + quarter))
        }
        for index in 0..<8 {
            notes.append((UInt8(48 + [0, 7][index % 2]), quarter + index * 2 * quarter, quarter * (3 + 2 * index)))
        }
        var track = Track()
        track.appendMeta(tick: 0, type: MetaType.timeSignature.rawValue, payload: [1, 2, 24, 8])
        track.appendMeta(tick: quarter, type: MetaType.timeSignature.rawValue, payload: [4, 2, 24, 8])
        var events: [(tick: Int, order: Int, status: UInt8, pitch: UInt8)] = []
        for note in notes {
            events.append((note.onset, 1, 0x90, note.pitch))
            events.append((note.end, 0, 0x80, note.pitch))
        }
        events.sort { ($0.tick, $0.order, $0.pitch) < ($1.tick, $1.order, $1.pitch) }
        var metas = track.events
        track.events = []
        for event in events {
            track.appendChannelEvent(
                tick: event.tick, status: event.status, data1: event.pitch, data2: event.status == 0x90 ? 80 : 0)
        }
        metas += track.events
        track.events = metas.sorted { $0.tick < $1.tick }
        return MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(ticksPerQuarter), tracks: [track])
    }
}
