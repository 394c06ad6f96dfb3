import Testing

@testable import Clearance

@Suite struct BaselineTests {
    @Test func percentileIsTheShareOfBaselineScoresBelow() {
        let baseline = Baseline(scores: (1...100).map(Float.init), pieceCount: 100)
        #expect(baseline.percentile(of: 0.5) == 0)
        #expect(baseline.percentile(of: 50) == 49)
        #expect(baseline.percentile(of: 100.5) == 100)
        #expect(baseline.score(atPercentile: 99) == 99)
    }

    @Test func verdictsFollowThePercentileThresholds() {
        let thresholds = VerdictThresholds()
        #expect(thresholds.verdict(percentile: nil) == .clear)
        #expect(thresholds.verdict(percentile: 98.9) == .clear)
        #expect(thresholds.verdict(percentile: 99) == .review)
        #expect(thresholds.verdict(percentile: 99.95) == .copy)
    }

    @Test func theBaselineLeavesOutTheSameWorkUnderAnotherName() throws {
        var catalogue = MemoryCatalogue()
        let tune = Melodies.melody(seed: 51, count: 40)
        catalogue.add(path: "classical/tune.mid", piece: Melodies.piece(tune))
        catalogue.add(
            path: "jazz/TUNE.MID",
            piece: Melodies.piece(QuoteTransformation.transposition.apply(to: tune, semitones: 2)))
        for seed in 0..<10 {
            catalogue.add(
                path: "jazz/other\(seed).mid",
                piece: Melodies.piece(Melodies.melody(seed: UInt64(60 + seed), count: 40)))
        }
        let first = catalogue.piece(0)
        let unrelated = try Calibration.bestUnrelatedScore(of: first, in: catalogue)
        let withSameWork =
            try Matcher.matches(for: first.piece, in: catalogue, queryIsIndexed: true) { $0.id == first.id }
            .first?.score ?? 0
        #expect(withSameWork > 20)
        #expect(unrelated < withSameWork / 2)
    }
}
