import Foundation
import MIDIFile
import Testing

@testable import Rendering

@Suite(.enabled(if: haveTimGM6mb, "needs timgm6mb-soundfont"))
struct FileContentTests {
    /// Only a program change: nothing to play.
    static let noNotes: MIDIFile = {
        var track = Track()
        track.appendChannelEvent(tick: 0, status: 0xC0, data1: 0)
        track.endOfTrackTick = 1920
        return MIDIFile(format: .singleTrack, tracks: [track])
    }()

    @Test func noNotesWritesAShortSilentFileWithAWarning() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.wav").path
        let report = try renderFile(Self.noNotes, to: output, in: folder)

        let audio = try DecodedAudio(contentsOf: output)
        #expect(abs(audio.seconds - RenderOptions.silentFileSeconds) < 0.01)
        #expect(audio.peak == 0)
        #expect(report.peakDBFS == nil)
        #expect(report.warnings.contains { $0.contains("no notes") })
    }

    @Test func noNotesFailsWithStrict() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.wav").path
        #expect(throws: NoNotesError.self) {
            try renderFile(Self.noNotes, to: output, options: RenderOptions(strict: true), in: folder)
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func aDamagedFileIsRepairedThenRendered() throws {
        // MThd, format 0, 1 track, 480 ticks/quarter; the MTrk claims 0x100 bytes but the
        // file ends after 15 bytes of events, with no end-of-track:
        //   00 C0 00        program change: piano
        //   00 90 3C 64     note on C4
        //   83 60 80 3C 00  after 480 ticks, note off C4
        //   00 90           a note-on cut off by the end of the file
        let bytes: [UInt8] = [
            0x4D, 0x54, 0x68, 0x64, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x01, 0xE0,
            0x4D, 0x54, 0x72, 0x6B, 0x00, 0x00, 0x01, 0x00,
            0x00, 0xC0, 0x00,
            0x00, 0x90, 0x3C, 0x64,
            0x83, 0x60, 0x80, 0x3C, 0x00,
            0x00, 0x90,
        ]
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("damaged.mid").path
        try Data(bytes).write(to: URL(fileURLWithPath: input))
        let output = folder.appendingPathComponent("damaged.wav").path

        let outcome = BatchRenderer.run(
            [RenderJob(input: input, output: output)], soundfont: timGM6mb, options: RenderOptions(), workers: 1)
        let report = try outcome[0].result.get()
        #expect(report.notes == 1)
        #expect(report.repairedDefects > 0)
        let audio = try DecodedAudio(contentsOf: output)
        #expect(audio.seconds >= 0.5)
        #expect(dBFS(audio.peak(seconds: 0..<0.5)) > -3)
    }

    @Test func somethingThatIsNotMIDIFailsNamingWhatItIs() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("page.mid").path
        try Data("<!DOCTYPE html><html>404</html>".utf8).write(to: URL(fileURLWithPath: input))
        let outcome = BatchRenderer.run(
            [RenderJob(input: input, output: folder.appendingPathComponent("page.wav").path)],
            soundfont: timGM6mb, options: RenderOptions(), workers: 1)
        let error = try #require(throws: NotMIDIError.self) { try outcome[0].result.get() }
        #expect(error.found.contains("HTML page"))
    }
}

struct DurationLimitTests {
    @Test(.enabled(if: haveTimGM6mb))
    func aFileLastingHoursIsRefusedBeforeAnyMemoryIsTaken() throws {
        // One note four hours in: 4 × 3600 × 960 ticks at 120 bpm.
        let file = TestMIDI.piano([(60, 4 * 3600, 1)])
        let renderer = try OfflineRenderer(soundfont: timGM6mb, options: RenderOptions())
        let error = try #require(throws: TooLongToRenderError.self) {
            try renderer.render(PreparedMIDI(file, name: "late.mid"))
        }
        #expect(error.description.contains("late.mid"))
        #expect(error.description.contains("4.0 hours"))
    }
}
