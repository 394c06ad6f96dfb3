import Foundation
import MIDIFile
import Testing

/// The batch front end as the commands use it: failures are counted, reported and survived,
/// results keep the order of the inputs on any number of threads.
@Suite(.timeLimit(.minutes(10))) struct BatchFrontendCommandTests {
    static let notMIDI = Array("<html><body>Not found</body></html>".utf8)

    /// A one-track file of `count` quarter notes, so that each file differs from the next.
    static func notes(_ count: Int) -> [UInt8] {
        var track = Track()
        for index in 0..<count {
            track.appendChannelEvent(tick: index * 480, status: 0x90, data1: UInt8(48 + index % 24), data2: 90)
            track.appendChannelEvent(tick: index * 480 + 480, status: 0x80, data1: UInt8(48 + index % 24))
        }
        let file = MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(480), tracks: [track])
        return MIDIWriter().encode(file).bytes
    }

    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func oneBadFileFailsTheBatchAndTheOthersAreStillInspected() throws {
        let scratch = try ScratchFolder()
        let first = try scratch.write(Self.notes(3), named: "first.mid")
        let broken = try scratch.write(Self.notMIDI, named: "broken.mid")
        let last = try scratch.write(Self.notes(5), named: "last.mid")
        let outcome = try CommandRunner.run(["inspect", "--json", "--jobs", "3", first, broken, last])
        #expect(outcome.status == 1)
        let objects = try Self.jsonLines(outcome.standardOutput)
        #expect(objects.map { $0["file"] as? String } == [first, broken, last])
        #expect(objects.map { $0["notes"] as? Int } == [3, nil, 5])
        #expect(objects[1]["error"] is String)
        #expect(outcome.standardError.contains(broken))
        #expect(!outcome.standardError.contains(first))
    }

    @Test func repairWritesTheGoodCopiesPastABadFile() throws {
        let scratch = try ScratchFolder()
        let broken = try scratch.write(Self.notMIDI, named: "broken.mid")
        let good = try scratch.write(Self.notes(4), named: "good.mid")
        let folder = scratch.url.appendingPathComponent("clean").path
        let outcome = try CommandRunner.run(["repair", broken, good, "-o", folder])
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput.contains("good.mid"))
        #expect(outcome.standardError.contains("broken.mid"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["good.mid"])
    }

    @Test func resultsComeOutInInputOrderOnManyThreads() throws {
        let scratch = try ScratchFolder()
        let paths = try (1...60).map { try scratch.write(Self.notes($0), named: "piece\($0).mid") }
        let outcome = try CommandRunner.run(["inspect", "--json", "--jobs", "4"] + paths.reversed())
        #expect(outcome.status == 0)
        let objects = try Self.jsonLines(outcome.standardOutput)
        #expect(objects.map { $0["file"] as? String } == paths.reversed())
        #expect(objects.map { $0["notes"] as? Int } == Array((1...60).reversed()))
    }

    /// Before the runner read both pipes at once, a child writing more than a pipe holds
    /// (64 KiB) to standard error while the runner waited on standard output never ended.
    @Test func moreThanAPipeOfWarningsDoesNotHang() throws {
        let scratch = try ScratchFolder()
        let broken = try scratch.write(Self.notMIDI, named: String(repeating: "long-name-", count: 10) + "broken.mid")
        let outcome = try CommandRunner.run(["inspect", "--json"] + Array(repeating: broken, count: 700), timeout: 120)
        #expect(outcome.status == 1)
        #expect(outcome.standardError.utf8.count > 65_536)
        #expect(outcome.standardError.split(separator: "\n").count == 700)
        let objects = try Self.jsonLines(outcome.standardOutput)
        #expect(objects.count == 700)
        #expect(objects.allSatisfy { $0["file"] as? String == broken && $0["error"] is String })
    }
}
