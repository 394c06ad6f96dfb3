/// What `tunesmith score` writes, chosen by the output file's extension.
public enum ScoreFormat: String, Sendable, Hashable, CaseIterable {
    case pdf, svg, png, musicxml

    public init?(path: String) {
        let lowered = path.lowercased()
        guard let format = Self.allCases.first(where: { lowered.hasSuffix("." + $0.rawValue) }) else { return nil }
        self = format
    }

    /// MuseScore writes one file per page for images (`name-1.svg`, `name-2.svg`, …).
    public var isPerPage: Bool { self == .svg || self == .png }

    public var supportsPageLimit: Bool { self != .musicxml }
}
