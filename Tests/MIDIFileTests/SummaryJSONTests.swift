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
            FileSummary.TempoChange(tick: position * 960, bpm: 60e6 / Double(tempo))
        }
        let whole = String(decoding: try StreamingJSONEncoder.encode(changes), as: UTF8.self)
        let each = try changes.map { String(decoding: try StreamingJSONEncoder.encode($0), as: UTF8.self) }
        #expect(whole == "[" + each.joined(separator: ",") + "]")
        #expect(each[0] == #"{"tick":0,"bpm":120}"#)
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
