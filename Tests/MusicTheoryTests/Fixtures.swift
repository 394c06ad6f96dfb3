import Foundation
import MIDIFile

@testable import MusicTheory

/// Builds small files in code, so each test shows the notes it is about.
struct TrackBuilder {
    var track = Track()

    mutating func note(_ pitch: UInt8, at tick: Int, length: Int, channel: UInt8 = 0, velocity: UInt8 = 80) {
        track.appendChannelEvent(tick: tick, status: 0x90 | channel, data1: pitch, data2: velocity)
        track.appendChannelEvent(tick: tick + length, status: 0x80 | channel, data1: pitch, data2: 0)
    }

    mutating func timeSignature(_ numerator: UInt8, _ denominator: UInt8, at tick: Int) {
        let exponent = UInt8(denominator.trailingZeroBitCount)
        track.appendMeta(tick: tick, type: MetaType.timeSignature.rawValue, payload: [numerator, exponent, 24, 8])
    }

    mutating func tempo(bpm: Int, at tick: Int) {
        let microseconds = 60_000_000 / bpm
        track.appendMeta(
            tick: tick, type: MetaType.tempo.rawValue,
            payload: [UInt8(microseconds >> 16 & 0xFF), UInt8(microseconds >> 8 & 0xFF), UInt8(microseconds & 0xFF)])
    }

    /// Events must be appended in tick order; this restores it after interleaved notes.
    var sorted: Track {
        var copy = track
        copy.events = track.events.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }
            .map(\.element)
        return copy
    }
}

/// A melody as (MIDI pitch, length in quarter notes), one after another from tick 0.
func melodyFile(_ melody: [(UInt8, Double)], ticksPerQuarter: Int = 480) -> MIDIFile {
    var builder = TrackBuilder()
    var tick = 0
    for (pitch, quarters) in melody {
        let length = Int(quarters * Double(ticksPerQuarter))
        builder.note(pitch, at: tick, length: length)
        tick += length
    }
    return MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(ticksPerQuarter), tracks: [builder.sorted])
}

/// The package root, found from this file's path, for tests that use ../shared data.
enum SharedData {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let referenceKeys = packageRoot.appendingPathComponent("../shared/reference/music21_keys.jsonl").standardized
        .path
    static let corpus = packageRoot.appendingPathComponent("../shared/corpus").standardized.path
    static var hasReference: Bool { FileManager.default.fileExists(atPath: referenceKeys) }
    static var hasCorpus: Bool { FileManager.default.fileExists(atPath: corpus + "/classical") }
}
