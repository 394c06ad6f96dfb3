import CSndFile

/// The file written: a container and how each sample is stored in it.
public struct AudioFormat: Hashable, Sendable {
    public enum Container: String, Hashable, Sendable, CaseIterable {
        case wav, flac
    }

    public enum Encoding: String, Hashable, Sendable, CaseIterable {
        case pcm16, pcm24, float
    }

    public var container: Container
    public var encoding: Encoding

    /// Checks the combination: FLAC stores integers only.
    public init(container: Container, encoding: Encoding) throws(UnsupportedAudioFormatError) {
        if container == .flac && encoding == .float {
            throw UnsupportedAudioFormatError(container: container, encoding: encoding)
        }
        self.container = container
        self.encoding = encoding
    }

    /// The container named by a file's extension (`.wav`, `.flac`), if any.
    public static func container(forPath path: String) -> Container? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        return Container(rawValue: path[path.index(after: dot)...].lowercased())
    }

    var sndfileFormat: Int32 {
        let major = container == .wav ? SF_FORMAT_WAV : SF_FORMAT_FLAC
        let minor: Int
        switch encoding {
        case .pcm16: minor = SF_FORMAT_PCM_16
        case .pcm24: minor = SF_FORMAT_PCM_24
        case .float: minor = SF_FORMAT_FLOAT
        }
        return Int32(major | minor)
    }
}

/// A container that cannot store samples the way asked: FLAC holds integers only.
public struct UnsupportedAudioFormatError: Error, Hashable, Sendable, CustomStringConvertible {
    public var container: AudioFormat.Container
    public var encoding: AudioFormat.Encoding

    public var description: String { "\(problem); choose pcm16 or pcm24 samples, or a .wav output for float" }

    /// What is wrong, without a remedy.
    public var problem: String {
        "\(container.rawValue.uppercased()) stores 16- or 24-bit integer samples, not \(encoding.rawValue)"
    }
}
