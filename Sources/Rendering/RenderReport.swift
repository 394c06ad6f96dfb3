/// What happened to one input: one JSON object per line with `--json`.
public struct RenderReport: Codable, Hashable, Sendable {
    public var input: String
    public var output: String
    public var soundfont: String
    public var sampleRate: Int
    /// Length of the audio written.
    public var seconds: Double
    public var notes: Int
    /// nil for a silent file.
    public var peakDBFS: Double?
    /// The scale applied after rendering to reach the target peak (1 with `--gain`).
    public var appliedGain: Double
    /// Defects the lenient MIDI reader repaired before rendering.
    public var repairedDefects: Int
    public var renderSeconds: Double
    public var warnings: [String]
}
