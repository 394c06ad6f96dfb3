import Foundation
import MIDIFile

/// `tunesmith evaluate`: musical measures of pieces placed in a corpus's distribution,
/// and how much of each piece the training set already holds.
public struct PieceEvaluation {
    public struct MetricPlace: Codable, Sendable {
        public var name: String
        public var value: Double
        /// Where the value falls among the corpus pieces (0…1).
        public var percentile: Double
        /// Inside the corpus's 5th–95th percentile range.
        public var typical: Bool
    }

    public struct PieceReport: Codable, Sendable {
        public var file: String
        public var notes: Int
        public var metrics: [MetricPlace]
        public var interOnsetHistogram: [Double]
        public var originality: OriginalityIndex.Report
        public var copy: Bool
    }

    public struct SetSummary: Codable, Sendable {
        public var pieces: Int
        public var corpusPieces: Int
        /// Yang & Lerch overlapping area per measure (1: spread like the corpus).
        public var overlap: [String: Double]
        /// Share of pieces inside the corpus's 5th–95th range, per measure.
        public var typicalShare: [String: Double]
        public var medianSharedNGramShare: Double
        public var medianLongestSharedRun: Double
        public var copies: Int
        /// The same two figures for the run's held-out test pieces against its training set:
        /// what "not copied" looks like for real music.
        public var heldOutMedianSharedNGramShare: Double?
        public var heldOutMedianLongestSharedRun: Double?
    }

    public let corpus: [(name: String, piece: QuantisedPiece)]
    public let distributions: [String: MetricDistribution]
    public let index: OriginalityIndex
    public let heldOut: [(name: String, piece: QuantisedPiece)]
    public let threshold: CopyThreshold

    /// With a run, originality is measured against its training pieces (and its test
    /// pieces give the baseline); without, against the whole corpus.
    public init(corpusFolders: [String], run: TrainedRun?, threshold: CopyThreshold, names: CleanCopyNames) throws {
        let files = try CorpusFiles.pieces(in: corpusFolders, names: names)
        corpus = files.compactMap { file in
            guard let midi = try? MIDIReader.read(contentsOf: file.path).file else { return nil }
            return (file.name, QuantisedPiece(midi))
        }
        let metrics = corpus.compactMap { MusicalMetrics($0.piece) }
        var distributions: [String: MetricDistribution] = [:]
        for (position, name) in (metrics.first?.scalars.map(\.name) ?? []).enumerated() {
            distributions[name] = MetricDistribution(metrics.map { $0.scalars[position].value })
        }
        self.distributions = distributions
        if let run {
            index = try run.originalityIndex()
            heldOut = try run.pieces(named: run.description.test)
        } else {
            index = OriginalityIndex(pieces: corpus)
            heldOut = []
        }
        self.threshold = threshold
    }

    public func report(file: String) throws -> PieceReport? {
        let piece = QuantisedPiece(try MIDIReader.read(contentsOf: file).file)
        guard let metrics = MusicalMetrics(piece) else { return nil }
        let places = metrics.scalars.map { name, value -> MetricPlace in
            let distribution = distributions[name]
            let percentile = distribution?.percentile(of: value) ?? .nan
            let typical = distribution.map { value >= $0.quantile(0.05) && value <= $0.quantile(0.95) } ?? false
            return MetricPlace(name: name, value: value, percentile: percentile, typical: typical)
        }
        let originality = index.report(for: piece)
        return PieceReport(
            file: file, notes: piece.notes.count, metrics: places, interOnsetHistogram: metrics.interOnsetHistogram,
            originality: originality, copy: threshold.isCopy(originality))
    }

    public func summary(of reports: [PieceReport]) -> SetSummary {
        var overlap: [String: Double] = [:], typical: [String: Double] = [:]
        for name in distributions.keys {
            let values = reports.compactMap { $0.metrics.first { $0.name == name } }
            overlap[name] = distributions[name]!.overlap(with: values.map(\.value))
            typical[name] = Double(values.filter(\.typical).count) / Double(max(1, values.count))
        }
        let held = heldOut.map { index.report(for: $0.piece) }
        return SetSummary(
            pieces: reports.count, corpusPieces: corpus.count, overlap: overlap, typicalShare: typical,
            medianSharedNGramShare: Self.median(reports.map(\.originality.sharedNGramShare)),
            medianLongestSharedRun: Self.median(reports.map { Double($0.originality.longestSharedRun) }),
            copies: reports.filter(\.copy).count,
            heldOutMedianSharedNGramShare: held.isEmpty ? nil : Self.median(held.map(\.sharedNGramShare)),
            heldOutMedianLongestSharedRun: held.isEmpty ? nil : Self.median(held.map { Double($0.longestSharedRun) }))
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        return MetricDistribution(values).quantile(0.5)
    }
}
