import Foundation
import Testing

@testable import Clearance

@Suite struct PostingSegmentTests {
    /// A segment of 20,000 seeds (1,250 directory blocks over 20 stretches of the sparse
    /// directory), asked for a third of its seeds, seeds between them, and seeds below its first
    /// and above its last: the side-by-side look-ups find exactly what one-by-one look-ups find.
    @Test func findingSeedsSideBySideFindsWhatFindingThemOneByOneFinds() throws {
        let folder = try Melodies.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("postings-test.seg").path
        var state: UInt64 = 7
        func next(_ bound: UInt64) -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (state >> 33) % bound
        }
        let writer = try SegmentWriter(path: path)
        var stored: [SeedKey] = []
        var seed: SeedKey = 5
        for number in 0..<20_000 {
            seed += 1 + next(40)
            stored.append(seed)
            try writer.add(seed, postings: (0..<UInt64(1 + number % 3)).map { $0 << 32 | UInt64(number % 1_000) })
        }
        _ = try writer.finish()
        let segment = try PostingSegment(path: path)
        #expect(segment.seedCount == stored.count)

        var asked: Set<SeedKey> = [0, 4, 5, stored[0], stored.last! + 1, .max]
        for seed in stored where next(3) == 0 {
            asked.insert(seed)
            asked.insert(seed + 1)
        }
        let sorted = asked.sorted()
        func description(_ index: Int, _ entry: PostingSegment.Entry) -> String {
            "\(index) \(entry.seed) \(entry.pieces) \(entry.postings)"
        }
        var sideBySide: [String] = [], oneByOne: [String] = []
        try segment.find(sorted: sorted) { sideBySide.append(description($0, $1)) }
        try segment.findOneByOne(sorted: sorted) { oneByOne.append(description($0, $1)) }
        #expect(sideBySide == oneByOne)
        #expect(sideBySide.count == asked.intersection(stored).count)
        #expect(sideBySide.count > 6_000)
        var nothing: [String] = []
        try segment.find(sorted: []) { nothing.append(description($0, $1)) }
        #expect(nothing.isEmpty)
    }
}
