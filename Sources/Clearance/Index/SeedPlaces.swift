/// A piece's seed places as a segment is built from them: each place one integer,
/// seed << 32 | `Posting.location`. A seed is below 2^31 (`Seed.value` is a non-negative
/// `Int32`), so ordering the integers orders the places by seed, then line, then position —
/// the order a segment lists them in — with one integer comparison.
///
/// The reading threads list and sort each piece's places (`listed`); the thread that writes a
/// batch merges the pieces' sorted lists seed by seed (`merge`) straight into the segment, so
/// the batch's places are never gathered into one array and sorted again.
enum SeedPlaces {
    /// Every seed place of `piece`, ascending.
    static func listed(_ piece: ClearancePiece) -> [UInt64] {
        // (places) seed << 32 | location, line by line.
        var places: [UInt64] = []
        places.reserveCapacity(piece.lines.reduce(0) { $0 + 4 * $1.notes.count })
        for (lineIndex, line) in piece.lines.enumerated() where lineIndex <= Posting.largestLine {
            for seed in Seeds.seeds(of: line.pitches) where seed.position <= Posting.largestPosition {
                precondition(seed.value >= 0, "seeds are non-negative")
                let location = Posting(piece: 0, line: Int32(lineIndex), position: seed.position).location
                places.append(seed.key << 32 | UInt64(location))
            }
        }
        sort(&places)
        return places
    }

    /// Bits of the seed sorted by one radix pass, and the passes that cover the upper 32 bits.
    static let digitBits = 11
    static let passes = 3

    /// Sorts places ascending: stable least-significant-digit radix passes over the seed (the
    /// upper 32 bits), a pass skipped when every place has the same digit, then an insertion
    /// pass that puts each run of one seed in place order. Places are listed line by line and
    /// each seed family position by position, so a run is out of order only where two families'
    /// hashed seeds collide: the insertion pass moves almost nothing. `Array.sort` is the
    /// reference it is tested against.
    static func sort(_ places: inout [UInt64]) {
        let count = places.count
        guard count > 1 else { return }
        let buckets = 1 << digitBits, mask = UInt64(buckets - 1)
        // (passes × buckets) how many places have each digit, then where each digit's go.
        var starts = [Int](repeating: 0, count: passes * buckets)
        // (count) the other half of each pass.
        var other = [UInt64](repeating: 0, count: count)
        var swapped = false
        places.withUnsafeMutableBufferPointer { places in
            other.withUnsafeMutableBufferPointer { other in
                starts.withUnsafeMutableBufferPointer { starts in
                    for place in places {
                        for pass in 0..<passes {
                            starts[pass * buckets + Int(place >> UInt64(32 + pass * digitBits) & mask)] += 1
                        }
                    }
                    var source = places, target = other
                    for pass in 0..<passes {
                        let shift = UInt64(32 + pass * digitBits), base = pass * buckets
                        let digit = Int(source[0] >> shift & mask)
                        if starts[base + digit] == count { continue }
                        var total = 0
                        for bucket in base..<(base + buckets) {
                            (starts[bucket], total) = (total, total + starts[bucket])
                        }
                        for place in source {
                            let bucket = base + Int(place >> shift & mask)
                            target[starts[bucket]] = place
                            starts[bucket] += 1
                        }
                        swap(&source, &target)
                        swapped.toggle()
                    }
                    insertionSort(source)
                }
            }
        }
        if swapped { swap(&places, &other) }
    }

    /// Sorts nearly sorted places in place: each out of order one moved back to where it belongs.
    private static func insertionSort(_ places: UnsafeMutableBufferPointer<UInt64>) {
        for index in places.indices.dropFirst() where places[index] < places[index - 1] {
            let place = places[index]
            var hole = index
            while hole > 0 && places[hole - 1] > place {
                places[hole] = places[hole - 1]
                hole -= 1
            }
            places[hole] = place
        }
    }

    /// Hands `body` every seed of the pieces' places whose keys (seed << 32 | location) lie in
    /// `keys`, ascending, with its postings (piece << 32 | location) in piece then place order:
    /// the pieces' sorted lists merged through a loser tree, a piece's places of one seed
    /// taken together. The merge state lives in buffers of its own: arrays captured by the loop
    /// would be checked for exclusive access at every step.
    static func merge(
        _ pieces: [(id: UInt64, places: [UInt64])], keys: Range<UInt64> = 0..<UInt64.max,
        _ body: (SeedKey, UnsafeBufferPointer<UInt64>) throws -> Void
    ) rethrows {
        let runs = pieces.sorted { $0.id < $1.id }
        precondition(runs.count < 1 << 32, "a batch holds fewer than 2^32 pieces")
        // (runs) each run's places within `keys`.
        let stretches = runs.map { run in
            run.places.lowerBound(of: keys.lowerBound)..<run.places.lowerBound(of: keys.upperBound)
        }
        // (runs + 1) where each run starts in `flat`, and where the last ends.
        let starts = stretches.reduce(into: [0]) { $0.append($0[$0.count - 1] + $1.count) }
        // (places within `keys`) every run's, run after run.
        let flat = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: starts[runs.count])
        for (run, stretch) in stretches.enumerated() {
            _ = UnsafeMutableBufferPointer(rebasing: flat[starts[run]...]).initialize(
                fromContentsOf: runs[run].places[stretch])
        }
        // A loser tree: each run's next seed << 32 | the run's rank is its key, so ties go to the
        // lower piece id, and an exhausted run's key is `.max`. Each inner node keeps the loser
        // of the match played there; the winner climbs in a register, so replaying a run's path
        // reads one node a level and never waits on the node just written.
        var size = 1
        while size < runs.count { size *= 2 }
        // (size) the losers at nodes 1 up to size − 1; node 0 holds the overall winner.
        let losers = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: size)
        // (runs) how far each run has been read.
        let next = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(runs.count, 1))
        // (grows to the most places of one seed) the postings of the seed being gathered.
        var postings = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 1024)
        defer {
            flat.deallocate()
            losers.deallocate()
            next.deallocate()
            postings.deallocate()
        }
        let pieceBits = runs.map { $0.id << 32 }
        func head(_ run: Int) -> UInt64 {
            next[run] < starts[run + 1] ? flat[next[run]] & 0xFFFF_FFFF_0000_0000 | UInt64(run) : .max
        }
        do {
            // (2 × size) the winner of every node, leaves from `size` on: only to fill the tree.
            let winners = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 2 * size)
            defer { winners.deallocate() }
            winners.initialize(repeating: .max)
            for run in runs.indices {
                next[run] = starts[run]
                winners[size + run] = head(run)
            }
            for node in stride(from: size - 1, through: 1, by: -1) {
                winners[node] = min(winners[2 * node], winners[2 * node + 1])
                losers[node] = max(winners[2 * node], winners[2 * node + 1])
            }
            losers[0] = winners[1]
        }
        var seed = losers[0] >> 32, count = 0
        while losers[0] != .max {
            let run = Int(losers[0] & 0xFFFF_FFFF)
            if losers[0] >> 32 != seed {
                try body(seed, UnsafeBufferPointer(rebasing: postings[..<count]))
                count = 0
                seed = losers[0] >> 32
            }
            let piece = pieceBits[run], end = starts[run + 1]
            var position = next[run]
            while position < end && flat[position] >> 32 == seed {
                if count == postings.count {
                    let larger = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 2 * count)
                    _ = larger.initialize(fromContentsOf: postings)
                    postings.deallocate()
                    postings = larger
                }
                postings[count] = piece | flat[position] & 0xFFFF_FFFF
                count += 1
                position += 1
            }
            next[run] = position
            var winner = head(run), node = (size + run) / 2
            while node > 0 {
                if losers[node] < winner { swap(&losers[node], &winner) }
                node /= 2
            }
            losers[0] = winner
        }
        if count > 0 { try body(seed, UnsafeBufferPointer(rebasing: postings[..<count])) }
    }

    /// Keys that split the batch's places into `parts` stretches of about equal size, each
    /// holding whole seeds (a bound is a seed << 32): `parts` + 1 keys or fewer, from 0 to
    /// `.max`. The sizes are judged from every 64th place.
    static func bounds(_ pieces: [(id: UInt64, places: [UInt64])], parts: Int) -> [UInt64] {
        // (places / 64) the seeds of a sample of places, as keys.
        var sample: [UInt64] = []
        for piece in pieces {
            for place in stride(from: 0, to: piece.places.count, by: 64) {
                sample.append(piece.places[place] & 0xFFFF_FFFF_0000_0000)
            }
        }
        sample.sort()
        var bounds: [UInt64] = [0]
        for part in 1..<max(parts, 1) where !sample.isEmpty {
            let bound = sample[sample.count * part / parts]
            if bound > bounds[bounds.count - 1] { bounds.append(bound) }
        }
        bounds.append(.max)
        return bounds
    }

    /// One stretch of a batch's seeds, ascending, with their postings encoded as a segment
    /// stores them (`SegmentWriter.encode`): what one thread makes of a part of the batch, to
    /// be copied into the segment file in order.
    struct EncodedStretch: Sendable {
        var seeds: [SeedKey] = []
        /// Per seed, the pieces holding it.
        var pieces: [Int] = []
        /// (seeds + 1) where each seed's postings start in `bytes`, and where the last ends.
        var starts = [0]
        var bytes: [UInt8] = []
    }

    /// The batch's seeds within `keys` merged and encoded.
    static func encoded(_ pieces: [(id: UInt64, places: [UInt64])], keys: Range<UInt64>) -> EncodedStretch {
        var stretch = EncodedStretch()
        // (3 varints a posting of the longest list so far) one seed's postings encoded.
        var scratch: [UInt8] = []
        merge(pieces, keys: keys) { seed, postings in
            let (length, holders) = SegmentWriter.encode(postings, into: &scratch)
            stretch.seeds.append(seed)
            stretch.pieces.append(holders)
            stretch.bytes.append(contentsOf: scratch[..<length])
            stretch.starts.append(stretch.bytes.count)
        }
        return stretch
    }

    /// The reference `merge` is tested against: every place of the batch in one array, sorted.
    static func naiveMerge(
        _ pieces: [(id: UInt64, places: [UInt64])], _ body: (SeedKey, UnsafeBufferPointer<UInt64>) throws -> Void
    ) throws {
        // (seed, posting) every place of the batch.
        let all = pieces.flatMap { piece in piece.places.map { ($0 >> 32, piece.id << 32 | $0 & 0xFFFF_FFFF) } }
            .sorted { $0 < $1 }
        var start = 0
        while start < all.count {
            var end = start + 1
            while end < all.count && all[end].0 == all[start].0 { end += 1 }
            try all[start..<end].map(\.1).withUnsafeBufferPointer { try body(all[start].0, $0) }
            start = end
        }
    }
}

extension Array where Element == UInt64 {
    /// The index of the first element not below `value` in this ascending array.
    fileprivate func lowerBound(of value: UInt64) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
