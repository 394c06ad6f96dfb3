import Foundation
import MIDIFile
import Testing

@Suite(.timeLimit(.minutes(10))) struct AnalyzeCommandTests {
    /// A C-major arpeggio, two bars, written by MIDIWriter.
    func arpeggio() -> [UInt8] {
        var track = Track()
        var tick = 0
        for pitch: UInt8 in [60, 64, 67, 72, 67, 64, 60, 55] {
            track.appendChannelEvent(tick: tick, status: 0x90, data1: pitch, data2: 90)
            track.appendChannelEvent(tick: tick + 480, status: 0x80, data1: pitch)
            tick += 480
        }
        return MIDIWriter().encode(MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(480), tracks: [track]))
            .bytes
    }

    @Test func foldersAreWalkedAndEachFileIsOneJSONLine() throws {
        let scratch = try ScratchFolder()
        try FileManager.default.createDirectory(
            at: scratch.url.appendingPathComponent("inner"), withIntermediateDirectories: true)
        _ = try scratch.write(arpeggio(), named: "inner/arpeggio.mid")
        _ = try scratch.write(Array("<html>not found</html>".utf8), named: "broken.mid")
        _ = try scratch.write(Array("notes".utf8), named: "readme.txt")
        let outcome = try CommandRunner.run(["analyze", "--json", scratch.url.path])
        #expect(outcome.status == 1)  // one file held no MIDI data
        let lines = outcome.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        let objects = try lines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let analysed = try #require(objects.first { ($0["file"] as? String)?.hasSuffix("arpeggio.mid") == true })
        #expect((analysed["key"] as? [String: Any])?["name"] as? String == "C major")
        #expect((analysed["windows"] as? [Any])?.count == 2)
        #expect(objects.contains { $0["error"] != nil })
        #expect(outcome.standardError.contains("broken.mid"))
    }

    @Test func wordsForPeopleAndUsageErrors() throws {
        let scratch = try ScratchFolder()
        let path = try scratch.write(arpeggio(), named: "arpeggio.mid")
        let words = try CommandRunner.run(["analyze", path, "--profile", "aarden"])
        #expect(words.status == 0)
        #expect(words.standardOutput.contains("C major"))
        let badWindow = try CommandRunner.run(["analyze", path, "--window-measures", "0"])
        #expect(badWindow.status == 2)
        #expect(badWindow.standardError.contains("--window-measures"))
        let badProfile = try CommandRunner.run(["analyze", path, "--profile", "mozart"])
        #expect(badProfile.status == 2)
    }
}
