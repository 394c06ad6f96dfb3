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

    /// A tune whose second half comes back after more than two bars of rest in the query (a voice
    /// that rested, then played on): a passage stops at the rest, in either line, though the
    /// pitches alone would run on across it.
    @Test func aPassageNeverRunsAcrossTwoBarsWithoutANote() throws {
        let tune = Melodies.melody(seed: 23, count: 16)
        let rest = LocalAlignment.wallBeats + 1
        let rested = Self.rested(tune, after: 8, beats: rest)
        for (query, source) in [(rested, tune), (tune, rested)] {
            let alignment = try #require(Self.align(query, source))
            #expect(alignment.sharedNotes == 8)
            let sides = Set(alignment.pairs.map { $0.query < 8 })
            #expect(sides.count == 1, "the passage lies on one side of the rest")
        }
        // Just short of the wall, the passage runs on across the rest.
        let shortRest = Self.rested(tune, after: 8, beats: LocalAlignment.wallBeats - 1)
        #expect(try #require(Self.align(shortRest, tune)).sharedNotes == 16)
    }

    /// `line` with every note from `after` on moved later by `beats`.
    static func rested(_ line: [LineNote], after: Int, beats: Float) -> [LineNote] {
        line.enumerated().map { index, note in
            var moved = note
            if index >= after { moved.onsetBeats += beats }
            return moved
        }
    }

    /// Every shared run weighed 1, so only skipped notes take anything off.
    static func scoredFully(_ query: [LineNote], _ source: [LineNote]) -> LocalAlignment? {
        guard let alignment = align(query, source) else { return nil }
        let shared = RarityWeights.sharedRuns(of: alignment, query: query, source: source)
        return Self.rarityScored(alignment, query, source, shared: shared, weight: 1)
    }

    /// Rarity alone, every shared run weighed `weight` and the quotation bonus aside: what the
    /// tests of rarity and costs weigh.
    static func rarityScored(
        _ alignment: LocalAlignment, _ query: [LineNote], _ source: [LineNote], shared: [RarityWeights.SharedRun],
        weight: Float
    ) -> LocalAlignment? {
        RarityWeights.rescored(
            alignment, query: query, source: source, shared: shared, quotationBonus: 0, weight: { _ in weight })
    }

    /// Rhythm is never a cost: augmented or swung, a tune's pitches earn what they earn as written.
    @Test func augmentationAndSwingCostNothing() throws {
        let tune = Melodies.melody(seed: 22, count: 20)
        for transformation in [QuoteTransformation.augmentation, .rhythm] {
            let scored = try #require(Self.scoredFully(transformation.apply(to: tune, semitones: 0), tune))
            #expect(scored.sharedNotes == 20 && abs(scored.score - 20) < 1e-4, "\(transformation)")
        }
    }

    /// A quotation in its source's rhythm (up to tempo) is read with its rhythm as evidence too:
    /// agreement on a change of pulse earns more than on an even pulse, and the reading with
    /// rhythm wins once its evidence outweighs the allowance. Swung, the same pitches earn what
    /// the reading by pitch alone gives.
    @Test func agreeingRhythmAddsEvidenceAndSwingFallsBackToPitch() throws {
        let lengths: [Float] = [1.5, 0.5, 1, 1]
        var onset: Float = 0
        let tune = [60, 62, 64, 65, 67, 65, 64, 62, 64, 65, 67, 69, 71, 72, 71, 69].enumerated().map { index, pitch in
            defer { onset += lengths[index % 4] }
            return LineNote(onsetBeats: onset, durationBeats: lengths[index % 4], pitch: UInt8(pitch))
        }
        func scored(_ query: [LineNote]) throws -> (score: Float, evidence: Float) {
            let alignment = try #require(Self.align(query, tune))
            let shared = RarityWeights.sharedRuns(of: alignment, query: query, source: tune)
            let score = try #require(
                RarityWeights.rescored(alignment, query: query, source: tune, shared: shared) { _ in 0.3 }
            ).score
            let quoted = RarityWeights.quotationNotes(alignment.pairs, query: query, source: tune)
            let agreement = RarityWeights.rhythmAgreement(alignment.pairs, quoted: quoted, query: query, source: tune)
            return (score, agreement.reduce(0, +))
        }
        let augmented = try scored(QuoteTransformation.augmentation.apply(to: tune, semitones: 0))
        let swung = try scored(QuoteTransformation.rhythm.apply(to: tune, semitones: 0))
        // 14 notes each reached by two intervals; the pulse changes at 3 of every 4 of them.
        #expect(augmented.evidence > 14 * RarityWeights.evenRhythmEvidence + RarityWeights.rhythmEvidenceAllowance)
        #expect(swung.evidence < RarityWeights.rhythmEvidenceAllowance)
        let rhythmGain = augmented.evidence - RarityWeights.rhythmEvidenceAllowance
        #expect(abs(augmented.score - swung.score - rhythmGain * RarityWeights.quotationBonus) < 1e-3)
    }

    /// Rhythm is compared between matched notes: passing notes inserted between them leave it as it was.
    @Test func passingNotesCostNoRhythm() throws {
        let tune = Melodies.melody(seed: 29, count: 20)
        let ornamented = QuoteTransformation.passingNotes.apply(to: tune, semitones: 0)
        let scored = try #require(Self.scoredFully(ornamented, tune))
        let inserted = Float(ornamented.count - tune.count)
        #expect(scored.sharedNotes == 20)
        #expect(abs(scored.score - (20 - inserted * LocalAlignment.passingGapPenalty)) < 1e-3)
    }

    @Test func insertedPassingNotesAreSkipped() throws {
        let tune = Melodies.melody(seed: 23, count: 20)
        let ornamented = QuoteTransformation.passingNotes.apply(to: tune, semitones: 0)
        let alignment = try #require(Self.align(ornamented, tune))
        #expect(alignment.sharedNotes == 20)
        let inserted = Float(ornamented.count - tune.count)
        #expect(abs(alignment.score - (20 - inserted * LocalAlignment.passingGapPenalty)) < 1e-3)
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
        let rescored = try #require(Self.rarityScored(alignment, ornamented, tune, shared: shared, weight: 1))
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
        let sourceRuns = Set(
            (Seeds.stepSeeds(of: tune.map(\.pitch)) + Seeds.phraseSeeds(of: tune.map(\.pitch))).map(\.key))
        #expect(!shared.isEmpty && shared.allSatisfy { sourceRuns.contains($0.key) })
        let rare = try #require(Self.rarityScored(alignment, ornamented, tune, shared: shared, weight: 0.9))
        let common = try #require(Self.rarityScored(alignment, ornamented, tune, shared: shared, weight: 0.1))
        #expect(rare.score > 3 * common.score)
    }

    /// Notes no shared run covers earn the floor: scattered agreements score little.
    @Test func notesOutsideSharedRunsEarnTheFloor() throws {
        let tune = Melodies.melody(seed: 27, count: 12)
        let alignment = try #require(Self.align(tune, tune))
        let rescored = try #require(Self.rarityScored(alignment, tune, tune, shared: [], weight: 1))
        #expect(abs(rescored.score - RarityWeights.floor * 12) < 0.3)
    }

    /// A figure shared over and over (an Alberti bass, a riff) earns once: four statements score
    /// what one does plus the runs across the joins (once too), far below four times as much.
    @Test func aRepeatedFigureEarnsOnce() throws {
        let figure = Array(Melodies.melody(seed: 28, count: 8))
        let repeated = (0..<4).flatMap { copy in
            figure.map {
                LineNote(onsetBeats: $0.onsetBeats + Float(copy) * 16, durationBeats: $0.durationBeats, pitch: $0.pitch)
            }
        }
        func scored(_ line: [LineNote]) throws -> Float {
            let alignment = try #require(Self.align(line, line))
            let shared = RarityWeights.sharedRuns(of: alignment, query: line, source: line)
            return try #require(Self.rarityScored(alignment, line, line, shared: shared, weight: 1)).score
        }
        #expect(try scored(repeated) < 2.5 * (try scored(figure)))
    }

    /// Unrelated pieces share a 5-note run by chance, an 8-note one seldom: a passage too short
    /// to hold a whole 8-note run earns `shortRunShare` a note, one holding them earns 1.
    @Test func aPassageOfOnlyShortRunsEarnsAShareOfOneHoldingPhrases() throws {
        let tune = Melodies.melody(seed: 30, count: 12)
        let short = Array(tune.prefix(7))
        let shortScore = try #require(Self.scoredFully(short, short)).score
        let fullScore = try #require(Self.scoredFully(tune, tune)).score
        #expect(abs(shortScore - 7 * RarityWeights.shortRunShare) < 1e-3)
        #expect(abs(fullScore - 12) < 1e-3)
    }

    /// An 8-note run no other piece holds earns by how telling its 5-note parts are: built of
    /// runs most of the catalogue holds (repeated notes, a scale) it earns next to nothing.
    @Test func aRarePhraseOfCommonPartsEarnsLittle() throws {
        let tune = Melodies.melody(seed: 31, count: 12)
        let alignment = try #require(Self.align(tune, tune))
        let shared = RarityWeights.sharedRuns(of: alignment, query: tune, source: tune)
        #expect(shared.contains { $0.isPhrase && $0.parts.count == 4 })
        func scored(partsTypicality: Float) throws -> Float {
            try #require(
                RarityWeights.rescored(
                    alignment, query: tune, source: tune, shared: shared, typicality: { _ in partsTypicality },
                    quotationBonus: 0, weight: { _ in 1 })
            ).score
        }
        #expect(abs(try scored(partsTypicality: 1) - 12) < 1e-3)
        #expect(abs(try scored(partsTypicality: 0.5) - 6) < 1e-3)
        #expect(abs(try scored(partsTypicality: 0) - 12 * RarityWeights.floor) < 1e-3)
        #expect(RarityWeights.typicality(documentFrequency: 1, pieceCount: 600) == 1)
        #expect(RarityWeights.typicality(documentFrequency: 600, pieceCount: 600) < 0.01)
    }

    @Test func rareSharedRunsWeighMoreThanCommonOnes() {
        #expect(RarityWeights.weight(documentFrequency: 1, commonCount: 16) == 1)
        #expect(RarityWeights.weight(documentFrequency: 0, commonCount: 16) == 1)
        let falling = (1...16).map { RarityWeights.weight(documentFrequency: $0, commonCount: 16) }
        #expect(zip(falling, falling.dropFirst()).allSatisfy { $0 > $1 || $1 == RarityWeights.floor })
        #expect(RarityWeights.weight(documentFrequency: 4, commonCount: 16) < 0.7)
        #expect(RarityWeights.weight(documentFrequency: 16, commonCount: 16) == RarityWeights.floor)
        #expect(RarityWeights.weight(documentFrequency: 900, commonCount: 16) == RarityWeights.floor)
    }

    static func quotationNotes(_ query: [LineNote], _ source: [LineNote], transposition: Int = 0) throws -> [Bool] {
        let alignment = try #require(align(query, source, transposition: transposition))
        return RarityWeights.quotationNotes(alignment.pairs, query: query, source: source)
    }

    /// A quotation keeps its notes in order and its rhythm up to a tempo: under a new tempo,
    /// swing or passing notes every note of a tune is a new note of one quotation run, and
    /// each earns the bonus on top of its rarity.
    @Test func aQuotationRunSurvivesTempoSwingAndPassingNotes() throws {
        let tune = Melodies.melody(seed: 32, count: 16)
        for transformation in [QuoteTransformation.exact, .augmentation, .diminution, .rhythm, .passingNotes] {
            let quoted = try Self.quotationNotes(transformation.apply(to: tune, semitones: 0), tune)
            #expect(quoted.count == 16 && quoted.allSatisfy { $0 }, "\(transformation)")
        }
        let alignment = try #require(Self.align(tune, tune))
        let shared = RarityWeights.sharedRuns(of: alignment, query: tune, source: tune)
        let plain = try #require(Self.rarityScored(alignment, tune, tune, shared: shared, weight: 0.3))
        let quoted = try #require(
            RarityWeights.rescored(alignment, query: tune, source: tune, shared: shared) { _ in 0.3 })
        let leaps = zip(tune, tune.dropFirst()).filter {
            abs(Int($1.pitch) - Int($0.pitch)) > RarityWeights.largestStep
        }
        let marked = RarityWeights.quotationNotes(alignment.pairs, query: tune, source: tune)
        let evidence = RarityWeights.rhythmAgreement(alignment.pairs, quoted: marked, query: tune, source: tune)
        let rhythmGain = max(0, evidence.reduce(0, +) - RarityWeights.rhythmEvidenceAllowance)
        let bonus =
            RarityWeights.quotationBonus * (16 - Float(leaps.count) * (1 - RarityWeights.leapBonusShare) + rhythmGain)
        #expect(!leaps.isEmpty && leaps.count < 15)
        #expect(abs(quoted.score - plain.score - bonus) < 1e-3)
    }

    /// Melody moves by step, accompaniment figuration by leaps between chord notes: a quoted
    /// broken-chord run earns `leapBonusShare` of the bonus a note where a stepwise tune of the
    /// same length and rhythm earns all of it.
    @Test func aQuotedArpeggioEarnsLessThanAQuotedTune() throws {
        func line(_ pitches: [UInt8]) -> [LineNote] {
            pitches.enumerated().map { LineNote(onsetBeats: Float($0) / 2, durationBeats: 0.5, pitch: $1) }
        }
        let arpeggio = line([48, 52, 55, 60, 64, 67, 72, 67, 64, 60, 55, 52])
        let tune = line([60, 62, 64, 65, 67, 65, 64, 62, 64, 65, 67, 69])
        func bonus(_ notes: [LineNote]) throws -> Float {
            let alignment = try #require(Self.align(notes, notes))
            let shared = RarityWeights.sharedRuns(of: alignment, query: notes, source: notes)
            let plain = try #require(Self.rarityScored(alignment, notes, notes, shared: shared, weight: 0.3))
            let quoted = try #require(
                RarityWeights.rescored(alignment, query: notes, source: notes, shared: shared) { _ in 0.3 })
            return quoted.score - plain.score
        }
        #expect(abs(try bonus(tune) - 12 * RarityWeights.quotationBonus) < 1e-3)
        let arpeggioBonus = RarityWeights.quotationBonus * (1 + 11 * RarityWeights.leapBonusShare)
        #expect(abs(try bonus(arpeggio) - arpeggioBonus) < 1e-3)
    }

    /// The same pitches in another rhythm, or with a wrong note every few notes, are not a
    /// quotation run: no note earns the bonus.
    @Test func anotherRhythmOrWrongNotesBreakTheRun() throws {
        let tune = (0..<16).map { LineNote(onsetBeats: Float($0), durationBeats: 1, pitch: UInt8(60 + ($0 * 5) % 13)) }
        var onset: Float = 0
        let otherRhythm = tune.enumerated().map { index, note in
            defer { onset += index.isMultiple(of: 2) ? 0.25 : 2 }
            return LineNote(onsetBeats: onset, durationBeats: 0.25, pitch: note.pitch)
        }
        #expect(try Self.quotationNotes(otherRhythm, tune).allSatisfy { !$0 })
        let wrongNotes = tune.enumerated().map { index, note in
            index % 5 == 4 ? LineNote(onsetBeats: note.onsetBeats, durationBeats: 1, pitch: note.pitch + 6) : note
        }
        let pairs = try #require(Self.align(wrongNotes, tune)).pairs
        #expect(pairs.count >= 12)
        #expect(RarityWeights.quotationNotes(pairs, query: wrongNotes, source: tune).allSatisfy { !$0 })
    }

    /// A figure played over and over (an Alberti bass) earns the bonus for its first statements
    /// only: six bars of it earn what three do.
    @Test func aRepeatedFigureEarnsTheBonusOnce() throws {
        func alberti(bars: Int) -> [LineNote] {
            (0..<(4 * bars)).map {
                LineNote(onsetBeats: Float($0) / 2, durationBeats: 0.5, pitch: [48, 55, 52, 55][$0 % 4])
            }
        }
        let three = try Self.quotationNotes(alberti(bars: 3), alberti(bars: 3)).filter { $0 }.count
        let six = try Self.quotationNotes(alberti(bars: 6), alberti(bars: 6)).filter { $0 }.count
        #expect(three >= RarityWeights.quotationRunLength && six == three)
    }

    /// The fast fill against the cell-by-cell reference: the same alignment, to the bit, for
    /// related and unrelated lines, windows inside them, and transpositions that match nothing.
    @Test func theFastFillAlignsAsTheReferenceDoes() {
        var compared = 0, found = 0
        for seed in 0..<8 {
            let tune = Melodies.melody(seed: UInt64(40 + seed), count: 30 + 9 * seed)
            let variants = [
                tune, QuoteTransformation.passingNotes.apply(to: tune, semitones: 2),
                Melodies.melody(seed: UInt64(80 + seed), count: 25),
                Self.rested(tune, after: tune.count / 3, beats: LocalAlignment.wallBeats + 2),
            ]
            for other in variants {
                for transposition in [0, -2, 2, 50] {
                    for (queryRange, sourceRange) in [
                        (0..<other.count, 0..<tune.count), (3..<(other.count / 2), 5..<(tune.count - 1)),
                    ] {
                        let fast = LocalAlignment.align(
                            query: other, queryRange, source: tune, sourceRange, transposition: transposition)
                        let reference = LocalAlignment.alignCellByCell(
                            query: other, queryRange, source: tune, sourceRange, transposition: transposition)
                        #expect(fast == reference)
                        compared += 1
                        if fast != nil { found += 1 }
                    }
                }
            }
        }
        #expect(found > compared / 2 && found < compared)
    }
}
