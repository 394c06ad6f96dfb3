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
        "\(file): a gain of \(gain) would clip (peak \(peakText) dBFS); nothing was written. "
            + "Use a gain of \(largestSafeGainText) or lower, or normalise the peak instead"
    }

    public var peakText: String { String(format: "%.2f", peakDBFS) }
    public var largestSafeGainText: String { String(format: "%.4g", largestSafeGain) }
}

/// Strict rendering and a file with nothing to play.
public struct NoNotesError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String

    public var description: String {
        "\(file): the file has no notes; nothing to render (rendering that is not strict writes a short silent file)"
    }
}

/// Music longer than the renderer holds in memory; usually a damaged time value.
public struct TooLongToRenderError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var seconds: Double

    public var description: String {
        "\(file): \(problem); check the file for a damaged delta time, which can stretch it"
    }

    /// What is wrong, without the file or a remedy.
    public var problem: String {
        let hours = String(format: "%.1f", seconds / 3600)
        let limit = String(format: "%.0f", RenderOptions.longestMusicSeconds / 3600)
        return "the last note ends after \(hours) hours, beyond the \(limit)-hour limit"
    }
}
