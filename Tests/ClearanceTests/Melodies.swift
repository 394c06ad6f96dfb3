import Foundation
import MIDIFile

@testable import Clearance

/// Deterministic test music: pseudo-random melodies (a linear congruential walk, so each
/// seed gives its own tune) and MIDI files made from notes.
enum Melodies {
    /// `count` notes wandering by steps and leaps within two octaves, with varied rhythm.
    static func melody(seed: UInt64, count: Int, lowest: Int = 60) -> [LineNote] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var pitch = lowest + 12, beat: Float = 0
        var notes: [LineNote] = []
        let steps = [-5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 7, -7]
        let lengths: [Float] = [0.5, 1, 1, 0.5, 1.5, 2]
        for _ in 0..<count {
            let length = lengths[next(lengths.count)]
            notes.append(LineNote(onsetBeats: beat, durationBeats: length, pitch: UInt8(pitch)))
            beat += length
            pitch = min(lowest + 24, max(lowest, pitch + steps[next(steps.count)]))
        }
        return notes
    }

    static func piece(_ notes: [LineNote], track: Int = 0) -> ClearancePiece {
        piece(notes.map { TrackNote(track: track, note: $0) })
    }

    static func piece(_ notes: [TrackNote]) -> ClearancePiece {
        ClearancePiece(
            lines: LineExtraction.lines(ofTrackNotes: notes),
            barStartBeats: stride(from: 0, to: 4000, by: 4).map { Float($0) },
            firstBarNumber: 1)
    }

    /// A two-track MIDI file (conductor, notes) at 480 ticks per quarter.
    static func file(_ notes: [LineNote], microsecondsPerQuarter: Int = 500_000, channel: UInt8 = 0) -> MIDIFile {
        var conductor = Track()
        conductor.appendMeta(
            tick: 0, type: MetaType.tempo.rawValue,
            payload: [
                UInt8(microsecondsPerQuarter >> 16 & 0xFF), UInt8(microsecondsPerQuarter >> 8 & 0xFF),
                UInt8(microsecondsPerQuarter & 0xFF),
            ])
        conductor.appendMeta(tick: 0, type: MetaType.timeSignature.rawValue, payload: [4, 2, 24, 8])
        var track = Track()
        let events = notes.flatMap { note -> [(tick: Int, on: Bool, pitch: UInt8)] in
            let start = Int((note.onsetBeats * 480).rounded()),
                end = Int(((note.onsetBeats + note.durationBeats) * 480).rounded())
            return [(start, true, note.pitch), (end, false, note.pitch)]
        }.sorted { ($0.tick, $0.on ? 1 : 0) < ($1.tick, $1.on ? 1 : 0) }
        for event in events {
            track.appendChannelEvent(
                tick: event.tick, status: (event.on ? 0x90 : 0x80) | channel, data1: event.pitch,
                data2: event.on ? 90 : 64)
        }
        return MIDIFile(format: .multiTrack, division: .ticksPerQuarterNote(480), tracks: [conductor, track])
    }

    static func write(_ file: MIDIFile, to folder: URL, _ name: String) throws {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(MIDIWriter().encode(file).bytes).write(to: url)
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tunesmith-clearance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
