import Foundation
import MIDIFile
import MusicTheory
import Testing

@testable import Reports

/// Bytes from commented hex: pairs of hex digits, anything after `#` on a line ignored.
func hex(_ text: String) -> [UInt8] {
    text.split(separator: "\n").flatMap { line -> [UInt8] in
        let digits = Array(
            (line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").filter(
                \.isHexDigit))
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }
}

/// A report written into a fresh temporary folder from fixtures the test writes itself.
@Suite struct ReportBuilderTests {
    /// Starts with a data byte where a status byte must be, and has no end-of-track.
    static let brokenFile = hex(
        """
        4D 54 68 64 00 00 00 06   # MThd, length 6
        00 00 00 01 00 60         # format 0, 1 track, 96 ticks per quarter note
        4D 54 72 6B 00 00 00 0E   # MTrk, 14 bytes
        00 3C 64                  # tick 0: data bytes with no running status yet
        00 90 3C 64               # tick 0: note on C4
        60 3C 00                  # tick 96: running-status note on, velocity 0 (note off)
        00 90 40 64               # tick 96: note on E4, never closed; no end-of-track follows
        """)

    /// Two bars of C major: C4 E4 G4 C5 then G4 E4 C4 (a half note), 4/4, end-of-track.
    static let cleanFile = hex(
        """
        4D 54 68 64 00 00 00 06  00 00 00 01 00 60   # MThd: format 0, 1 track, 96 per quarter
        4D 54 72 6B 00 00 00 45                      # MTrk, 69 bytes
        00 FF 58 04 04 02 18 08                      # 4/4
        00 90 3C 64  60 80 3C 40                     # C4
        00 90 40 64  60 80 40 40                     # E4
        00 90 43 64  60 80 43 40                     # G4
        00 90 48 64  60 80 48 40                     # C5
        00 90 43 64  60 80 43 40                     # G4
        00 90 40 64  60 80 40 40                     # E4
        00 90 3C 64  81 40 80 3C 40                  # C4, a half note (192 ticks)
        00 FF 2F 00                                  # end of track
        """)

    func writeFixtures() throws -> (folder: URL, output: URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("reports-test-\(UUID().uuidString)")
        let corpus = root.appendingPathComponent("corpus/folk")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try Data(Self.brokenFile).write(to: corpus.appendingPathComponent("broken & <odd>.mid"))
        try Data(Self.cleanFile).write(to: corpus.appendingPathComponent("clean.mid"))
        try Data("this is a text file, not MIDI\n".utf8).write(to: corpus.appendingPathComponent("notes.mid"))
        return (root.appendingPathComponent("corpus"), root.appendingPathComponent("Reports/test"))
    }

    func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test func aBrokenFileShowsItsFindings() throws {
        let (folder, output) = try writeFixtures()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let summary = try ReportBuilder.build(paths: [folder.path], output: output.path, options: ReportOptions())
        #expect(summary.pieces == 2)
        #expect(summary.unreadable.count == 1)

        let expected = try MIDIReader.read(Self.brokenFile).findings
        #expect(!expected.isEmpty, "the fixture must be broken for this test to mean anything")
        let index = try read(output.appendingPathComponent("index.html"))
        let brokenLink = try #require(
            index.range(of: #"href="(pieces/[^"]+)">folk/broken &amp; &lt;odd&gt;.mid"#, options: .regularExpression))
        let link = String(index[brokenLink].dropFirst(6).prefix { $0 != "\"" })
        let page = try read(output.appendingPathComponent(link))
        for finding in expected {
            #expect(page.contains("<td class=\"num\">\(finding.offset)</td>"), "offset of \(finding.kind)")
            #expect(page.contains(finding.kind.rawValue))
            #expect(page.contains(XMLEscaping.escape(finding.message)))
        }
        #expect(index.contains("notes.mid"), "the file that is not MIDI is listed")
        #expect(index.contains("Files by defect found"))
    }

    @Test func everyPageIsOfflineEveryChartParsesAndHasItsData() throws {
        let (folder, output) = try writeFixtures()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        _ = try ReportBuilder.build(paths: [folder.path], output: output.path, options: ReportOptions())
        let pages = try FileManager.default.subpathsOfDirectory(atPath: output.path).filter { $0.hasSuffix(".html") }
        #expect(pages.count == 3)
        for page in pages {
            let url = output.appendingPathComponent(page)
            let html = try read(url)
            #expect(!html.contains("<script"), "\(page) has no script")
            let external = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
            #expect(!external.contains("http://") && !external.contains("https://"), "\(page) fetches nothing")
            let charts = svgFragments(in: html)
            #expect(!charts.isEmpty)
            for svg in charts {
                let nodes = try XMLTree.parse(svg)
                let title = nodes.first { $0.name == "title" && $0.depth == 1 }?.text ?? "?"
                let drawn = nodes.filter {
                    !$0.classes.isDisjoint(with: ["bar", "band", "note", "cell", "series-line", "no-data"])
                }
                #expect(!drawn.isEmpty, "\(page): chart \(title) draws something or says why not")
            }
            let dataLinks = html.matches(of: /href="([^"]+\.csv)"/).map { String($0.1) }
            #expect(dataLinks.count >= charts.count)
            for link in dataLinks {
                let file = url.deletingLastPathComponent().appendingPathComponent(link).path
                #expect(FileManager.default.fileExists(atPath: file), "\(page) links \(link)")
            }
        }
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: output.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "no temporary files remain")
    }

    @Test func theCleanPieceIsInCMajorWithItsNotesNamed() throws {
        let (folder, output) = try writeFixtures()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        _ = try ReportBuilder.build(
            paths: [folder.appendingPathComponent("folk/clean.mid").path], output: output.path, options: ReportOptions()
        )
        let csv = try read(output.appendingPathComponent("pieces/clean/pitch-histogram.csv"))
        let rows = csv.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        #expect(rows.first?[0] == "C4")
        #expect(rows.last?[0] == "C5")
        let weights = Dictionary(uniqueKeysWithValues: rows.map { ($0[0], Double($0[1])!) })
        #expect(weights["C4"] == 3, "a quarter and a half note")
        #expect(weights["E4"] == 2 && weights["G4"] == 2 && weights["C5"] == 1 && weights["D4"] == 0)
        let analysis = try Analyzer.analyze(
            contentsOf: folder.appendingPathComponent("folk/clean.mid").path, options: AnalysisOptions())
        let keys = try read(output.appendingPathComponent("pieces/clean/windowed-keys.csv"))
        #expect(keys.split(separator: "\r\n").count == analysis.windows.count + 1)
        let page = try read(output.appendingPathComponent("pieces/clean.html"))
        #expect(page.contains("No defects"))
        #expect(page.contains(try #require(analysis.key?.best.key.name)))
    }
}

/// With `scores`, each piece page shows MuseScore's first page and links the PDF.
@Suite struct ScoreSectionTests {
    static let museScoreInstalled = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        .contains { FileManager.default.isExecutableFile(atPath: "\($0)/mscore3") }

    @Test(.enabled(if: museScoreInstalled, "MuseScore 3 (mscore3) is not installed; make deps-score installs it"))
    func theEngravedFirstPageIsOnThePieceAndItsFilesExist() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("reports-score-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let input = root.appendingPathComponent("clean.mid")
        try Data(ReportBuilderTests.cleanFile).write(to: input)
        let output = root.appendingPathComponent("report")
        _ = try ReportBuilder.build(paths: [input.path], output: output.path, options: ReportOptions(scores: true))
        let page = try String(contentsOf: output.appendingPathComponent("pieces/clean.html"), encoding: .utf8)
        #expect(page.contains("<h2>Score</h2>"))
        #expect(page.contains("<img src=\"clean/score.svg\""))
        #expect(page.contains("href=\"clean/score.pdf\""))
        let svg = try String(contentsOf: output.appendingPathComponent("pieces/clean/score.svg"), encoding: .utf8)
        #expect(svg.contains("<svg"))
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("pieces/clean/score.pdf").path))
    }
}
