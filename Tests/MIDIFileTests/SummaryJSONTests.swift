import Foundation
import Testing
import Utilities

@testable import MIDIFile

/// `inspect --json` lines: the streaming encoder against Foundation's JSONEncoder (the
/// reference), and back through JSONDecoder to the same summary.
@Suite struct SummaryJSONTests {
    func expectParityAndRoundTrip(_ summary: FileSummary) throws {
        let bytes = try StreamingJSONEncoder.encode(summary)
        let reference = try ReferenceJSON.canonicalEncoding(of: summary)
        #expect(try ReferenceJSON.canonical(bytes) == reference, "\(summary.file)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decoder.decode(FileSummary.self, from: Data(bytes)) == summary, "\(summary.file)")
    }

    @Test func damagedFixtureUnderAnAwkwardName() throws {
        var damaged = validSingleNote
        damaged.append(contentsOf: [0x00, 0x01])
        let result = try MIDIReader.read(damaged)
        #expect(!result.findings.isEmpty)
        try expectParityAndRoundTrip(FileSummary(file: "dir/\"quoted\"\ttab\u{1F}\\Für 🎵.mid", result: result))
    }

    /// Tempo changes are written by `JSONFieldsWritable` in an array; one alone takes its
    /// `encode(to:)`. The bytes must agree.
    @Test func tempoChangesWriteTheirCodableBytes() throws {
        let changes = [500_000, 417_392, 1, 16_777_215, 500_000].enumerated().map { position, tempo in
            FileSummary.TempoChange(tick: position * 960, tempo: tempo)
        }
        let whole = String(decoding: try StreamingJSONEncoder.encode(changes), as: UTF8.self)
        let each = try changes.map { String(decoding: try StreamingJSONEncoder.encode($0), as: UTF8.self) }
        #expect(whole == "[" + each.joined(separator: ",") + "]")
        #expect(each[0] == #"{"tick":0,"tempo":500000}"#)
    }

    /// The notes a summary counts without pairing are the notes `Track.pairNotes()` makes,
    /// track by track; the tempos collected while counting are `TempoMap`'s own; and the
    /// readable tempo range matches the exact tempos.
    func expectCountsOfThePairedReading(_ result: ReadResult, _ name: String) {
        let summary = FileSummary(file: name, result: result)
        let paired = result.file.tracks.map { $0.pairNotes().notes.count }
        #expect(summary.tracks.map(\.notes) == paired, "\(name)")
        #expect(summary.notes == paired.reduce(0, +), "\(name)")
        let mapped = TempoMap(result.file).changes.map {
            FileSummary.TempoChange(tick: $0.tick, tempo: $0.microsecondsPerQuarter)
        }
        #expect(summary.tempos == mapped, "\(name)")
        let bpms = summary.tempos.map(\.bpm)
        #expect(abs(summary.tempoMinBpm - bpms.min()!) <= 0.005 && abs(summary.tempoMaxBpm - bpms.max()!) <= 0.005)
    }

    @Test func noteCountsEqualPairedNotesOnFixtures() throws {
        var damaged = validSingleNote
        damaged.append(contentsOf: [0x00, 0x01])
        for (name, bytes) in [("valid", validSingleNote), ("damaged", damaged)] {
            expectCountsOfThePairedReading(try MIDIReader.read(bytes), name)
        }
    }

    @Test(.enabled(if: SharedCorpus.isPresent, "../shared/corpus is absent"))
    func noteCountsEqualPairedNotesOnTheCorpus() throws {
        var compared = 0
        for name in SharedCorpus.midiFiles {
            guard let result = try? MIDIReader.read(contentsOf: SharedCorpus.root.appendingPathComponent(name).path)
            else { continue }
            expectCountsOfThePairedReading(result, name)
            compared += 1
        }
        #expect(compared > 500)
    }

    /// Every fourth corpus file, damaged ones included (the reference is slow on the
    /// thousands of tempo changes some piano rolls hold).
    @Test(.enabled(if: SharedCorpus.isPresent, "../shared/corpus is absent"))
    func corpusFiles() throws {
        var compared = 0
        for name in SharedCorpus.midiFiles.enumerated().filter({ $0.offset % 4 == 0 }).map(\.element) {
            let path = SharedCorpus.root.appendingPathComponent(name).path
            guard let result = try? MIDIReader.read(contentsOf: path) else { continue }
            try expectParityAndRoundTrip(FileSummary(file: path, result: result))
            compared += 1
        }
        #expect(compared > 120)
    }
}
