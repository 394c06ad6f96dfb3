import Foundation
import MIDIFile
import Testing

@testable import Rendering

@Suite(.enabled(if: haveTimGM6mb, "needs timgm6mb-soundfont"))
struct LoudnessTests {
    @Test func normalisesThePeakToMinusOneDBFSByDefault() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.wav").path
        let report = try renderFile(TestMIDI.arpeggio, to: output, in: folder)

        let audio = try DecodedAudio(contentsOf: output)
        let peak = dBFS(audio.peak)
        #expect(peak <= -1 + 1e-4)
        #expect(peak > -1.1)
        #expect(audio.rmsDBFS > -40, "not silent")
        #expect(report.appliedGain > 1, "FluidSynth's default output is quieter than -1 dBFS")
    }

    @Test func normalisesToAnotherTarget() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.wav").path
        try renderFile(
            TestMIDI.arpeggio, to: output, options: RenderOptions(loudness: .normalizePeak(dBFS: -6)), in: folder)

        let peak = dBFS(try DecodedAudio(contentsOf: output).peak)
        #expect(peak <= -6 + 1e-4 && peak > -6.1)
    }

    @Test func aGainThatWouldClipIsReportedAndNothingIsWritten() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.wav").path
        let loudChord = TestMIDI.piano(
            [(48, 0, 1), (55, 0, 1), (60, 0, 1), (64, 0, 1), (67, 0, 1), (72, 0, 1)], velocity: 127)
        let input = try TestMIDI.write(loudChord, named: "loud.mid", in: folder)
        let outcome = BatchRenderer.run(
            [RenderJob(input: input, output: output)], soundfont: timGM6mb,
            options: RenderOptions(loudness: .synthGain(10)), workers: 1)

        let clipping = try #require(throws: ClippingGainError.self) { try outcome[0].result.get() }
        #expect(clipping.gain == 10)
        #expect(clipping.peakDBFS > 0)
        #expect(clipping.largestSafeGain < 10)
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["loud.mid"],
            "no temporary file left behind")
    }

    @Test func aSafeGainIsAppliedAsIsWithoutNormalising() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let quiet = folder.appendingPathComponent("quiet.wav").path
        let louder = folder.appendingPathComponent("louder.wav").path
        let quietReport = try renderFile(
            TestMIDI.arpeggio, to: quiet, options: RenderOptions(loudness: .synthGain(0.1)), in: folder)
        try renderFile(TestMIDI.arpeggio, to: louder, options: RenderOptions(loudness: .synthGain(0.2)), in: folder)

        #expect(quietReport.appliedGain == 1)
        let ratio = dBFS(try DecodedAudio(contentsOf: louder).peak) - dBFS(try DecodedAudio(contentsOf: quiet).peak)
        #expect(abs(ratio - 20 * log10(2.0)) < 0.5, "doubling FluidSynth's gain raises the peak by about 6 dB")
    }

    @Test func reverbCanBeSwitchedOff() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let wet = folder.appendingPathComponent("wet.wav").path
        let dry = folder.appendingPathComponent("dry.wav").path
        try renderFile(TestMIDI.arpeggio, to: wet, options: RenderOptions(reverb: true), in: folder)
        try renderFile(TestMIDI.arpeggio, to: dry, options: RenderOptions(reverb: false), in: folder)

        let wetAudio = try DecodedAudio(contentsOf: wet)
        let dryAudio = try DecodedAudio(contentsOf: dry)
        let common = min(wetAudio.samples.count, dryAudio.samples.count)
        let difference = zip(wetAudio.samples[..<common], dryAudio.samples[..<common]).reduce(Float(0)) {
            max($0, abs($1.0 - $1.1))
        }
        #expect(difference > 0.01)
        #expect(wetAudio.seconds >= dryAudio.seconds, "reverb lengthens the tail")
    }
}
