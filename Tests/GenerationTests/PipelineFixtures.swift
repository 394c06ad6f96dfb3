import Foundation
import MIDIFile

@testable import Generation

/// Where the shared corpus sits relative to the package root, and small MIDI files the
/// pipeline tests build for themselves.
enum PipelineFixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let sharedCorpus = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    static var hasSharedCorpus: Bool {
        FileManager.default.fileExists(atPath: sharedCorpus.appendingPathComponent("jazz").path)
    }

    /// Every `stride`-th MIDI file of a shared corpus folder, in name order.
    static func sharedFiles(_ folder: String, every stride: Int) -> [String] {
        let directory = sharedCorpus.appendingPathComponent(folder)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.lowercased().hasSuffix(".mid") }.sorted()
        return Swift.stride(from: 0, to: names.count, by: stride).map {
            directory.appendingPathComponent(names[$0]).path
        }
    }

    /// A fresh scratch folder (`tunesmith-<label>-<UUID>` in the temporary directory) holding the
    /// random corpus in its `corpus` subfolder; the caller removes `folder` when done.
    static func scratchFolderWithRandomCorpus(_ label: String) throws -> (folder: URL, corpus: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tunesmith-\(label)-\(UUID().uuidString)")
        let corpus = folder.appendingPathComponent("corpus")
        try writeRandomCorpus(in: corpus)
        return (folder, corpus)
    }

    /// Twelve one-track pieces of 40 random eighth notes in one octave (seed 8), written as
    /// `piece0.mid`… into `folder`: a corpus a tiny run trains on in seconds.
    static func writeRandomCorpus(in folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var random = SeededRandom(seed: 8)
        for index in 0..<12 {
            let notes = (0..<40).map { step in
                (pitch: UInt8(60 + Int(random.next() % 12)), onset: Double(step) / 2, duration: 0.5)
            }
            try MIDIWriter().write(file(notes: notes), to: folder.appendingPathComponent("piece\(index).mid").path)
        }
    }

    /// One track of notes, 480 ticks per quarter: (pitch, onset, duration) in quarters.
    static func file(
        notes: [(pitch: UInt8, onset: Double, duration: Double)], channel: UInt8 = 0, program: UInt8? = nil,
        extraTracks: [Track] = []
    ) -> MIDIFile {
        var track = Track()
        if let program { track.appendChannelEvent(tick: 0, status: 0xC0 | channel, data1: program) }
        var messages: [(tick: Int, status: UInt8, pitch: UInt8, velocity: UInt8)] = []
        for note in notes {
            messages.append((Int(note.onset * 480), 0x90 | channel, note.pitch, 80))
            messages.append((Int((note.onset + note.duration) * 480), 0x80 | channel, note.pitch, 0))
        }
        for message in messages.sorted(by: { ($0.tick, $0.status) < ($1.tick, $1.status) }) {
            track.appendChannelEvent(
                tick: message.tick, status: message.status, data1: message.pitch, data2: message.velocity)
        }
        return MIDIFile(format: .multiTrack, division: .ticksPerQuarterNote(480), tracks: [track] + extraTracks)
    }
}
