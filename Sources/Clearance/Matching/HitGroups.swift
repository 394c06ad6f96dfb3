/// A query's seeds, flat: one look-up per distinct seed (ascending, so the segment files are
/// read in order), each occurrence pointing at its distinct seed by number rather than through
/// a dictionary. A query line lists its own seeds (`Seeds.seeds`) and then those it would have
/// without its passing notes (`Seeds.ornamentSkippingSeeds`); the ornament-skipping ones repeat
/// many of the own ones and of each other, so a 3-minute piece's ~45,000 occurrences are about
/// a third as many distinct seeds. The phrase seeds of paths through the query's notes
/// (`LegatoPaths`) are looked up with them and listed apart, by path.
struct QuerySeeds {
    struct Occurrence {
        /// Index into `keys`.
        var seed: Int32
        var line: Int32
        /// Index in the line of the note the seed starts on.
        var position: Int32
        /// Notes the seed covers, from its first to its last.
        var span: Int32
    }

    /// [distinct seeds] ascending.
    private(set) var keys: [SeedKey] = []
    /// [distinct seeds] whether the query holds the seed itself (not only without its passing
    /// notes): what an indexed query's own postings count.
    private(set) var isOwn: [Bool] = []
    /// [occurrences] line by line; within a line its own seeds, then the ornament-skipping ones.
    private(set) var occurrences: [Occurrence] = []
    /// [paths][`LegatoPaths.notesPerPath`] indices into the query's notes (`everyNote`).
    let paths: [[Int]]
    /// [paths] index into `keys` of each path's phrase seed.
    private(set) var pathSeeds: [Int32]

    /// The seeds of `query`'s lines and of the paths through `everyNote`, its notes in onset
    /// order (`CrossVoiceGathering.notes(of:)`).
    init(_ query: ClearancePiece, everyNote: [LineNote]) {
        paths = LegatoPaths.paths(through: everyNote)
        pathSeeds = [Int32](repeating: 0, count: paths.count)
        // [occurrences] whether each occurrence is one of its line's own seeds.
        var ownOccurrence: [Bool] = []
        // [occurrences] seed value (as 32 bits) << 32 | occurrence index: sorted, the distinct
        // seeds in key order (a seed's key is its value widened, which keeps this order).
        var byValue: [UInt64] = []
        for (line, melodic) in query.lines.enumerated() {
            let listed = [
                (true, Seeds.seeds(of: melodic.pitches)), (false, Seeds.ornamentSkippingSeeds(of: melodic.pitches)),
            ]
            for (own, seeds) in listed {
                for seed in seeds {
                    byValue.append(UInt64(UInt32(bitPattern: seed.value)) << 32 | UInt64(occurrences.count))
                    occurrences.append(Occurrence(seed: 0, line: Int32(line), position: seed.position, span: seed.span))
                    ownOccurrence.append(own)
                }
            }
        }
        // A path's entry is marked by the top bit of its index, above any occurrence's.
        let pitches = everyNote.map(\.pitch)
        for (path, notes) in paths.enumerated() {
            let seed = Seeds.phraseSeed(of: pitches, through: notes)
            byValue.append(UInt64(UInt32(bitPattern: seed.value)) << 32 | Self.pathMark | UInt64(path))
        }
        byValue = Self.sortedByValue(byValue)
        var previous: UInt64?
        for entry in byValue {
            let value = entry >> 32
            if value != previous {
                keys.append(SeedKey(truncatingIfNeeded: Int32(bitPattern: UInt32(value))))
                isOwn.append(false)
                previous = value
            }
            if entry & Self.pathMark != 0 {
                pathSeeds[Int(entry & (Self.pathMark - 1))] = Int32(keys.count - 1)
                continue
            }
            let occurrence = Int(entry & 0xFFFF_FFFF)
            occurrences[occurrence].seed = Int32(keys.count - 1)
            if ownOccurrence[occurrence] { isOwn[keys.count - 1] = true }
        }
    }
}

extension QuerySeeds {
    /// The bit that marks a path's entry among the occurrences' when they are sorted together.
    static let pathMark: UInt64 = 1 << 31

    /// Binary search in ascending `keys`.
    static func index(of seed: SeedKey, in keys: [SeedKey]) -> Int? {
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < seed { low = middle + 1 } else { high = middle }
        }
        return low < keys.count && keys[low] == seed ? low : nil
    }

    /// `packed` (value << 32 | index, indices ascending as listed) in ascending order: a stable
    /// radix sort on the values' four bytes, which leaves equal values in index order, so the
    /// result is `packed.sorted()` at a fraction of a comparison sort's cost.
    static func sortedByValue(_ packed: [UInt64]) -> [UInt64] {
        var sorted = packed
        var scratch = [UInt64](repeating: 0, count: packed.count)  // [packed.count]
        for shift in stride(from: UInt64(32), to: 64, by: 8) {
            var starts = [Int](repeating: 0, count: 257)  // [257] where each byte value's entries start
            for value in sorted { starts[Int(value >> shift & 0xFF) + 1] += 1 }
            for byte in 0..<256 { starts[byte + 1] += starts[byte] }
            for value in sorted {
                let byte = Int(value >> shift & 0xFF)
                scratch[starts[byte]] = value
                starts[byte] += 1
            }
            swap(&sorted, &scratch)
        }
        return sorted
    }
}

/// The hits of a query's seeds in the followed catalogue pieces, grouped by line pair (followed
/// piece, its line, the query's line) on flat arrays: counting sorts by dense numbers instead
/// of a dictionary keyed by line pair. Within a group the hits keep the order the query lists
/// its seeds (`QuerySeeds.occurrences`), then each seed's places in order.
struct HitGroups {
    struct Group {
        var key: CandidateKey
        /// The group's hits in `ordered`.
        var hits: Range<Int>
    }

    /// [hits] group by group.
    private(set) var ordered: [Hit] = []
    private(set) var groups: [Group] = []

    init(seeds: QuerySeeds, table: CandidateTable, limit: Int) {
        var hits: [Hit] = []  // [hits] in the order found
        var followedPiece: [Int] = []  // [hits] number of the followed piece (index into table.followed)
        var sourceLine: [Int] = []  // [hits] line of the followed piece
        var queryLine: [Int] = []  // [hits] line of the query
        // [distinct seeds] each seed's weight once worked out, -1 before.
        var weights = [Float](repeating: -1, count: table.pieces.count)
        for occurrence in seeds.occurrences {
            let seed = Int(occurrence.seed)
            let places = table.ranges[seed]
            guard !places.isEmpty, table.pieces[seed] <= limit else { continue }
            if weights[seed] < 0 {
                weights[seed] = RarityWeights.weight(documentFrequency: table.pieces[seed], commonCount: limit)
            }
            let weight = weights[seed]
            for place in table.places[places] {
                let location = Posting(piece: 0, location: UInt32(truncatingIfNeeded: place))
                hits.append(
                    Hit(
                        query: Int(occurrence.position), source: Int(location.position), span: Int(occurrence.span),
                        weight: weight))
                followedPiece.append(Int(place >> 32))
                sourceLine.append(Int(location.line))
                queryLine.append(Int(occurrence.line))
            }
        }
        // Hits are found query line by query line, so sorting them stably by source line and then
        // by piece leaves each line pair's hits together, in the order found.
        let bySourceLine = Self.stableOrder(
            Array(hits.indices), by: sourceLine, bucketCount: (sourceLine.max() ?? -1) + 1)
        let order = Self.stableOrder(bySourceLine, by: followedPiece, bucketCount: table.followed.count)
        ordered.reserveCapacity(hits.count)
        for (place, hit) in order.enumerated() {
            ordered.append(hits[hit])
            let key = CandidateKey(
                queryLine: queryLine[hit], piece: table.followed[followedPiece[hit]], sourceLine: sourceLine[hit])
            if let last = groups.last, last.key == key {
                groups[groups.count - 1].hits = last.hits.lowerBound..<(place + 1)
            } else {
                groups.append(Group(key: key, hits: place..<(place + 1)))
            }
        }
    }

    /// `indices` stably sorted by their `keys` (each in 0..<bucketCount): a counting sort.
    static func stableOrder(_ indices: [Int], by keys: [Int], bucketCount: Int) -> [Int] {
        // [bucketCount + 1] where each key's indices start in the result.
        var starts = [Int](repeating: 0, count: bucketCount + 1)
        for index in indices { starts[keys[index] + 1] += 1 }
        for bucket in 0..<bucketCount { starts[bucket + 1] += starts[bucket] }
        var sorted = [Int](repeating: 0, count: indices.count)  // [indices.count]
        for index in indices {
            sorted[starts[keys[index]]] = index
            starts[keys[index]] += 1
        }
        return sorted
    }

    func hits(of group: Int) -> [Hit] { Array(ordered[groups[group].hits]) }

    /// The most seed weight the group holds in one passage: a band of 16 diagonals over a
    /// stretch of 64 query notes. Each passage's weights are added in the order the hits were
    /// found.
    func strongestPassage(of group: Int) -> Float {
        // [group's hits] (diagonal band, query stretch, order found) of each hit, sorted.
        let passages = ordered[groups[group].hits].enumerated().map { order, hit in
            (diagonal: (hit.source - hit.query) >> 4, stretch: hit.query >> 6, order: order, weight: hit.weight)
        }
        .sorted { ($0.diagonal, $0.stretch, $0.order) < ($1.diagonal, $1.stretch, $1.order) }
        var strongest: Float = 0, running: Float = 0
        for (index, passage) in passages.enumerated() {
            let continues =
                index > 0 && passages[index - 1].diagonal == passage.diagonal
                && passages[index - 1].stretch == passage.stretch
            running = continues ? running + passage.weight : passage.weight
            strongest = max(strongest, running)
        }
        return strongest
    }
}

/// Document frequencies of the runs that aligned passages share whole: the query's seeds' as
/// retrieval counted them, and the rest (a source's runs that the query holds only with notes
/// inserted) looked up once, counts only. Kept in an open-addressing table keyed by seed, as
/// rescoring asks for each run's count and its parts' once a passage.
struct SharedRunFrequencies {
    /// [capacity] each slot's seed, meaningful where `counts` is not -1.
    private var seeds: [SeedKey]
    /// [capacity] each slot's document frequency; -1 for an empty slot.
    private var counts: [Int]
    /// Bits of a slot number: the capacity is a power of two, at least twice the runs.
    private let bits: Int

    init(runs: [SeedKey], querySeeds: [SeedKey], queryFrequencies: [Int], catalogue: some SeedCatalogue) throws {
        var bits = 4
        while 1 << bits < 2 * runs.count { bits += 1 }
        self.bits = bits
        seeds = [SeedKey](repeating: 0, count: 1 << bits)
        counts = [Int](repeating: -1, count: 1 << bits)
        var others: [SeedKey] = []  // [runs the query does not hold] distinct
        for seed in runs {
            let slot = self.slot(of: seed)
            guard counts[slot] < 0 else { continue }
            seeds[slot] = seed
            if let query = QuerySeeds.index(of: seed, in: querySeeds) {
                counts[slot] = queryFrequencies[query]
            } else {
                counts[slot] = 0
                others.append(seed)
            }
        }
        guard !others.isEmpty else { return }
        others.sort()
        for (seed, count) in zip(others, try catalogue.documentFrequencies(of: others)) {
            counts[slot(of: seed)] = count
        }
    }

    /// The slot holding `seed`, or the empty one where it would go: linear probing from a
    /// multiplicative hash.
    private func slot(of seed: SeedKey) -> Int {
        var slot = Int(truncatingIfNeeded: (seed &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
        while counts[slot] >= 0 && seeds[slot] != seed { slot = (slot + 1) & ((1 << bits) - 1) }
        return slot
    }

    /// A run's document frequency: 0 for a seed that is not one of the runs.
    subscript(seed: SeedKey) -> Int { max(0, counts[slot(of: seed)]) }
}
