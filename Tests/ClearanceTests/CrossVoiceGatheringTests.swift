import Testing

@testable import Clearance

/// A tune moved an octave down into the middle of a texture, its notes shared out among the
/// query's voices: gathered back whole where the source's rhythm puts them.
@Suite struct CrossVoiceGatheringTests {
    static let tune = Melodies.melody(seed: 31, count: 16)

    /// The tune an octave lower from beat 8, as the query holds it.
    static let moved = tune.map {
        LineNote(onsetBeats: $0.onsetBeats + 8, durationBeats: $0.durationBeats, pitch: $0.pitch - 12)
    }

    /// Every note of a query around the moved tune: a note a major third above and a fourth
    /// below each of the tune's, and an off-beat note between each two, in other voices.
    static let everyNote: [LineNote] = {
        let others = moved.flatMap { note in
            [
                LineNote(onsetBeats: note.onsetBeats, durationBeats: note.durationBeats, pitch: note.pitch + 4),
                LineNote(onsetBeats: note.onsetBeats, durationBeats: note.durationBeats, pitch: note.pitch - 5),
                LineNote(onsetBeats: note.onsetBeats + 0.25, durationBeats: 0.25, pitch: note.pitch + 7),
            ]
        }
        return (moved + others).sorted { ($0.onsetBeats, $1.pitch) < ($1.onsetBeats, $0.pitch) }
    }()

    /// A voice that holds the tune's first six notes, then wanders off into the others' notes.
    static let fragmentLine =
        Array(moved[0..<6]) + everyNote.filter { $0.onsetBeats > moved[6].onsetBeats + 0.1 && $0.pitch % 3 == 0 }

    static func fragment() throws -> LocalAlignment {
        try #require(
            LocalAlignment.align(
                query: fragmentLine, 0..<fragmentLine.count, source: tune, 0..<tune.count, transposition: -12))
    }

    @Test func aFragmentGathersTheWholeTuneFromEveryVoice() throws {
        let alignment = try Self.fragment()
        #expect(alignment.pairs.count < 10)
        let gathered = try #require(
            CrossVoiceGathering.gathered(
                around: alignment, query: Self.fragmentLine, source: Self.tune, everyNote: Self.everyNote))
        #expect(gathered.notes == Self.moved)
        #expect(gathered.alignment.pairs.map(\.source) == Array(Self.tune.indices))
        #expect(gathered.alignment.score == Float(Self.tune.count))
    }

    /// A note of the tune found nowhere is skipped at its gap cost: the gathered alignment is
    /// the one the note-by-note alignment of the gathered line with the source finds.
    @Test func aNoteFoundNowhereIsSkippedAsTheAlignmentWouldSkipIt() throws {
        let lost = Self.moved[10]
        let gathered = try #require(
            CrossVoiceGathering.gathered(
                around: try Self.fragment(), query: Self.fragmentLine, source: Self.tune,
                everyNote: Self.everyNote.filter { $0 != lost }))
        #expect(gathered.notes == Self.moved.filter { $0 != lost })
        let reference = try #require(
            LocalAlignment.align(
                query: gathered.notes, 0..<gathered.notes.count, source: Self.tune, 0..<Self.tune.count,
                transposition: -12))
        #expect(gathered.alignment.pairs.map(\.query) == reference.pairs.map(\.query))
        #expect(gathered.alignment.pairs.map(\.source) == reference.pairs.map(\.source))
        #expect(abs(gathered.alignment.score - reference.score) < 1e-4)
        for (pair, expected) in zip(gathered.alignment.pairs, reference.pairs) {
            #expect(abs(pair.bridge - expected.bridge) < 1e-4)
        }
        #expect(gathered.alignment.pairs[10].bridge == LocalAlignment.gapCost(Self.tune, 10))
    }

    /// The time map is the alignment's tempo: a tune played at half speed is gathered at it.
    @Test func anAugmentedTuneIsGatheredAtItsTempo() throws {
        let slow = QuoteTransformation.augmentation.apply(to: Self.tune, semitones: 0)
        let fragment = Array(slow[0..<6])
        let alignment = try #require(
            LocalAlignment.align(
                query: fragment, 0..<fragment.count, source: Self.tune, 0..<Self.tune.count, transposition: 0))
        let gathered = try #require(
            CrossVoiceGathering.gathered(around: alignment, query: fragment, source: Self.tune, everyNote: slow))
        #expect(gathered.notes == slow)
    }

    /// Pairs matched at random places keep no time map: nothing is gathered.
    @Test func pairsThatKeepNoTimeMapGatherNothing() throws {
        let alignment = try Self.fragment()
        var scattered = Self.fragmentLine
        for (index, pair) in alignment.pairs.enumerated() {
            scattered[pair.query].onsetBeats += Float(index * index) * 0.375
        }
        #expect(
            CrossVoiceGathering.gathered(
                around: alignment, query: scattered, source: Self.tune, everyNote: Self.everyNote) == nil)
    }

    /// Every note of a piece's lines once, in onset order, highest first among equals.
    @Test func everyNoteOfAPieceIsReadOnceInOnsetOrder() {
        let piece = Melodies.piece(Self.everyNote)
        let notes = CrossVoiceGathering.notes(of: piece)
        #expect(notes == Self.everyNote)
    }

    /// The tune split between two tracks, above each of which another tune runs: no line holds
    /// more than half of it, and matching still finds all of it, across the voices.
    @Test func matchingFindsATuneSplitBetweenTracks() throws {
        var catalogue = MemoryCatalogue()
        catalogue.add(path: "source.mid", piece: Melodies.piece(Self.tune))
        catalogue.add(path: "other.mid", piece: Melodies.piece(Melodies.melody(seed: 32, count: 40)))
        let hostAbove = Melodies.melody(seed: 33, count: 60, lowest: 72).map { TrackNote(track: 0, note: $0) }
        let query = Melodies.piece(
            hostAbove + Self.moved[0..<8].map { TrackNote(track: 1, note: $0) }
                + Self.moved[8...].map { TrackNote(track: 2, note: $0) })
        #expect(query.lines.allSatisfy { line in line.notes.filter(Self.moved.contains).count <= 8 })
        let best = try #require(try Matcher.matches(for: query, in: catalogue).first)
        #expect(best.piece.path == "source.mid")
        #expect(best.queryLine.source == .acrossVoices)
        #expect(best.alignment.sharedNotes == Self.tune.count)
        let naive = try #require(NaiveMatcher.matches(for: query, in: catalogue).first)
        #expect(abs(naive.score - best.score) < 1e-4 && naive.alignment.sharedNotes == best.alignment.sharedNotes)
    }

    /// Notes gathered by the source's rhythm agree with it by construction: read by pitch alone,
    /// and weighed by the source's runs only.
    @Test func aGatheredLineIsReadByPitchAndTheSourceRunsAlone() throws {
        let alignment = try #require(
            LocalAlignment.align(
                query: Self.moved, 0..<Self.moved.count, source: Self.tune, 0..<Self.tune.count, transposition: -12))
        let both = RarityWeights.sharedRuns(of: alignment, query: Self.moved, source: Self.tune)
        let sourceOnly = RarityWeights.sharedRuns(
            of: alignment, query: Self.moved, source: Self.tune, queryRuns: false)
        #expect(sourceOnly.count * 2 == both.count)
        func score(rhythmIsEvidence: Bool) throws -> Float {
            try #require(
                RarityWeights.rescored(
                    alignment, query: Self.moved, source: Self.tune, shared: sourceOnly,
                    rhythmIsEvidence: rhythmIsEvidence
                ) { _ in 0.3 }
            ).score
        }
        #expect(try score(rhythmIsEvidence: true) > score(rhythmIsEvidence: false))
    }
}
