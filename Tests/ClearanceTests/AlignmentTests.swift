import Testing

@testable import Clearance

@Suite struct AlignmentTests {
    static func align(_ query: [LineNote], _ source: [LineNote], transposition: Int = 0) -> LocalAlignment? {
        LocalAlignment.align(
            query: query, 0..<query.count, source: source, 0..<source.count, transposition: transposition)
    }

    @Test func anIdenticalLineMatchesEveryNote() throws {
        let tune = Melodies.melody(seed: 21, count: 20)
        let alignment = try #require(Self.align(tune, tune))
        #expect(alignment.sharedNotes == 20)
        #expect(alignment.score == 20)
    }

    @Test func augmentationCostsNothingAndSwingALittle() throws {
        let tune = Melodies.melody(seed: 22, count: 20)
        let augmented = try #require(Self.align(QuoteTransformation.augmentation.apply(to: tune, semitones: 0), tune))
        #expect(augmented.score == 20)
        let swung = try #require(Self.align(QuoteTransformation.rhythm.apply(to: tune, semitones: 0), tune))
        #expect(swung.sharedNotes == 20)
        #expect(swung.score < 20 && swung.score > 20 - 20 * LocalAlignment.rhythmPenalty)
    }

    @Test func insertedPassingNotesAreSkipped() throws {
        let tune = Melodies.melody(seed: 23, count: 20)
        let ornamented = QuoteTransformation.passingNotes.apply(to: tune, semitones: 0)
        let alignment = try #require(Self.align(ornamented, tune))
        #expect(alignment.sharedNotes == 20)
        let inserted = Float(ornamented.count - tune.count)
        #expect(alignment.score <= 20 - inserted * LocalAlignment.passingGapPenalty + 0.001)
        // Passing notes halve the durations around them, so matched notes may also pay rhythm costs.
        #expect(
            alignment.score > 20 - inserted * LocalAlignment.gapPenalty - Float(tune.count)
                * LocalAlignment.rhythmPenalty)
    }

    @Test func aTransposedLineMatchesOnlyAtItsTransposition() throws {
        let tune = Melodies.melody(seed: 24, count: 16)
        let moved = QuoteTransformation.transposition.apply(to: tune, semitones: 5)
        #expect(try #require(Self.align(moved, tune, transposition: 5)).sharedNotes == 16)
        #expect((Self.align(moved, tune, transposition: 0)?.sharedNotes ?? 0) < 8)
    }

    /// Skipped notes are paid between the pairs they separate, so rescoring with weight 1 a
    /// note gives back the alignment's own score.
    @Test func bridgesAccountForEverySkippedNote() throws {
        let tune = Melodies.melody(seed: 25, count: 20)
        let ornamented = QuoteTransformation.passingNotes.apply(to: tune, semitones: 0)
        let alignment = try #require(Self.align(ornamented, tune))
        #expect(alignment.pairs.contains { $0.bridge > 0 })
        let shared = RarityWeights.sharedRuns(of: alignment, query: ornamented, source: tune)
        let rescored = try #require(RarityWeights.rescored(alignment, shared: shared) { _ in 1 })
        #expect(abs(rescored.score - alignment.score) < 1e-4)
        #expect(rescored.sharedNotes == alignment.sharedNotes)
    }

    /// Passing notes break every run of the ornamented line, but the source's runs are matched
    /// whole: they are what the passage shares, and what it is weighed by.
    @Test func anOrnamentedQuoteIsWeighedByTheSourceRunsItReproduces() throws {
        let tune = Melodies.melody(seed: 26, count: 16)
        let ornamented = QuoteTransformation.passingNotes.apply(to: tune, semitones: 0)
        let alignment = try #require(Self.align(ornamented, tune))
        let shared = RarityWeights.sharedRuns(of: alignment, query: ornamented, source: tune)
        let sourceRuns = Set((Seeds.stepSeeds(of: tune.map(\.pitch)) + Seeds.phraseSeeds(of: tune.map(\.pitch))).map(\.value))
        #expect(!shared.isEmpty && shared.allSatisfy { sourceRuns.contains($0.value) })
        let rare = try #require(RarityWeights.rescored(alignment, shared: shared) { _ in 0.9 })
        let common = try #require(RarityWeights.rescored(alignment, shared: shared) { _ in 0.1 })
        #expect(rare.score > 3 * common.score)
    }

    /// Notes no shared run covers earn the floor: scattered agreements score little.
    @Test func notesOutsideSharedRunsEarnTheFloor() throws {
        let tune = Melodies.melody(seed: 27, count: 12)
        let alignment = try #require(Self.align(tune, tune))
        let rescored = try #require(RarityWeights.rescored(alignment, shared: []) { _ in 1 })
        #expect(abs(rescored.score - RarityWeights.floor * 12) < 0.3)
    }

    @Test func rareSharedRunsWeighMoreThanCommonOnes() {
        #expect(RarityWeights.weight(documentFrequency: 1, pieceCount: 1000) > 0.8)
        #expect(RarityWeights.weight(documentFrequency: 900, pieceCount: 1000) == RarityWeights.floor)
        #expect(RarityWeights.weight(documentFrequency: 0, pieceCount: 1000) == 1)
    }
}
