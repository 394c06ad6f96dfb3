import Foundation
import MIDIFile
import Testing

/// `tunesmith score` as people and scripts call it.
@Suite(.timeLimit(.minutes(10))) struct ScoreCommandTests {
    /// A C major arpeggio in quarter notes, one bar.
    func writeInput(in folder: URL) throws -> String {
        var track = Track()
        for (index, pitch) in [60, 64, 67, 72].enumerated() {
            track.appendChannelEvent(tick: index * 480, status: 0x90, data1: UInt8(pitch), data2: 90)
            track.appendChannelEvent(tick: index * 480 + 480, status: 0x80, data1: UInt8(pitch))
        }
        let path = folder.appendingPathComponent("arpeggio.mid").path
        try MIDIWriter().write(MIDIFile(tracks: [track]), to: path)
        return path
    }

    @Test func withoutMuseScoreItSaysHowToInstallItAndFails() throws {
        let scratch = try ScratchFolder()
        let input = try writeInput(in: scratch.url)
        let outcome = try CommandRunner.run(
            ["score", input, "-o", scratch.url.appendingPathComponent("a.pdf").path],
            environment: ["TUNESMITH_MSCORE": "/nonexistent/mscore3"])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("make deps-score"))
        #expect(outcome.standardError.contains("apt-get install -y --no-install-recommends musescore3"))
        #expect(!FileManager.default.fileExists(atPath: scratch.url.appendingPathComponent("a.pdf").path))
    }

    @Test func anUnknownOutputTypeIsAUsageError() throws {
        let scratch = try ScratchFolder()
        let outcome = try CommandRunner.run([
            "score", try writeInput(in: scratch.url), "-o", scratch.url.appendingPathComponent("a.docx").path,
        ])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains(".pdf, .svg, .png or .musicxml"))
    }

    @Test(
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: "/usr/bin/mscore3"),
            "mscore3 is not installed: run `make deps-score`"))
    func withMuseScoreItWritesThePDFAndOneJSONLine() throws {
        let scratch = try ScratchFolder()
        let output = scratch.url.appendingPathComponent("arpeggio.pdf").path
        let outcome = try CommandRunner.run(["score", try writeInput(in: scratch.url), "-o", output, "--json"])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let line = try #require(outcome.standardOutput.split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["key"] as? String == "C major")
        #expect(object["outputs"] as? [String] == [output])
        #expect(try JSONKeys.offendingKeys(in: outcome.standardOutput) == [])
        #expect(FileManager.default.contents(atPath: output)?.starts(with: Array("%PDF-".utf8)) == true)
    }
}
