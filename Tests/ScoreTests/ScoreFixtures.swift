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
