import Foundation
import Testing
import Utilities

@Suite struct ParallelTests {
    struct PartFailed: Error, Equatable { var part: Int }

    /// Each part's result lands in its own place whatever order the parts finish in: later
    /// parts are made to finish first.
    @Test func resultsComeBackInPartOrder() throws {
        let results = try Parallel.map(parts: 6) { part -> [Int] in
            usleep(UInt32(6 - part) * 2_000)
            return Array(part * 10..<(part * 10 + part))
        }
        #expect(results == (0..<6).map { Array($0 * 10..<($0 * 10 + $0)) })
    }

    /// Every part runs even when one fails, and the error thrown is that of the first failing
    /// part in part order, not the first to fail in time.
    @Test func theFirstFailingPartInOrderIsThrown() {
        let ran = NSLock()
        var finished = Set<Int>()
        #expect(throws: PartFailed(part: 1)) {
            _ = try Parallel.map(parts: 4) { part -> Int in
                if part == 3 { throw PartFailed(part: 3) }
                if part == 1 {
                    usleep(5_000)
                    throw PartFailed(part: 1)
                }
                ran.withLock { _ = finished.insert(part) }
                return part
            }
        }
        #expect(finished == [0, 2])
    }

    @Test func oneOrNoPartsRunOnTheCallingThread() throws {
        let caller = Thread.current
        #expect(try Parallel.map(parts: 1) { _ in Thread.current == caller } == [true])
        #expect(try Parallel.map(parts: 0) { $0 }.isEmpty)
    }
}
