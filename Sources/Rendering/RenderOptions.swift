import Foundation

/// How a file is turned into audio.
public struct RenderOptions: Hashable, Sendable {
    public enum Loudness: Hashable, Sendable {
        /// Render in float, then scale so the loudest sample sits at this level.
        case normalizePeak(dBFS: Double)
        /// FluidSynth's own gain (as `fluidsynth -g`), applied as is; a gain that would
        /// clip is an error, never silently clipped.
        case synthGain(Double)
    }

    public var sampleRate: Int
    public var loudness: Loudness
    public var reverb: Bool
    public var format: AudioFormat
    /// A file without notes is an error instead of a short silent file.
    public var strict: Bool

    public init(
        sampleRate: Int = 44_100, loudness: Loudness = .normalizePeak(dBFS: -1), reverb: Bool = true,
        format: AudioFormat = Self.defaultFormat, strict: Bool = false
    ) {
        self.sampleRate = sampleRate
        self.loudness = loudness
        self.reverb = reverb
        self.format = format
        self.strict = strict
    }

    public static let defaultFormat = try! AudioFormat(container: .wav, encoding: .pcm16)
    public static let supportedSampleRates = 8_000...96_000
    /// FluidSynth's `synth.gain` range.
    public static let supportedGains = 0.0...10.0
    /// FluidSynth's default `synth.gain`, used while rendering for normalisation.
    static let normalizingSynthGain = 0.2

    /// The tail ends once the sound stays below this level…
    public static let tailThresholdDBFS = -60.0
    /// …or this long after the last note's release, whichever comes first.
    public static let longestTailSeconds = 4.0
    /// Rendering holds a whole file in memory (about 1.3 GB per hour at 44.1 kHz).
    public static let longestMusicSeconds = 3.0 * 3600
    /// The length of the silent file written for a file without notes.
    public static let silentFileSeconds = 0.5
}

/// Decibels relative to full scale ↔ linear amplitude.
public enum Decibels {
    public static func amplitude(dBFS: Double) -> Double { pow(10, dBFS / 20) }
    public static func dBFS(amplitude: Double) -> Double { amplitude > 0 ? 20 * log10(amplitude) : -.infinity }
}
