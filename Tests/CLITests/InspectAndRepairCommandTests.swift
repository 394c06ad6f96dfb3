import Foundation
import MIDIFile
import Testing

/// C4 then E4, the second note's velocity (0xC8) over 127, and no end-of-track.
let damagedTwoNotes: [UInt8] = [
    0x4D, 0x54, 0x68, 0x64, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x00, 0x60,  // MThd, 96 tpq
    0x4D, 0x54, 0x72, 0x6B, 0x00, 0x00, 0x00, 0x10,  // MTrk, 16 bytes
    0x00, 0x90, 0x3C, 0x64, 0x60, 0x80, 0x3C, 0x40,  // C4, one beat
    0x00, 0x90, 0x40, 0xC8, 0x60, 0x80, 0x40, 0x40,  // E4, velocity 200
]

@Suite(.timeLimit(.minutes(10))) struct InspectCommandTests {
    @Test func jsonLineDescribesTheFileAndItsFindings() throws {
        let folder = try ScratchFolder()
        let path = try folder.write(damagedTwoNotes, named: "damaged.mid")
        let outcome = try CommandRunner.run(["inspect", "--json", path])
        #expect(outcome.status == 0)
        let lines = outcome.standardOutput.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["file"] as? String == path)
        #expect(object["format"] as? Int == 0)
        #expect(object["notes"] as? Int == 2)
        #expect(abs((object["duration_seconds"] as? Double ?? 0) - 1.0) < 1e-9)
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(Set(findings.compactMap { $0["kind"] as? String }) == ["dataByteOutOfRange", "missingEndOfTrack"])
        #expect(findings.allSatisfy { $0["offset"] is Int && $0["action"] is String && $0["message"] is String })
    }

    /// FluidSynth and libsndfile (with the 60-odd libraries they bring) are opened only when a
    /// command renders, OpenBLAS only when a model is built; the dynamic loader lists what the
    /// binary itself needs at start.
    @Test func theBinaryStartsWithoutTheRenderingAndBLASLibraries() throws {
        let outcome = try CommandRunner.run([], environment: ["LD_TRACE_LOADED_OBJECTS": "1"])
        #expect(outcome.standardOutput.contains("libswiftCore"), "the loader listed the binary's libraries")
        #expect(!outcome.standardOutput.contains("libfluidsynth"), "\(outcome.standardOutput)")
        #expect(!outcome.standardOutput.contains("libsndfile"), "\(outcome.standardOutput)")
        #expect(!outcome.standardOutput.contains("libopenblas"), "\(outcome.standardOutput)")
    }

    @Test func fileWithNoMIDIDataExitsOneAndSaysWhatItIs() throws {
        let folder = try ScratchFolder()
        let path = try folder.write(Array("<html><body>Not found</body></html>".utf8), named: "page.mid")
        let outcome = try CommandRunner.run(["inspect", path])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains(path))
        #expect(outcome.standardError.contains("HTML page"))
    }

    /// A folder is walked for MIDI files, which come out sorted, as if each had been named.
    @Test func folderGivesTheLinesOfItsMIDIFiles() throws {
        let scratch = try ScratchFolder()
        let folder = try scratch.writeRandomCorpus()
        _ = try scratch.write(Array("not a MIDI file".utf8), named: "corpus/notes.txt")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".mid") }
            .sorted().map { folder + "/" + $0 }
        let named = try CommandRunner.run(["inspect", "--json"] + files)
        let walked = try CommandRunner.run(["inspect", "--json", folder])
        #expect(named.status == 0 && walked.status == 0)
        #expect(files.count == 8)
        #expect(walked.standardOutput == named.standardOutput)
        #expect(try CommandRunner.run(["inspect", "--json", folder + "/no-such-folder/"]).status == 1)
    }

    @Test func missingArgumentsAreAUsageError() throws {
        #expect(try CommandRunner.run(["inspect"]).status == 2)
        #expect(try CommandRunner.run(["inspect", "--no-such-option", "x.mid"]).status == 2)
    }
}

@Suite(.timeLimit(.minutes(10))) struct RepairCommandTests {
    @Test func writesACleanCopyAndLeavesTheInputAlone() throws {
        let folder = try ScratchFolder()
        let input = try folder.write(damagedTwoNotes, named: "damaged.mid")
        let outputFolder = folder.url.appendingPathComponent("clean").path
        let outcome = try CommandRunner.run(["repair", input, "-o", outputFolder, "--json"])
        #expect(outcome.status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == Data(damagedTwoNotes))
        let report = try #require(
            JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        let output = try #require(report["output"] as? String)
        #expect(output == outputFolder + "/damaged.mid")
        let reread = try MIDIReader.read(contentsOf: output)
        #expect(reread.findings.isEmpty)
        #expect(reread.file.tracks[0].pairNotes().notes.map(\.velocity) == [100, 127])
        #expect(try FileManager.default.contentsOfDirectory(atPath: outputFolder) == ["damaged.mid"])
    }

    @Test func refusesToOverwriteItsInput() throws {
        let folder = try ScratchFolder()
        let input = try folder.write(damagedTwoNotes, named: "song.mid")
        let outcome = try CommandRunner.run(["repair", input, "-o", folder.url.path])
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("it is the input file"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == Data(damagedTwoNotes))
    }

    @Test func inputsWithTheSameNameGetDistinctOutputs() throws {
        let folder = try ScratchFolder()
        try FileManager.default.createDirectory(
            at: folder.url.appendingPathComponent("a"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: folder.url.appendingPathComponent("b"), withIntermediateDirectories: true)
        let first = try folder.write(damagedTwoNotes, named: "a/tune.mid")
        let second = try folder.write(damagedTwoNotes, named: "b/tune.mid")
        let outputFolder = folder.url.appendingPathComponent("out").path
        #expect(try CommandRunner.run(["repair", first, second, "-o", outputFolder]).status == 0)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: outputFolder).sorted() == ["tune-2.mid", "tune.mid"])
    }
}
