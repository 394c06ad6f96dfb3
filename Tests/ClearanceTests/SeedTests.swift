import Testing

@testable import Clearance

@Suite struct SeedTests {
    @Test func seedsIgnoreKeyAndRhythm() {
        let tune = Melodies.melody(seed: 11, count: 30)
        let moved = QuoteTransformation.transposition.apply(
            to: QuoteTransformation.augmentation.apply(to: tune, semitones: 0), semitones: 5)
        #expect(Seeds.seeds(of: tune.map(\.pitch)).map(\.value) == Seeds.seeds(of: moved.map(\.pitch)).map(\.value))
        #expect(Seeds.stepSeeds(of: tune.map(\.pitch)).allSatisfy { $0.value >= 0 && Int($0.value) < Seeds.seedCount })
        #expect(Seeds.phraseSeeds(of: tune.map(\.pitch)).allSatisfy { Int($0.value) >= Seeds.seedCount })
    }

    @Test func turnSeedsSurvivePassingNotes() {
        let tune = Melodies.melody(seed: 12, count: 40)
        let ornamented = QuoteTransformation.passingNotes.apply(to: tune, semitones: 0)
        #expect(ornamented.count > tune.count)
        let plain = Seeds.turnSeeds(of: tune.map(\.pitch)).map(\.value)
        let filled = Seeds.turnSeeds(of: ornamented.map(\.pitch)).map(\.value)
        #expect(plain == filled)
        #expect(!plain.isEmpty)
    }

    /// A quotation with passing notes in its leaps has none of its source's step or phrase
    /// seeds; leaving the passing notes out gives most of them back.
    @Test func skippingPassingNotesRecoversTheSourceSeeds() {
        let tune = Melodies.melody(seed: 13, count: 40)
        let ornamented = QuoteTransformation.passingNotes.apply(to: tune, semitones: 0)
        let source = Set(
            (Seeds.stepSeeds(of: tune.map(\.pitch)) + Seeds.phraseSeeds(of: tune.map(\.pitch))).map(\.value))
        let plain = Set(
            (Seeds.stepSeeds(of: ornamented.map(\.pitch)) + Seeds.phraseSeeds(of: ornamented.map(\.pitch))).map(\.value)
        )
        let skipping = Set(Seeds.ornamentSkippingSeeds(of: ornamented.map(\.pitch)).map(\.value))
        #expect(2 * source.intersection(skipping).count > source.count)
        #expect(source.intersection(skipping).count > 2 * source.intersection(plain).count)
        // Every skipping seed leaves a note out: it spans more notes than it reads.
        #expect(
            Seeds.ornamentSkippingSeeds(of: ornamented.map(\.pitch)).allSatisfy {
                $0.span > Int32(Seeds.stepLength + 1)
                    && ($0.span > Int32(Seeds.phraseLength + 1) || Int($0.value) < Seeds.seedCount)
            })
    }

    @Test func turningPointsCountARepeatedNoteOnce() {
        #expect(Seeds.turningPoints(of: [60, 62, 64, 64, 62, 65, 65]) == [0, 2, 4, 5])
    }

    @Test func stepSeedsDifferForDifferentSteps() {
        #expect(
            Seeds.stepSeeds(of: [60, 62, 64, 65, 67]).map(\.value)
                != Seeds.stepSeeds(of: [60, 62, 64, 65, 68]).map(\.value))
        #expect(Seeds.stepSeeds(of: [60, 62, 64, 65]).isEmpty)
    }

    @Test func aPhraseSeedCoversEightNotes() {
        let tune: [UInt8] = [60, 62, 64, 65, 67, 69, 71, 72, 74]
        let phrases = Seeds.phraseSeeds(of: tune)
        #expect(phrases.map(\.position) == [0, 1])
        #expect(phrases[0].value != phrases[1].value)
        #expect(Seeds.phraseSeeds(of: tune.map { $0 + 7 }).map(\.value) == phrases.map(\.value))
        #expect(Seeds.phraseSeeds(of: Array(tune.prefix(8))).count == 1)
        #expect(Seeds.phraseSeeds(of: Array(tune.prefix(7))).isEmpty)
    }
}
