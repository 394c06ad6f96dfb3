import CSndFile
import Foundation
import Testing

@testable import Rendering

@Suite(.enabled(if: haveTimGM6mb, "needs timgm6mb-soundfont"))
struct AudioFormatTests {
    @Test func flacDecodesToTheSameAudioAsAFloatWAV() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let flac = folder.appendingPathComponent("out.flac").path
        let wav = folder.appendingPathComponent("out.wav").path
        try renderFile(
            TestMIDI.arpeggio, to: flac,
            options: RenderOptions(format: try AudioFormat(container: .flac, encoding: .pcm24)), in: folder)
        try renderFile(
            TestMIDI.arpeggio, to: wav,
            options: RenderOptions(format: try AudioFormat(container: .wav, encoding: .float)), in: folder)

        let decodedFLAC = try DecodedAudio(contentsOf: flac)
        let decodedWAV = try DecodedAudio(contentsOf: wav)
        #expect(decodedFLAC.majorFormat == SF_FORMAT_FLAC)
        #expect(decodedFLAC.subtype == SF_FORMAT_PCM_24)
        #expect(decodedWAV.majorFormat == SF_FORMAT_WAV)
        #expect(decodedWAV.subtype == SF_FORMAT_FLOAT)
        #expect(decodedFLAC.channels == 2)
        #expect(decodedFLAC.frames == decodedWAV.frames)
        let largestDifference = zip(decodedFLAC.samples, decodedWAV.samples).reduce(Float(0)) {
            max($0, abs($1.0 - $1.1))
        }
        #expect(largestDifference < 1.0 / Float(1 << 22), "24-bit quantisation is the only difference")
    }

    @Test(arguments: [AudioFormat.Encoding.pcm16, .pcm24])
    func pcmWAVHasTheRequestedEncoding(encoding: AudioFormat.Encoding) throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let wav = folder.appendingPathComponent("out.wav").path
        try renderFile(
            TestMIDI.arpeggio, to: wav,
            options: RenderOptions(format: try AudioFormat(container: .wav, encoding: encoding)), in: folder)

        let decoded = try DecodedAudio(contentsOf: wav)
        #expect(decoded.subtype == (encoding == .pcm16 ? SF_FORMAT_PCM_16 : SF_FORMAT_PCM_24))
    }

    @Test func flacRefusesFloatSamples() {
        #expect(throws: UnsupportedAudioFormatError.self) { try AudioFormat(container: .flac, encoding: .float) }
    }

    @Test func containerComesFromTheExtension() {
        #expect(AudioFormat.container(forPath: "out/Song.FLAC") == .flac)
        #expect(AudioFormat.container(forPath: "out/song.wav") == .wav)
        #expect(AudioFormat.container(forPath: "renders.d/songs") == nil)
    }
}
