import Foundation
import MIDIFile
import Testing

@testable import Rendering

struct BatchTests {
    @Test(.enabled(if: haveTimGM6mb))
    func workersRenderEveryFileAndReportInJobOrder() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lengths = [0.5, 1.5, 1.0, 2.0, 0.25]
        let inputs = try lengths.enumerated().map { index, length in
            try TestMIDI.write(TestMIDI.piano([(60 + UInt8(index), 0, length)]), named: "song\(index).mid", in: folder)
        }
        let outputFolder = folder.appendingPathComponent("renders").path
        let jobs = try RenderJob.plan(inputs: inputs, output: outputFolder, folderContainer: .flac)
        let outcomes = BatchRenderer.run(
            jobs, soundfont: timGM6mb,
            options: RenderOptions(format: try AudioFormat(container: .flac, encoding: .pcm16)), workers: 2)

        #expect(outcomes.map(\.job) == jobs)
        for (outcome, length) in zip(outcomes, lengths) {
            let report = try outcome.result.get()
            let audio = try DecodedAudio(contentsOf: report.output)
            #expect(audio.seconds >= length && audio.seconds < length + RenderOptions.longestTailSeconds)
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: outputFolder).sorted()
                == (0..<5).map { "song\($0).flac" })
    }

    @Test func outputsInAFolderAreNamedAfterTheInputsWithoutCollisions() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let jobs = try RenderJob.plan(
            inputs: ["a/Song.mid", "b/song.MID", "c/Other.midi"], output: folder.path, folderContainer: .wav)
        #expect(
            jobs.map { URL(fileURLWithPath: $0.output).lastPathComponent } == ["Song.wav", "song-2.wav", "Other.wav"])
    }

    @Test func oneAudioFileCannotTakeSeveralInputs() {
        #expect(throws: RenderPlanError.self) {
            try RenderJob.plan(inputs: ["a.mid", "b.mid"], output: "out.wav", folderContainer: .wav)
        }
    }
}
