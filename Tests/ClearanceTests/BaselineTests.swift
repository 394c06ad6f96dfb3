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

    /// The same tune in two files under unrelated names, one with a note changed (so neither
    /// the name nor the notes say so): they share a passage far longer than two works do, so
    /// the baseline takes the best match of another work instead; a 20-note quote is not that.
    @Test func theBaselineLeavesOutTheSameTuneUnderAnUnrelatedName() throws {
        var catalogue = MemoryCatalogue()
        let tune = Melodies.melody(seed: 52, count: 160)
        var variant = tune
        variant[80].pitch += 1
        catalogue.add(path: "jazz/midi10.mid", piece: Melodies.piece(tune))
        catalogue.add(path: "jazz/midi12.mid", piece: Melodies.piece(variant))
        for seed in 0..<10 {
            catalogue.add(
                path: "jazz/other\(seed).mid",
                piece: Melodies.piece(Melodies.melody(seed: UInt64(70 + seed), count: 160)))
        }
        let first = catalogue.piece(0)
        let best = try #require(
            try Matcher.matches(for: first.piece, in: catalogue, queryIsIndexed: true) { $0.id == first.id }.first)
        #expect(best.piece.path == "jazz/midi12.mid")
        #expect(Calibration.isSameWork(best))
        let unrelated = try Calibration.bestUnrelatedScore(of: first, in: catalogue)
        #expect(unrelated < best.score / 4)

        let quoted = try #require(
            try Matcher.matches(for: Melodies.piece(Array(tune[10..<30])), in: catalogue).first)
        #expect(quoted.piece.path == "jazz/midi10.mid" || quoted.piece.path == "jazz/midi12.mid")
        #expect(!Calibration.isSameWork(quoted))
    }
}
