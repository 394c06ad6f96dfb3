import Testing

@testable import Clearance

/// A small catalogue of unrelated tunes, and queries that plant a quote from one of them
/// into an unrelated host under each transformation.
@Suite struct MatcherTests {
    static let catalogue: MemoryCatalogue = {
        var catalogue = MemoryCatalogue()
        for seed in 0..<12 {
            let tune = Melodies.melody(seed: UInt64(100 + seed), count: 48, lowest: 60)
            let bass = Melodies.melody(seed: UInt64(200 + seed), count: 40, lowest: 36)
            catalogue.add(
                path: "catalogue/tune\(seed).mid",
                piece: Melodies.piece(
                    tune.map { TrackNote(track: 0, note: $0) } + bass.map { TrackNote(track: 1, note: $0) }))
        }
        return catalogue
    }()

    /// Notes 10–21 of catalogue tune 4 planted at beat 8 of a host no catalogue piece holds.
    static func plantedQuery(_ transformation: QuoteTransformation, quoteLength: Int = 12) -> ClearancePiece {
        let source = Melodies.melody(seed: 104, count: 48, lowest: 60)
        let quote = Array(source[10..<(10 + quoteLength)])
        let start = quote[0].onsetBeats
        let shifted = quote.map {
            LineNote(onsetBeats: $0.onsetBeats - start, durationBeats: $0.durationBeats, pitch: $0.pitch)
        }
        let host = Melodies.melody(seed: 999, count: 40, lowest: 48).map { TrackNote(track: 0, note: $0) }
        return Melodies.piece(transformation.plant(shifted, semitones: 3, into: host, atBeat: 8))
    }

    @Test(arguments: QuoteTransformation.allCases)
    func thePlantedSourceComesFirst(_ transformation: QuoteTransformation) throws {
        let matches = try Matcher.matches(for: Self.plantedQuery(transformation), in: Self.catalogue)
        let best = try #require(matches.first)
        #expect(best.piece.path == "catalogue/tune4.mid")
        #expect(best.alignment.sharedNotes >= 10)
    }

    @Test(arguments: QuoteTransformation.allCases)
    func theFastPathAgreesWithTheNaiveReference(_ transformation: QuoteTransformation) throws {
        let query = Self.plantedQuery(transformation)
        let fast = try Matcher.matches(for: query, in: Self.catalogue)
        let naive = NaiveMatcher.matches(for: query, in: Self.catalogue)
        let fastBest = try #require(fast.first), naiveBest = try #require(naive.first)
        #expect(fastBest.piece.id == naiveBest.piece.id)
        #expect(abs(fastBest.score - naiveBest.score) < 1e-4)
        #expect(fastBest.alignment.sharedNotes == naiveBest.alignment.sharedNotes)
    }

    /// The source shares the quote's rare seeds, so it leads the ranking that decides which
    /// pieces are followed at all: following only the leading few finds the same best match.
    @Test(arguments: QuoteTransformation.allCases)
    func followingOnlyTheLeadingPiecesFindsTheSameBestMatch(_ transformation: QuoteTransformation) throws {
        var settings = MatchSettings()
        settings.followedPieces = 3
        let query = Self.plantedQuery(transformation)
        let few = try #require(try Matcher.matches(for: query, in: Self.catalogue, settings: settings).first)
        let all = try #require(try Matcher.matches(for: query, in: Self.catalogue).first)
        #expect(few.piece.id == all.piece.id && few.score == all.score)
        #expect(try Matcher.matches(for: query, in: Self.catalogue, settings: settings).count <= 3)
    }

    /// Random tunes share runs of five or six notes by chance; a 20-note quote stands out.
    @Test func anUnrelatedPieceSharesLittle() throws {
        let host = Melodies.melody(seed: 999, count: 40, lowest: 48)
        let planted = try #require(
            try Matcher.matches(for: Self.plantedQuery(.exact, quoteLength: 20), in: Self.catalogue).first)
        let unrelated = try Matcher.matches(for: Melodies.piece(host), in: Self.catalogue).first?.score ?? 0
        #expect(unrelated < planted.score / 2)
    }

    @Test func excludedPiecesAreNeverReported() throws {
        let source = try #require(Self.catalogue.pieces.first { $0.path.hasSuffix("tune4.mid") })
        let matches = try Matcher.matches(for: Self.plantedQuery(.exact), in: Self.catalogue) { $0.id == source.id }
        #expect(!matches.isEmpty)
        #expect(!matches.contains { $0.piece.id == source.id })
    }
    /// The radix sort that orders a query's seeds gives what a comparison sort gives, equal
    /// values (one seed met many times) in the order they were listed.
    @Test func querySeedsAreSortedAsAComparisonSortWould() {
        var state: UInt64 = 3
        let packed = (0..<5_000).map { index -> UInt64 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (state >> 33) % 2_000 * 1_000_003 << 32 | UInt64(index)
        }
        #expect(QuerySeeds.sortedByValue(packed) == packed.sorted())
        #expect(QuerySeeds.sortedByValue([]).isEmpty)
    }

    /// Shared runs that are query seeds keep the counts retrieval gave them; the others are
    /// counted in the catalogue; anything else counts 0.
    @Test func sharedRunFrequenciesAreTheQuerysOrTheCataloguesCounts() throws {
        let tune = Self.catalogue.pieces[4].piece.lines[0].pitches
        let runs = Seeds.stepSeeds(of: tune).map(\.key) + Seeds.phraseSeeds(of: tune).map(\.key) + [12_345, 12_345]
        let querySeeds = Array(Set(runs.prefix(10))).sorted()
        let frequencies = try SharedRunFrequencies(
            runs: runs, querySeeds: querySeeds, queryFrequencies: querySeeds.map { _ in 7 }, catalogue: Self.catalogue)
        var counted = 0
        for seed in runs {
            let expected = querySeeds.contains(seed) ? 7 : Self.catalogue.postings(of: seed).pieces
            #expect(frequencies[seed] == expected)
            if expected > 0 && expected != 7 { counted += 1 }
        }
        #expect(counted > 10)
        #expect(frequencies[SeedKey.max - 1] == 0)
    }
}
