import Clearance
import Foundation
import MIDIFile

/// `tunesmith evaluate`: musical measures of pieces placed in a corpus's distribution, and
/// the clearance check of each against the reference pieces (a run's training pieces, or
/// the corpus): its verdict and its closest reference passages.
public struct PieceEvaluation {
    public struct PieceReport: Encodable, Sendable {
        public var file: String
        public var notes: Int
        public var metrics: [MetricPlace]
        public var interOnsetHistogram: [Double]
        public var clearance: CheckResult

        enum CodingKeys: String, CodingKey {
            case file, notes, metrics, verdict, matches
            case interOnsetHistogram = "inter_onset_histogram"
        }

        /// The check's fields as `clearance check --json` writes them, beside the measures.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try container.encode(notes, forKey: .notes)
            try container.encode(metrics, forKey: .metrics)
            try container.encode(interOnsetHistogram, forKey: .interOnsetHistogram)
            try container.encode(clearance.verdict, forKey: .verdict)
            try container.encode(clearance.matches, forKey: .matches)
        }
    }

    /// How a set of checks came out: pieces per verdict, and the median best match.
    public struct CheckSummary: Encodable, Sendable {
        public var pieces: Int
        /// Pieces per verdict, every verdict present.
        public var verdicts: [String: Int]
        /// Of each piece's best match (0 for a piece that matches nothing).
        public var medianPercentile: Double
        public var medianSharedNotes: Double

        public init(_ results: [CheckResult]) {
            pieces = results.count
            verdicts = Dictionary(
                uniqueKeysWithValues: Verdict.allCases.map { verdict in
                    (verdict.rawValue, results.filter { $0.verdict == verdict }.count)
                })
            medianPercentile = PieceEvaluation.median(results.map { $0.matches.first?.percentile ?? 0 })
            medianSharedNotes = PieceEvaluation.median(results.map { Double($0.matches.first?.sharedNotes ?? 0) })
        }
    }

    public struct SetSummary: Encodable, Sendable {
        public var pieces: Int
        public var corpusPieces: Int
        /// Pieces the copy check compares with (the run's training pieces, or the corpus).
        public var referencePieces: Int
        /// Yang & Lerch overlapping area per measure (1: spread like the corpus).
        public var overlap: [String: Double]
        /// Share of pieces inside the corpus's 5th–95th range, per measure.
        public var typicalShare: [String: Double]
        public var clearance: CheckSummary
        /// The same check of the run's held-out test pieces against its training pieces:
        /// what "not copied" looks like for real music.
        public var heldOut: CheckSummary?
    }

    public let metrics: CorpusMetrics
    public let reference: ReferenceClearance
    public let heldOut: [CheckResult]

    /// - Parameter heldOut: pieces to check alongside as the baseline of real music (a
    ///   run's test pieces); files that do not read are left out.
    public init(metrics: CorpusMetrics, reference: ReferenceClearance, heldOut: [CorpusPiece] = []) throws {
        self.metrics = metrics
        self.reference = reference
        self.heldOut = try reference.checking { check in
            try heldOut.compactMap { file in
                guard let piece = try? ClearancePiece(contentsOf: file.path) else { return nil }
                return try check(piece, file.name)
            }
        }
    }

    /// The measures and the check of one file; nil for a piece without pitched notes. `check`
    /// is `reference.checking`'s, so a batch reads the index once.
    public func report(file: String, check: (ClearancePiece, String) throws -> CheckResult) throws -> PieceReport? {
        let midi = try MIDIReader.read(contentsOf: file).file
        let piece = QuantisedPiece(midi)
        guard let places = metrics.places(of: piece) else { return nil }
        return PieceReport(
            file: file, notes: piece.notes.count, metrics: places.metrics,
            interOnsetHistogram: places.interOnsetHistogram, clearance: try check(ClearancePiece(midi), file))
    }

    public func summary(of reports: [PieceReport]) -> SetSummary {
        var overlap: [String: Double] = [:], typical: [String: Double] = [:]
        for name in metrics.distributions.keys {
            let values = reports.compactMap { $0.metrics.first { $0.name == name } }
            overlap[name] = metrics.distributions[name]!.overlap(with: values.map(\.value))
            typical[name] = Double(values.filter(\.typical).count) / Double(max(1, values.count))
        }
        return SetSummary(
            pieces: reports.count, corpusPieces: metrics.pieceCount, referencePieces: reference.pieceCount,
            overlap: overlap, typicalShare: typical, clearance: CheckSummary(reports.map(\.clearance)),
            heldOut: heldOut.isEmpty ? nil : CheckSummary(heldOut))
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        return MetricDistribution(values).quantile(0.5)
    }
}
