import Testing
import Utilities

/// Results come back in input order whatever order the workers finish in, and nothing the
/// work captured is kept once `run` returns (an index connection held by a finished worker
/// once kept a database's write-ahead log in use after its folder was moved).
@Suite struct OrderedParallelMapTests {
    final class Captured: Sendable {}

    @Test func resultsComeInInputOrder() throws {
        var seen: [Int] = []
        try OrderedParallelMap.run(
            count: 200, jobs: 3, window: 16, work: { index in index * index },
            consume: { index, square in
                #expect(square == index * index)
                seen.append(index)
            })
        #expect(seen == Array(0..<200))
    }

    @Test func nothingTheWorkCapturedOutlivesTheRun() throws {
        weak var released: Captured?
        do {
            let captured = Captured()
            released = captured
            try OrderedParallelMap.run(
                count: 64, jobs: 2, work: { index in withExtendedLifetime(captured) { index } },
                consume: { _, _ in })
        }
        #expect(released == nil)
    }
}
