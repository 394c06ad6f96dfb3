import Foundation
import MIDIFile
import Testing

@testable import Rendering

@Suite(.enabled(if: haveTimGM6mb, "needs timgm6mb-soundfont"))
struct RenderedLengthTests {
    @Test(arguments: [44_100, 22_050, 48_000])
    func writesStereoAtTheRequestedRateEndingAfterTheLastNoteAndItsTail(sampleRate: Int) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.wav").path
        try renderFile(TestMIDI.arpeggio, to: output, options: RenderOptions(sampleRate: sampleRate), in: folder)

        let audio = try DecodedAudio(contentsOf: output)
        #expect(audio.sampleRate == sampleRate)
        #expect(audio.channels == 2)
        // Not cut off: the whole last note and some release are there, at most the allowed tail after it.
        #expect(audio.seconds >= TestMIDI.arpeggioLastNoteEnd)
        #expect(audio.seconds <= TestMIDI.arpeggioLastNoteEnd + RenderOptions.longestTailSeconds)
        // The tail has decayed to the threshold by the end…
        let threshold = Float(Decibels.amplitude(dBFS: RenderOptions.tailThresholdDBFS))
        #expect(audio.peak(seconds: (audio.seconds - 0.01)..<audio.seconds) < threshold * 2)
        // …and is not padded: sound above the threshold within the last 0.5 s.
        #expect(audio.peak(seconds: (audio.seconds - 0.5)..<audio.seconds) >= threshold)
    }

    @Test func endOfTrackLongAfterTheLastNoteAddsNoSilence() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.wav").path
        let file = TestMIDI.piano([(60, 0, 1.0)], endOfTrackSeconds: 12)
        try renderFile(file, to: output, in: folder)

        let audio = try DecodedAudio(contentsOf: output)
        #expect(audio.seconds >= 1.0)
        #expect(audio.seconds < 1.0 + RenderOptions.longestTailSeconds)
    }

    @Test func notesSoundWhenTheFileSaysTheyStart() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.wav").path
        try renderFile(TestMIDI.piano([(60, 1.0, 0.5)]), to: output, in: folder)

        let audio = try DecodedAudio(contentsOf: output)
        #expect(audio.peak(seconds: 0..<0.95) == 0)
        #expect(dBFS(audio.peak(seconds: 1.0..<1.5)) > -3)
    }

    @Test func smpteTimedFilesPlayAtTheirFrameRate() throws {
        // 25 frames/s × 40 ticks/frame = 1000 ticks per second; a note from 0.5 s to 1.5 s.
        var track = Track()
        track.appendChannelEvent(tick: 500, status: 0x90, data1: 60, data2: 100)
        track.appendChannelEvent(tick: 1500, status: 0x80, data1: 60)
        let file = MIDIFile(
            format: .singleTrack, division: .smpte(framesPerSecond: 25, ticksPerFrame: 40), tracks: [track])
        let prepared = PreparedMIDI(file, name: "smpte")
        #expect(abs(prepared.lastNoteEndSeconds - 1.5) < 1e-6)

        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }

        let output = folder.appendingPathComponent("out.wav").path
        try renderFile(file, to: output, in: folder)
        let audio = try DecodedAudio(contentsOf: output)
        #expect(audio.peak(seconds: 0..<0.45) == 0)
        #expect(dBFS(audio.peak(seconds: 0.5..<1.5)) > -3)
        #expect(audio.seconds >= 1.5 && audio.seconds < 1.5 + RenderOptions.longestTailSeconds)
    }
}
