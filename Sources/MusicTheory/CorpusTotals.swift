/// Histograms summed over many files: what a corpus plays, as one distribution.
public struct CorpusTotals: Encodable, Sendable {
    public var files = 0
    public var notes = 0
    private var histograms: NoteHistograms

    public init(options: AnalysisOptions) {
        histograms = NoteHistograms(tuning: options.tuning, binning: options.frequencyBinning)
    }

    public mutating func add(_ analysis: FileAnalysis) {
        files += 1
        notes += analysis.pitchedNoteCount
        histograms.add(analysis.histograms)
    }

    enum CodingKeys: CodingKey {
        case total, files, notes, pitchClassHistogram, pitchHistogram, frequencyHistogram
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(true, forKey: .total)
        try container.encode(files, forKey: .files)
        try container.encode(notes, forKey: .notes)
        try container.encode(histograms.pitchClass, forKey: .pitchClassHistogram)
        try container.encode(
            histograms.pitch.indices.filter { histograms.pitch[$0] > 0 }.map {
                AnalysisReport.PitchCount(pitch: $0, name: Pitch.name(of: $0), weight: histograms.pitch[$0])
            }, forKey: .pitchHistogram)
        try container.encode(
            histograms.frequency.indices.filter { histograms.frequency[$0] > 0 }.map {
                AnalysisReport.FrequencyBin(
                    lowHz: histograms.frequencyEdges[$0], highHz: histograms.frequencyEdges[$0 + 1],
                    weight: histograms.frequency[$0])
            }, forKey: .frequencyHistogram)
    }

    public var text: String {
        let total = histograms.pitchClass.reduce(0, +)
        let shares = histograms.pitchClass.enumerated().map {
            "\(Spelling.sharps.name(ofPitchClass: $0.offset)) \(total > 0 ? Int((100 * $0.element / total).rounded()) : 0)%"
        }
        return "total: \(files) files, \(notes) notes; pitch classes \(shares.joined(separator: " "))"
    }
}
