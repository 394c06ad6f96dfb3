import Foundation
import MIDIFile

/// Builds small MIDI files and folders of them for ingest tests.
enum TinyCorpus {
    /// A scale-like melody: `count` quarter notes starting at `firstPitch`, one per beat,
    /// so different seeds give different music. Tempo 120 bpm: a note lasts 0.5 s.
    static func melody(firstPitch: Int, count: Int = 40, channel: UInt8 = 0, ticksPerQuarter: Int = 480) -> [(
        onset: Int, pitch: UInt8, channel: UInt8
    )] {
        (0..<count).map { index in
            (index * ticksPerQuarter, UInt8((firstPitch + [0, 2, 4, 5, 7, 9, 11, 12][index % 8]) & 0x7F), channel)
        }
    }

    /// One conductor track (tempo, 4/4) and one track holding every note.
    static func file(
        _ notes: [(onset: Int, pitch: UInt8, channel: UInt8)], ticksPerQuarter: Int = 480,
        microsecondsPerQuarter: Int = 500_000, emptyTracks: Int = 0, noteTracks: Int = 1
    ) -> MIDIFile {
        var conductor = Track()
        conductor.appendMeta(
            tick: 0, type: MetaType.tempo.rawValue,
            payload: [
                UInt8(microsecondsPerQuarter >> 16 & 0xFF), UInt8(microsecondsPerQuarter >> 8 & 0xFF),
                UInt8(microsecondsPerQuarter & 0xFF),
            ])
        conductor.appendMeta(tick: 0, type: MetaType.timeSignature.rawValue, payload: [4, 2, 24, 8])
        var tracks = [conductor]
        for _ in 0..<emptyTracks {
            var empty = Track()
            empty.appendMeta(tick: 0, type: MetaType.trackName.rawValue, payload: Array("layer with no data".utf8))
            tracks.append(empty)
        }
        var noteTrackList = Array(repeating: Track(), count: noteTracks)
        for (index, note) in notes.enumerated() {
            let target = index % noteTracks
            noteTrackList[target].appendChannelEvent(
                tick: note.onset, status: 0x90 | note.channel, data1: note.pitch, data2: 90)
            noteTrackList[target].appendChannelEvent(
                tick: note.onset + ticksPerQuarter * 9 / 10, status: 0x80 | note.channel, data1: note.pitch, data2: 64)
        }
        tracks += noteTrackList
        return MIDIFile(format: .multiTrack, division: .ticksPerQuarterNote(ticksPerQuarter), tracks: tracks)
    }

    static func bytes(_ file: MIDIFile) -> [UInt8] { MIDIWriter().encode(file).bytes }

    /// A fresh folder under the temporary directory, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tunesmith-corpus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ bytes: [UInt8], to folder: URL, _ relativePath: String) throws {
        let url = folder.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// The last track's closing `FF 2F 00` removed and its chunk length fixed up: a
    /// track without end-of-track, as many scraped files have.
    static func withoutEndOfTrack(_ bytes: [UInt8]) -> [UInt8] {
        var lastChunk = 14, position = 14
        while position + 8 <= bytes.count {
            lastChunk = position
            position += 8 + bigEndianLength(bytes, at: position + 4)
        }
        var damaged = Array(bytes.dropLast(3))
        let shortened = bigEndianLength(bytes, at: lastChunk + 4) - 3
        for index in 0..<4 { damaged[lastChunk + 4 + index] = UInt8(truncatingIfNeeded: shortened >> (24 - 8 * index)) }
        return damaged
    }

    private static func bigEndianLength(_ bytes: [UInt8], at offset: Int) -> Int {
        (0..<4).reduce(0) { $0 << 8 | Int(bytes[offset + $1]) }
    }

    /// The file wrapped in a RIFF RMID container, as Windows saved `.rmi` files.
    static func riffWrapped(_ bytes: [UInt8]) -> [UInt8] {
        func littleEndian(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let data = Array("data".utf8) + littleEndian(bytes.count) + bytes + (bytes.count.isMultiple(of: 2) ? [] : [0])
        return Array("RIFF".utf8) + littleEndian(4 + data.count) + Array("RMID".utf8) + data
    }
}
