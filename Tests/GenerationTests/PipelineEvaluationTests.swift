import Foundation
import Testing

@testable import Generation

@Suite struct PipelineMetricTests {
    @Test func metricsOfAScaleInQuarters() throws {
        // C major scale up, one quarter each, one bar of 4/4 after another.
        let pitches = [60, 62, 64, 65, 67, 69, 71, 72]
        let piece = QuantisedPiece(
            notes: pitches.enumerated().map { .init(onset: $0 * 12, duration: 12, pitch: $1, velocityBucket: 8) },
            tempos: [], meters: [])
        let metrics = try #require(MusicalMetrics(piece))
        #expect(metrics.scaleConsistency == 1)
        #expect(metrics.pitchRange == 12)
        #expect(metrics.polyphony == 1)
        #expect(metrics.noteDensity == 1)
        #expect(metrics.emptyBeatRate == 0)
        #expect(metrics.grooveConsistency == 1)
        // Seven classes, C twice: entropy of (2, 1, 1, 1, 1, 1, 1) / 8.
        let expected = -(2.0 / 8 * log2(2.0 / 8) + 6 * (1.0 / 8 * log2(1.0 / 8)))
        #expect(abs(metrics.pitchClassEntropy - expected) < 1e-12)
        #expect(metrics.interOnsetHistogram[4] == 1)
    }

    @Test func chordsAndRestsShowInPolyphonyAndEmptyBeats() throws {
        // A triad held for a bar, then a bar of silence, then one note.
        let notes: [QuantisedPiece.Note] =
            [60, 64, 67].map { .init(onset: 0, duration: 48, pitch: $0, velocityBucket: 8) }
            + [.init(onset: 96, duration: 48, pitch: 72, velocityBucket: 8)]
        let metrics = try #require(MusicalMetrics(QuantisedPiece(notes: notes, tempos: [], meters: [])))
        #expect(metrics.polyphony == 2)
        #expect(metrics.emptyBeatRate == 10.0 / 12)
    }

    @Test func distributionPercentilesAndOverlap() {
        let reference = MetricDistribution((0..<100).map(Double.init))
        #expect(reference.percentile(of: 50) == 0.505)
        #expect(reference.quantile(0.5) == 49.5)
        var random = SeededRandom(seed: 2)
        let alike = (0..<100).map { _ in Double(random.next() % 100) }
        let unlike = (0..<100).map { _ in 1000 + Double(random.next() % 10) }
        #expect(reference.overlap(with: alike) > 0.8)
        #expect(reference.overlap(with: unlike) < 0.1)
    }
}
