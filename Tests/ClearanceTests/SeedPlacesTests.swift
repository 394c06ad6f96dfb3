import Foundation
import Testing

@testable import Clearance

/// The index's fast paths against their references: the radix sort of a piece's seed places
/// against `Array.sort`, the tournament merge of a batch against one sorted array.
@Suite struct SeedPlacesTests {
    /// Random places: `distinctSeeds` seeds spread over all 31 bits (or few, so many repeat)
    /// at random lines and positions.
    static func places(count: Int, distinctSeeds: Int, seed: UInt64) -> [UInt64] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        let seeds = (0..<distinctSeeds).map { _ in next() & 0x7FFF_FFFF }
        return (0..<count).map { _ in
            seeds[Int(next() % UInt64(distinctSeeds))] << 32 | (next() & 0x3F) << 20 | next() & 0xFFF
        }
    }

    @Test(arguments: [(0, 1), (1, 1), (2, 1), (500, 3), (5_000, 40), (20_000, 20_000), (20_000, 2)])
    func radixSortIsTheReferenceSort(count: Int, distinctSeeds: Int) {
        var places = Self.places(count: count, distinctSeeds: distinctSeeds, seed: UInt64(count + distinctSeeds))
        let expected = places.sorted()
        SeedPlaces.sort(&places)
        #expect(places == expected)
    }

    /// Seeds that differ only in their low digit, or only in their high one: the skipped passes.
    @Test func radixSortSkipsOnlyPassesThatChangeNothing() {
        let low: [UInt64] = (0..<300).map { UInt64(($0 * 7919) % 300) << 32 | UInt64($0 % 5) }
        let high: [UInt64] = (0..<300).map { UInt64(($0 * 7919) % 300) << 53 | UInt64($0 % 7) }
        for input in [low, high] {
            var places = input
            SeedPlaces.sort(&places)
            #expect(places == input.sorted())
        }
    }

    /// A real piece's places: listed from its lines, sorted as `Array.sort` sorts them.
    @Test func aPiecesPlacesAreSortedBySeedThenPlace() {
        let piece = Melodies.piece(
            Melodies.melody(seed: 21, count: 200, lowest: 72) + Melodies.melody(seed: 22, count: 150, lowest: 40))
        let places = SeedPlaces.listed(piece)
        #expect(places == places.sorted())
        let expected = piece.lines.enumerated().flatMap { line, melodicLine in
            Seeds.seeds(of: melodicLine.pitches).map { $0.key << 32 | UInt64(line) << 20 | UInt64($0.position) }
        }
        #expect(places == expected.sorted())
    }

    @Test func mergeIsTheReferenceMerge() throws {
        // Pieces given out of id order, one empty, seeds shared between pieces and repeated within one.
        let ids: [UInt64] = [9, 3, 4, 100, 7, 12]
        let pieces = ids.enumerated().map { number, id in
            (
                id: id,
                places: number == 4
                    ? []
                    : (Self.places(count: 900 * number, distinctSeeds: 3, seed: 5)
                        + Self.places(count: 300 * number, distinctSeeds: 2_000, seed: 6)).sorted()
            )
        }
        var merged: [(SeedKey, [UInt64])] = [], expected: [(SeedKey, [UInt64])] = []
        SeedPlaces.merge(pieces) { merged.append(($0, Array($1))) }
        try SeedPlaces.naiveMerge(pieces) { expected.append(($0, Array($1))) }
        #expect(expected.contains { $0.1.count > 1024 })
        #expect(merged.map(\.0) == expected.map(\.0))
        #expect(merged.map(\.1) == expected.map(\.1))
        var none = 0
        SeedPlaces.merge([(id: 1, places: [])]) { _, _ in none += 1 }
        #expect(none == 0)
    }

    /// A batch's segment file: the same bytes whatever the number of threads encoding it, and
    /// the same as writing the reference merge's seeds one by one.
    @Test func theSegmentIsTheSameWhateverTheThreads() throws {
        let folder = try Melodies.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let batch = (0..<12).map { number in
            ClearanceIndex.NewPiece(
                path: "tune\(number).mid", size: 0, modified: 0,
                piece: Melodies.piece(
                    Melodies.melody(seed: UInt64(50 + number % 5), count: 120, lowest: 70)
                        + Melodies.melody(seed: UInt64(60 + number), count: 90, lowest: 40)))
        }
        let ids = (0..<UInt64(batch.count)).map { 3 * $0 + 1 }
        let reference = folder.appendingPathComponent("reference.seg").path
        let writer = try SegmentWriter(path: reference)
        try SeedPlaces.naiveMerge(zip(ids, batch).map { (id: $0, places: $1.places) }) {
            try writer.add($0, postings: $1)
        }
        _ = try writer.finish()
        let expected = try Data(contentsOf: URL(fileURLWithPath: reference))
        for threads in [1, 2, 3] {
            let path = folder.appendingPathComponent("threads\(threads).seg").path
            _ = try ClearanceIndex.writeSegment(of: batch, ids: ids, to: path, threads: threads)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == expected, "\(threads) threads")
        }
        #expect(try PostingSegment(path: reference).seedCount > 1_000)
    }
}
