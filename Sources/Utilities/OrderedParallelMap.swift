import Foundation

/// Runs `work` on every index with `jobs` threads and hands the results to `consume`
/// on the calling thread in index order, so decisions that depend on earlier files
/// (duplicates) are the same whatever the timing. Workers run at most `window` items
/// ahead of the consumer, which bounds the memory held by finished results.
public final class OrderedParallelMap<Output: Sendable>: @unchecked Sendable {
    // Every mutable field is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var results: [Output?]
    private var nextToStart = 0
    private var consumed = 0
    private var cancelled = false
    private var runningWorkers = 0
    /// Held here, not by the threads' blocks: a finished `Thread` lets go of its block some
    /// time after `run` returns, and whatever `work` captured (an open index, say) would live
    /// that long. Set before the threads start and cleared once every worker has stopped.
    private var work: (@Sendable (Int) -> Output)?

    private init(count: Int, work: @escaping @Sendable (Int) -> Output) {
        results = Array(repeating: nil, count: count)
        self.work = work
    }

    public static func run(
        count: Int, jobs: Int, window: Int = 256,
        work: @escaping @Sendable (Int) -> Output,
        consume: (Int, Output) throws -> Void
    ) throws {
        let map = OrderedParallelMap(count: count, work: work)
        map.runningWorkers = max(1, jobs)
        for _ in 0..<map.runningWorkers {
            let thread = Thread { map.workLoop(window: window) }
            thread.stackSize = 8 << 20
            thread.start()
        }
        defer { map.cancelAndJoin() }
        for index in 0..<count {
            let output = map.take(index)
            try consume(index, output)
        }
    }

    private func workLoop(window: Int) {
        while true {
            condition.lock()
            while !cancelled && nextToStart < results.count && nextToStart >= consumed + window { condition.wait() }
            guard !cancelled && nextToStart < results.count else {
                runningWorkers -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let index = nextToStart
            nextToStart += 1
            // Taken per item, so no reference outlives the item: none is left when the worker stops.
            let work = self.work!
            condition.unlock()
            let output = work(index)
            condition.lock()
            results[index] = output
            condition.broadcast()
            condition.unlock()
        }
    }

    private func take(_ index: Int) -> Output {
        condition.lock()
        defer { condition.unlock() }
        while results[index] == nil { condition.wait() }
        let output = results[index]!
        results[index] = nil
        consumed = index + 1
        condition.broadcast()
        return output
    }

    private func cancelAndJoin() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while runningWorkers > 0 { condition.wait() }
        work = nil
        condition.unlock()
    }
}
