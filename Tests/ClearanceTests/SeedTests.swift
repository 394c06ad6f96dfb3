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

    /// `Seeds.ornamentSkippingSeeds` as first written, listing every run as an array: the
    /// reference its allocation-free walk must reproduce seed for seed, in order.
    static func referenceOrnamentSkippingSeeds(of pitches: [UInt8]) -> [Seed] {
        func skippable(_ note: Int) -> Bool {
            guard note > 0, note + 1 < pitches.count else { return false }
            let before = Int(pitches[note - 1]), after = Int(pitches[note + 1]), pitch = Int(pitches[note])
            return abs(after - before) >= 3 && min(before, after) < pitch && pitch < max(before, after)
        }
        var seeds: [Seed] = []
        for start in pitches.indices {
            var runs: [[Int]] = [[start]]
            var finished: [[Int]] = []
            while let run = runs.popLast(), finished.count < Seeds.largestSkippingVariants {
                if run.count == Seeds.phraseLength + 1 {
                    finished.append(run)
                    continue
                }
                let last = run[run.count - 1]
                if last + 1 < pitches.count { runs.append(run + [last + 1]) }
                if last + 2 < pitches.count && skippable(last + 1) { runs.append(run + [last + 2]) }
                if run.count == Seeds.stepLength + 1 { finished.append(run) }
            }
            for run in finished where run.last! - run[0] + 1 > run.count {
                let runPitches = run.map { pitches[$0] }
                let value =
                    run.count == Seeds.stepLength + 1
                    ? Seeds.stepSeeds(of: runPitches)[0].value : Seeds.phraseSeeds(of: runPitches)[0].value
                seeds.append(Seed(value: value, position: Int32(run[0]), span: Int32(run.last! - run[0] + 1)))
            }
        }
        return seeds
    }

    @Test func ornamentSkippingSeedsAreTheReferences() {
        var lines: [[UInt8]] = [[], [60], [60, 64, 62], [60, 62, 64, 62, 60, 64, 67, 65, 64, 62, 60]]
        for seed in 0..<12 {
            let tune = Melodies.melody(seed: UInt64(300 + seed), count: 20 + 7 * seed)
            lines.append(tune.map(\.pitch))
            lines.append(QuoteTransformation.passingNotes.apply(to: tune, semitones: 0).map(\.pitch))
        }
        var skipped = 0
        for pitches in lines {
            let fast = Seeds.ornamentSkippingSeeds(of: pitches)
            #expect(fast == Self.referenceOrnamentSkippingSeeds(of: pitches))
            skipped += fast.count
        }
        #expect(skipped > 100)
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
