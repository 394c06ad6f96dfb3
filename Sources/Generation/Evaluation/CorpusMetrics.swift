import Foundation
import MIDIFile

/// A musical measure of a piece placed among a corpus's pieces.
public struct MetricPlace: Codable, Sendable {
    public var name: String
    public var value: Double
    /// Where the value falls among the corpus pieces (0…1).
    public var percentile: Double
    /// Inside the corpus's 5th–95th percentile range.
    public var typical: Bool
}

/// The distribution of each musical measure (`MusicalMetrics`) over a corpus's pieces, and
/// where a new piece's measures fall in it.
public struct CorpusMetrics {
    /// Corpus pieces read (byte-identical copies count once).
    public let pieceCount: Int
    public let distributions: [String: MetricDistribution]

    public init(corpusFolders: [String], names: CleanCopyNames) throws {
        let pieces = try CorpusFiles.pieces(in: corpusFolders, names: names).compactMap { file in
            (try? MIDIReader.read(contentsOf: file.path).file).map { QuantisedPiece($0) }
        }
        pieceCount = pieces.count
        let metrics = pieces.compactMap { MusicalMetrics($0) }
        var distributions: [String: MetricDistribution] = [:]
        for (position, name) in (metrics.first?.scalars.map(\.name) ?? []).enumerated() {
            distributions[name] = MetricDistribution(metrics.map { $0.scalars[position].value })
        }
        self.distributions = distributions
    }

    /// The piece's measures with their places in the corpus, and its inter-onset-interval
    /// histogram; nil for a piece without pitched notes to measure.
    public func places(of piece: QuantisedPiece) -> (metrics: [MetricPlace], interOnsetHistogram: [Double])? {
        guard let metrics = MusicalMetrics(piece) else { return nil }
        let places = metrics.scalars.map { name, value -> MetricPlace in
            let distribution = distributions[name]
            let percentile = distribution?.percentile(of: value) ?? .nan
            let typical = distribution.map { value >= $0.quantile(0.05) && value <= $0.quantile(0.95) } ?? false
            return MetricPlace(name: name, value: value, percentile: percentile, typical: typical)
        }
        return (places, metrics.interOnsetHistogram)
    }

    /// `places(of:)` for a MIDI file.
    public func places(ofFile file: String) throws -> [MetricPlace]? {
        places(of: QuantisedPiece(try MIDIReader.read(contentsOf: file).file))?.metrics
    }
}
