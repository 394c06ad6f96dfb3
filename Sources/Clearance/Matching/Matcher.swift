import Utilities

/// The best shared passage between a query piece and one catalogue piece.
public struct PieceMatch: Sendable {
    public var piece: IndexedPiece
    public var alignment: LocalAlignment
    /// The query's line the passage lies in: one of its `lines`, or notes gathered across its
    /// voices (`LineSource.acrossVoices`).
    public var queryLine: MelodicLine
    /// Index into the catalogue piece's `lines`.
    public var sourceLine: Int

    public var score: Float { alignment.score }
}

/// How hard matching looks.
public struct MatchSettings: Hashable, Sendable {
    /// Candidate passages aligned note by note per query, the strongest by seed weight.
    public var candidates = 64
    /// Notes either side of a candidate's seeds that the alignment may reach.
    public var margin = 24
    /// Seeds held by more than this share of the catalogue lead nowhere new (scales,
    /// repeated notes) and are not followed, only weighed.
    public var commonSeedShare = 0.005
    /// Followed anyway up to this many pieces, so small catalogues are searched fully.
    public var commonSeedFloor = 16
    /// Best matches returned.
    public var reported = 5
    /// Places the query's paths (`LegatoPaths`) lead to that are gathered around
    /// (`PathCandidates`), the strongest by seed weight; 0 leaves paths out, their seeds too.
    public var pathCandidates = 16
    /// Catalogue pieces followed seed by seed, those sharing the most rare-seed weight with
    /// the query: a query's seeds point to thousands of pieces in a large catalogue, and only
    /// the leading few can hold its best passages.
    public var followedPieces = 256
    /// Threads one check's look-ups and alignments are shared among; the result is the same
    /// whatever the number. Work that already checks pieces side by side (the baseline) gives
    /// each check one.
    public var threads = Parallel.cores

    public init() {}

    func commonSeedLimit(pieceCount: Int) -> Int {
        max(commonSeedFloor, Int(commonSeedShare * Double(pieceCount)))
    }
}

/// Finds the catalogue pieces that share the most (rare) melodic material with a query:
/// seeds shared with the catalogue point to candidate passages, grouped by piece, line
/// and diagonal; the strongest groups are aligned note by note (`LocalAlignment`), and each
/// piece keeps its best alignment.
public enum Matcher {
    /// - Parameter queryIsIndexed: the query is itself one of the catalogue's pieces (as when
    ///   measuring the baseline); its own occurrences are then left out of the seeds' rarity,
    ///   so it is weighed as a piece from outside the catalogue would be.
    public static func matches(
        for query: ClearancePiece, in catalogue: some SeedCatalogue, settings: MatchSettings = MatchSettings(),
        queryIsIndexed: Bool = false, excluding isExcluded: ((PieceIdentity) -> Bool)? = nil
    ) throws -> [PieceMatch] {
        let ownCount = queryIsIndexed ? 1 : 0
        let pieceCount = catalogue.pieceCount - ownCount
        let limit = settings.commonSeedLimit(pieceCount: pieceCount)
        let everyNote = CrossVoiceGathering.notes(of: query)
        let seeds = QuerySeeds(query, everyNote: settings.pathCandidates > 0 ? everyNote : [])
        let table = try catalogue.candidates(
            for: seeds.keys, limit: limit, ownSeeds: queryIsIndexed ? seeds.isOwn : nil,
            followedPieces: settings.followedPieces,
            weight: { RarityWeights.weight(documentFrequency: $0, commonCount: limit) }, excluding: isExcluded,
            threads: settings.threads)
        let groups = HitGroups(seeds: seeds, table: table, limit: limit)
        // Only the line pairs with the most seed weight in one passage (a band of diagonals
        // over a stretch of the query) are worth grouping: summed over whole lines, two long
        // unrelated pieces would outweigh a short quotation.
        let strongest = groups.groups.indices.map { (group: $0, weight: groups.strongestPassage(of: $0)) }
            .filter { $0.weight > 0 }
            .sorted {
                let first = groups.groups[$0.group].key, second = groups.groups[$1.group].key
                return ($0.weight, first.piece, first.queryLine, first.sourceLine) > (
                    $1.weight, second.piece, second.queryLine, second.sourceLine
                )
            }
            .prefix(settings.candidates * 4)
        var clusters = strongest.flatMap {
            Cluster.group(groups.hits(of: $0.group), key: groups.groups[$0.group].key)
        }
        clusters.sort {
            ($0.weight, $0.key.piece, $0.key.queryLine, $0.key.sourceLine) > (
                $1.weight, $1.key.piece, $1.key.queryLine, $1.key.sourceLine
            )
        }
        // Each candidate passage is aligned note by note, which decides the notes it shares; what
        // sharing them is worth is the rarity of the runs it matches whole (`RarityWeights`).
        // Where the alignment keeps one time map, the query's notes in any voice at the places it
        // gives the source's other notes are gathered and aligned too (`CrossVoiceGathering`).
        // The pieces are read here, one after another (a reader's cache is not shared between
        // threads); the candidates are then aligned side by side, each part taking every
        // `parts`-th, and put back in candidate order.
        let aligned = Array(clusters.prefix(settings.candidates))
        let sources = try aligned.map { try catalogue.piece($0.key.piece) }
        let parts = max(1, min(settings.threads, aligned.count / Self.candidatesPerThread))
        let alignedParts = try Parallel.map(parts: parts) { part in
            stride(from: part, to: aligned.count, by: parts).flatMap { candidate -> [AlignedPassage] in
                let cluster = aligned[candidate]
                let queryLine = query.lines[cluster.key.queryLine]
                let sourceNotes = sources[candidate].piece.lines[cluster.key.sourceLine].notes
                let queryRange = window(cluster.queryRange, margin: settings.margin, count: queryLine.notes.count)
                let sourceRange = window(cluster.sourceRange, margin: settings.margin, count: sourceNotes.count)
                guard
                    let alignment = LocalAlignment.align(
                        query: queryLine.notes, queryRange, source: sourceNotes, sourceRange,
                        transposition: cluster.transposition(query: queryLine.notes, source: sourceNotes))
                else { return [] }
                return AlignedPassage.found(
                    by: alignment, candidate: candidate, queryLine: queryLine, source: sourceNotes,
                    everyNote: everyNote)
            }
        }
        var passages = alignedParts.joined().sorted { $0.candidate < $1.candidate }.map {
            (source: sources[$0.candidate], sourceLine: aligned[$0.candidate].key.sourceLine, passage: $0)
        }
        // The places the query's paths lead to, each gathered around (`PathCandidates`).
        let pathCandidates = PathCandidates.strongest(
            seeds: seeds, table: table, limit: limit, count: settings.pathCandidates)
        for (number, candidate) in pathCandidates.enumerated() {
            let source = try catalogue.piece(table.followed[candidate.followedPiece])
            guard
                let passage = PathCandidates.passage(
                    candidate, number: number, paths: seeds.paths, everyNote: everyNote,
                    source: source.piece.lines[candidate.sourceLine].notes)
            else { continue }
            passages.append((source, candidate.sourceLine, passage))
        }
        // The source's runs the query does not hold as such (a quotation with notes inserted) were
        // not looked up with the query's seeds: one more look-up, counts only.
        var runSeeds: [SeedKey] = []
        for run in passages.lazy.flatMap(\.passage.shared) {
            runSeeds.append(run.key)
            runSeeds += run.parts
        }
        let frequency = try SharedRunFrequencies(
            runs: runSeeds, querySeeds: seeds.keys, queryFrequencies: table.pieces, catalogue: catalogue)
        var best: [Int64: PieceMatch] = [:]
        for passage in passages {
            guard
                let alignment = passage.passage.rescored(
                    source: passage.source.piece.lines[passage.sourceLine].notes,
                    typicality: {
                        RarityWeights.typicality(documentFrequency: frequency[$0], pieceCount: pieceCount)
                    },
                    weight: {
                        RarityWeights.weight(documentFrequency: frequency[$0], commonCount: limit)
                    })
            else { continue }
            if best[passage.source.id].map({ alignment.score > $0.score }) ?? true {
                best[passage.source.id] = PieceMatch(
                    piece: passage.source, alignment: alignment,
                    queryLine: passage.passage.queryLine, sourceLine: passage.sourceLine)
            }
        }
        return Array(best.values.sorted { ($0.score, $1.piece.id) > ($1.score, $0.piece.id) }.prefix(settings.reported))
    }

    /// Candidates a thread aligns at the least.
    static let candidatesPerThread = 8

    private static func window(_ range: ClosedRange<Int>, margin: Int, count: Int) -> Range<Int> {
        max(0, range.lowerBound - margin)..<min(count, range.upperBound + Seeds.stepLength + 1 + margin)
    }
}

/// A candidate passage aligned: with one of the query's lines, or with the notes gathered
/// across its voices around that alignment.
struct AlignedPassage {
    var candidate: Int
    var queryLine: MelodicLine
    var alignment: LocalAlignment
    var shared: [RarityWeights.SharedRun]

    /// What the passage's shared notes are worth (`RarityWeights.rescored`); a gathered line
    /// by pitch alone, its rhythm having been chosen by the source's.
    func rescored(
        source: [LineNote], typicality: (SeedKey) -> Float, weight: (SeedKey) -> Float
    ) -> LocalAlignment? {
        RarityWeights.rescored(
            alignment, query: queryLine.notes, source: source, shared: shared, typicality: typicality,
            rhythmIsEvidence: queryLine.source != .acrossVoices, weight: weight)
    }

    /// The passage `alignment` found in `queryLine`, and the one gathered around it when the
    /// gathering finds more (`CrossVoiceGathering`).
    static func found(
        by alignment: LocalAlignment, candidate: Int, queryLine: MelodicLine, source: [LineNote],
        everyNote: [LineNote]
    ) -> [AlignedPassage] {
        var passages = [
            AlignedPassage(
                candidate: candidate, queryLine: queryLine, alignment: alignment,
                shared: RarityWeights.sharedRuns(of: alignment, query: queryLine.notes, source: source))
        ]
        if let gathered = CrossVoiceGathering.gathered(
            around: alignment, query: queryLine.notes, source: source, everyNote: everyNote)
        {
            passages.append(
                AlignedPassage(
                    candidate: candidate, queryLine: MelodicLine(source: .acrossVoices, notes: gathered.notes),
                    alignment: gathered.alignment,
                    shared: RarityWeights.sharedRuns(
                        of: gathered.alignment, query: gathered.notes, source: source, queryRuns: false)))
        }
        return passages
    }
}

struct CandidateKey: Hashable {
    var queryLine: Int
    var piece: Int64
    var sourceLine: Int
}

struct Hit {
    var query: Int
    var source: Int
    /// Query notes the seed covers.
    var span: Int
    var weight: Float
}

/// Seed hits between one query line and one catalogue line that lie near one diagonal:
/// one candidate passage. Inserted notes move the diagonal a little, so nearby diagonals join.
struct Cluster {
    static let diagonalSlack = 12
    static let largestGap = 48
    static let longestSpan = 192

    var key: CandidateKey
    var hits: [Hit]
    var weight: Float
    var queryRange: ClosedRange<Int>
    var sourceRange: ClosedRange<Int>

    static func group(_ hits: [Hit], key: CandidateKey) -> [Cluster] {
        let ordered = hits.sorted { ($0.source - $0.query, $0.query) < ($1.source - $1.query, $1.query) }
        var clusters: [Cluster] = []
        var current: [Hit] = []
        for hit in ordered {
            if let last = current.last, (hit.source - hit.query) - (last.source - last.query) > diagonalSlack {
                clusters += splitAtGaps(current, key: key)
                current = []
            }
            current.append(hit)
        }
        if !current.isEmpty { clusters += splitAtGaps(current, key: key) }
        return clusters
    }

    /// The same diagonal met again far along (a repeated section) is another passage:
    /// split where consecutive hits lie more than `largestGap` query notes apart, so an
    /// alignment window stays a passage long rather than a piece long.
    static func splitAtGaps(_ hits: [Hit], key: CandidateKey) -> [Cluster] {
        let ordered = hits.sorted { $0.query < $1.query }
        var parts: [Cluster] = []
        var current: [Hit] = []
        for hit in ordered {
            if let last = current.last,
                hit.query - last.query > Self.largestGap || hit.query - current[0].query > Self.longestSpan
            {
                parts.append(Cluster(key: key, queryOrdered: current))
                current = []
            }
            current.append(hit)
        }
        if !current.isEmpty { parts.append(Cluster(key: key, queryOrdered: current)) }
        return parts
    }

    /// A cluster of `hits` in query order: each query note's seeds weigh once, by the first hit on it.
    init(key: CandidateKey, queryOrdered hits: [Hit]) {
        self.key = key
        self.hits = hits
        var weight: Float = 0
        var previous = -1
        for hit in hits where hit.query != previous {
            weight += hit.weight
            previous = hit.query
        }
        self.weight = weight
        queryRange = hits[0].query...hits[hits.count - 1].query
        sourceRange = hits.map(\.source).min()!...hits.map(\.source).max()!
    }

    /// The transposition most of the hits agree on (the seed's first notes fix it).
    func transposition(query: [LineNote], source: [LineNote]) -> Int {
        var votes: [Int: Float] = [:]
        for hit in hits { votes[Int(query[hit.query].pitch) - Int(source[hit.source].pitch), default: 0] += hit.weight }
        return votes.max { ($0.value, -$0.key) < ($1.value, -$1.key) }!.key
    }
}
