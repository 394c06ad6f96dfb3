/// A FluidSynth call failed; `message` is what FluidSynth logged while it failed.
public struct FluidSynthError: Error, Hashable, Sendable, CustomStringConvertible {
    public var operation: String
    public var message: String

    public init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String {
        "FluidSynth could not \(operation)" + (message.isEmpty ? "" : ": \(message)")
    }
}

/// A libsndfile call failed; `message` is libsndfile's own explanation (`sf_strerror`).
public struct SoundFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var operation: String
    public var message: String

    public var description: String { "\(file): libsndfile could not \(operation): \(message)" }
}

/// A user gain that would push samples past full scale: reported instead of clipped.
public struct ClippingGainError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var gain: Double
    public var peakDBFS: Double
    /// The largest gain that keeps the peak at or below full scale.
    public var largestSafeGain: Double

    public var description: String {
        let over = String(format: "%.2f", peakDBFS)
        let safe = String(format: "%.4g", largestSafeGain)
        return "\(file): --gain \(gain) would clip (peak \(over) dBFS); nothing was written. Use --gain \(safe) or lower, or leave out --gain to normalise the peak"
    }
}

/// `--strict` and a file with nothing to play.
public struct NoNotesError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String

    public var description: String {
        "\(file): the file has no notes; nothing to render (without --strict a short silent file is written)"
    }
}

/// Music longer than the renderer holds in memory; usually a damaged time value.
public struct TooLongToRenderError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var seconds: Double

    public var description: String {
        let hours = String(format: "%.1f", seconds / 3600)
        let limit = String(format: "%.0f", RenderOptions.longestMusicSeconds / 3600)
        return "\(file): the last note ends after \(hours) hours, beyond the \(limit)-hour limit; check the file with `tunesmith inspect` (a damaged delta time can stretch a file)"
    }
}
