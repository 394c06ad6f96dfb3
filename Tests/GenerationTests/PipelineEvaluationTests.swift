import Foundation
import Testing

@testable import Generation

@Suite struct PipelineOriginalityTests {
    /// A random melody with chords now and then: 8 pitches over two octaves, sixteenth to
    /// quarter rhythms, as unlike any other as chance makes it.
    func randomPiece(notes count: Int, random: inout SeededRandom) -> QuantisedPiece {
        var notes: [QuantisedPiece.Note] = []
        var onset = 0
        for _ in 0..<count {
            onset += [3, 6, 6, 12][Int(random.next() % 4)]
            notes.append(.init(onset: onset, duration: 6, pitch: 48 + Int(random.next() % 24), velocityBucket: 8))
        }
        return QuantisedPiece(notes: notes, tempos: [], meters: [])
    }

    @Test func detectsAPlantedCopyAndPassesAFreshPiece() {
        var random = SeededRandom(seed: 11)
        let training = (0..<30).map { ("train\($0)", randomPiece(notes: 300, random: &random)) }
        let index = OriginalityIndex(pieces: training)

        // 40 notes of train7, a minor third higher and two bars later, inside new material.
        let source = training[7].1.notes[100..<140]
        var planted = randomPiece(notes: 60, random: &random).notes
        let shift = planted.last!.onset + 96 - source.first!.onset
        planted += source.map {
            .init(onset: $0.onset + shift, duration: $0.duration, pitch: $0.pitch + 3, velocityBucket: 5)
        }
        let copy = index.report(for: QuantisedPiece(notes: planted, tempos: [], meters: []))
        #expect(copy.longestSharedRun >= 40)
        #expect(copy.longestRunSource == "train7")
        #expect(copy.sharedNGramShare > 0.3)
        #expect(CopyThreshold(longestRun: 32).isCopy(copy))

        let fresh = index.report(for: randomPiece(notes: 200, random: &random))
        #expect(fresh.longestSharedRun < 8)
        #expect(fresh.sharedNGramShare == 0)
        #expect(!CopyThreshold().isCopy(fresh))
    }

    @Test func aPitchOrRhythmChangeBreaksTheRun() {
        var random = SeededRandom(seed: 5)
        let original = randomPiece(notes: 50, random: &random)
        let index = OriginalityIndex(pieces: [("original", original)])
        var changed = original.notes
        changed[25].pitch += changed[25].pitch > 60 ? -1 : 1
        let report = index.report(for: QuantisedPiece(notes: changed, tempos: [], meters: []))
        // Notes 0…24 and 26…49 are shared; the changed note splits them.
        #expect(report.longestSharedRun == 25)
        #expect(index.report(for: original).longestSharedRun == 50)
    }
}

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
