/// Interleaved stereo float audio at a given sample rate.
public struct RenderedAudio: Sendable {
    public static let channels = 2
    public var samples: [Float]
    public var sampleRate: Int

    public var frames: Int { samples.count / Self.channels }
    public var seconds: Double { Double(frames) / Double(sampleRate) }

    /// The largest absolute sample value.
    public var peak: Float {
        samples.withUnsafeBufferPointer { Self.peak(of: $0) }
    }

    static func peak(of samples: UnsafeBufferPointer<Float>) -> Float {
        var peak: Float = 0
        for sample in samples { peak = max(peak, abs(sample)) }
        return peak
    }

    mutating func scale(by gain: Float) {
        guard gain != 1 else { return }
        samples.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] *= gain }
        }
    }
}
