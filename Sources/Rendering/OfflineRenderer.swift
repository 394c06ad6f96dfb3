import Foundation

/// One synthesizer with its soundfont loaded, rendering files one after another as fast
/// as the CPU allows. Each batch worker owns one; it is not shared between threads.
public final class OfflineRenderer {
    public let options: RenderOptions
    private let synthesizer: FluidSynthesizer
    /// FluidSynth renders in blocks of 64 frames; asking for many at once saves calls.
    private static let musicBlockFrames = 4096
    /// Small enough to find the end of the tail to within a few milliseconds.
    private static let tailBlockFrames = 1024

    /// Throws `SharedLibraryError` when FluidSynth cannot be loaded, `FluidSynthError` when
    /// it refuses a setting or the soundfont.
    public init(soundfont: String, options: RenderOptions) throws {
        self.options = options
        let settings = try FluidSettings(fluid: FluidSynthLibrary.load())
        try settings.set("synth.sample-rate", Double(options.sampleRate))
        switch options.loudness {
        case .normalizePeak: try settings.set("synth.gain", RenderOptions.normalizingSynthGain)
        case .synthGain(let gain): try settings.set("synth.gain", gain)
        }
        try settings.set("synth.reverb.active", options.reverb ? 1 : 0)
        try settings.set("player.timing-source", "sample")
        // The player would otherwise reset the synth the moment the file ends, killing the tail.
        try settings.set("player.reset-synth", 0)
        // Each synth belongs to one worker thread, so FluidSynth's API lock is pure cost.
        try settings.set("synth.threadsafe-api", 0)
        // Load only the samples of the instruments a file selects: a piano piece reads a
        // few MB of a 148 MB General MIDI soundfont. Offline, the load cannot cause dropouts.
        try settings.set("synth.dynamic-sample-loading", 1)
        synthesizer = try FluidSynthesizer(settings: settings, soundfont: soundfont)
    }

    /// Renders the music and its tail, then brings it to the requested loudness.
    public func render(_ midi: PreparedMIDI) throws -> RenderResult {
        guard midi.noteCount > 0 else {
            if options.strict { throw NoNotesError(file: midi.name) }
            let frames = Int(RenderOptions.silentFileSeconds * Double(options.sampleRate))
            let silence = RenderedAudio(
                samples: [Float](repeating: 0, count: frames * RenderedAudio.channels), sampleRate: options.sampleRate)
            let seconds = RenderOptions.silentFileSeconds
            let warning = "no notes: wrote \(seconds) s of silence (strict rendering fails instead)"
            return RenderResult(audio: silence, appliedGain: 1, warnings: [warning])
        }
        guard midi.lastNoteEndSeconds <= RenderOptions.longestMusicSeconds else {
            throw TooLongToRenderError(file: midi.name, seconds: midi.lastNoteEndSeconds)
        }
        _ = FluidLog.drain()
        var audio = try renderMusicAndTail(midi)
        var warnings = Array(Set(FluidLog.drain().map { "FluidSynth: \($0.text)" })).sorted()
        let peak = Double(audio.peak)
        var appliedGain = 1.0
        switch options.loudness {
        case .normalizePeak(let target):
            if peak > 0 {
                appliedGain = Decibels.amplitude(dBFS: target) / peak
                audio.scale(by: Float(appliedGain))
            } else {
                warnings.append("the soundfont produced silence for this file's instruments; try another soundfont")
            }
        case .synthGain(let gain):
            if peak > 1 {
                throw ClippingGainError(
                    file: midi.name, gain: gain, peakDBFS: Decibels.dBFS(amplitude: peak), largestSafeGain: gain / peak)
            }
        }
        return RenderResult(audio: audio, appliedGain: appliedGain, warnings: warnings)
    }

    /// Raw synth output: everything up to the last note's release, then the tail until it
    /// falls below the threshold (judged at the output's final loudness), at most a few seconds.
    private func renderMusicAndTail(_ midi: PreparedMIDI) throws(FluidSynthError) -> RenderedAudio {
        let channels = RenderedAudio.channels
        let sampleRate = Double(options.sampleRate)
        let musicFrames = Int((midi.lastNoteEndSeconds * sampleRate).rounded(.up))
        let totalFrames = musicFrames + Int(RenderOptions.longestTailSeconds * sampleRate)
        var samples = [Float](repeating: 0, count: totalFrames * channels)
        try synthesizer.reset()
        let player = try FluidPlayer(synthesizer: synthesizer, midiBytes: midi.cleanBytes)
        var peak: Float = 0
        var keptFrames = musicFrames
        try samples.withUnsafeMutableBufferPointer { buffer throws(FluidSynthError) in
            var rendered = 0
            while rendered < musicFrames {
                let frames = min(Self.musicBlockFrames, musicFrames - rendered)
                let block = UnsafeMutableBufferPointer(
                    rebasing: buffer[rendered * channels..<(rendered + frames) * channels])
                try synthesizer.renderInterleaved(frames: frames, into: block.baseAddress!)
                peak = max(peak, RenderedAudio.peak(of: UnsafeBufferPointer(block)))
                rendered += frames
            }
            while rendered < totalFrames {
                let frames = min(Self.tailBlockFrames, totalFrames - rendered)
                let block = UnsafeMutableBufferPointer(
                    rebasing: buffer[rendered * channels..<(rendered + frames) * channels])
                try synthesizer.renderInterleaved(frames: frames, into: block.baseAddress!)
                peak = max(peak, RenderedAudio.peak(of: UnsafeBufferPointer(block)))
                let threshold = rawTailThreshold(peak: peak)
                guard let lastLoud = block.lastIndex(where: { abs($0) >= threshold }) else { break }
                keptFrames = rendered + lastLoud / channels + 1
                rendered += frames
            }
        }
        withExtendedLifetime(player) {}
        samples.removeSubrange(keptFrames * channels..<samples.count)
        return RenderedAudio(samples: samples, sampleRate: options.sampleRate)
    }

    /// The raw sample level that will come out at the tail threshold once loudness is applied.
    private func rawTailThreshold(peak: Float) -> Float {
        let threshold = Decibels.amplitude(dBFS: RenderOptions.tailThresholdDBFS)
        switch options.loudness {
        case .normalizePeak(let target):
            guard peak > 0 else { return .infinity }
            return Float(threshold / Decibels.amplitude(dBFS: target)) * peak
        case .synthGain:
            return Float(threshold)
        }
    }
}

/// Audio at its final loudness, ready to write.
public struct RenderResult: Sendable {
    public var audio: RenderedAudio
    /// The scale applied after rendering (1 when `--gain` is used).
    public var appliedGain: Double
    public var warnings: [String]
}
