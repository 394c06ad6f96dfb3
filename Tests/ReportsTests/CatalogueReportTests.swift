import Corpus
import Foundation
import Testing

@testable import Reports

/// A report of an ingested corpus folder shows what its catalogue says happened to each source.
@Suite struct CatalogueReportTests {
    /// Three rising C major scales of quarter notes at 120 bpm (24 notes, 12 s): long enough
    /// for the ingest's default filters (20 notes, 5 s).
    static func scaleFile() -> [UInt8] {
        var track: [UInt8] = []
        for (index, step) in Array(repeating: [0, 2, 4, 5, 7, 9, 11, 12], count: 3).joined().enumerated() {
            let pitch = UInt8(48 + 12 * (index / 8) + step)
            track += [0x00, 0x90, pitch, 0x64, 0x60, 0x80, pitch, 0x40]
        }
        track += [0x00, 0xFF, 0x2F, 0x00]
        let length = UInt32(track.count)
        return [0x4D, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0, 0x60, 0x4D, 0x54, 0x72, 0x6B]
            + [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)] + track
    }

    @Test func theIngestSummaryAndTheFilesNotKeptAreShown() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "reports-catalogue-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let sources = root.appendingPathComponent("sources")
        try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
        try Data(Self.scaleFile()).write(to: sources.appendingPathComponent("scale.mid"))
        try Data(Self.scaleFile()).write(to: sources.appendingPathComponent("scale copy.mid"))
        try Data(ReportBuilderTests.cleanFile).write(to: sources.appendingPathComponent("short.mid"))
        try Data("not a MIDI file".utf8).write(to: sources.appendingPathComponent("readme.mid"))
        let corpus = root.appendingPathComponent("corpus").path
        _ = try CorpusIngest.run(sources: [sources.path], into: corpus)

        let statistics = try CorpusStatistics.read(corpus: corpus)
        let output = root.appendingPathComponent("report")
        let summary = try ReportBuilder.build(paths: [corpus], output: output.path, options: ReportOptions())
        #expect(summary.pieces == statistics.keptPieces)
        #expect(summary.pieces == 1, "one scale kept, its copy a duplicate, the short piece rejected, the text skipped")

        let index = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("Ingest summary of"))
        let outcomes = try String(
            contentsOf: output.appendingPathComponent("corpus/ingest-status.csv"), encoding: .utf8)
        for (status, count) in statistics.byStatus {
            #expect(outcomes.contains("\r\n\(status),\(count)\r\n"), "\(status) count in the chart data")
        }
        for name in ["scale copy.mid", "short.mid", "readme.mid"] {
            #expect(index.contains(name), "\(name) is listed among the files not kept")
        }
    }
}
