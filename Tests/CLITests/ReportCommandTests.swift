import Foundation
import MIDIFile
import Testing

@Suite struct ReportCommandTests {
    /// C major scale, one bar of eighths, written by MIDIWriter.
    func scale() -> [UInt8] {
        var track = Track()
        for (index, pitch) in ([60, 62, 64, 65, 67, 69, 71, 72] as [UInt8]).enumerated() {
            track.appendChannelEvent(tick: index * 240, status: 0x90, data1: pitch, data2: 90)
            track.appendChannelEvent(tick: index * 240 + 240, status: 0x80, data1: pitch)
        }
        return MIDIWriter().encode(MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(480), tracks: [track])).bytes
    }

    @Test func writesTheReportAndSaysWhereAsJSON() throws {
        let scratch = try ScratchFolder()
        let input = try scratch.write(scale(), named: "scale.mid")
        let output = scratch.url.appendingPathComponent("Reports/scale").path
        let outcome = try CommandRunner.run(["report", input, "-o", output, "--measures", "4", "--profile", "temperley", "--json"])
        #expect(outcome.status == 0)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        #expect(summary["pieces"] as? Int == 1)
        #expect(summary["index"] as? String == output + "/index.html")
        let page = try String(contentsOfFile: output + "/pieces/scale.html", encoding: .utf8)
        #expect(page.contains("Temperley"), "the chosen profile is the one overlaid")
    }

    @Test func usageErrorsNameTheOption() throws {
        let scratch = try ScratchFolder()
        let input = try scratch.write(scale(), named: "scale.mid")
        let badMeasures = try CommandRunner.run(["report", input, "-o", scratch.url.appendingPathComponent("r").path, "--measures", "0"])
        #expect(badMeasures.status == 2)
        #expect(badMeasures.standardError.contains("--measures"))
        let missing = try CommandRunner.run(["report", scratch.url.appendingPathComponent("nowhere.mid").path, "-o", scratch.url.appendingPathComponent("r").path])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("nowhere.mid"))
    }
}
