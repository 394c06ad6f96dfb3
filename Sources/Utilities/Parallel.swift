import Dispatch
import Foundation

/// Splits one job a caller waits on over the cores: element-wise kernel work (`forRanges`)
/// and the parts of a single clearance check (`map`). Each chunk or part writes its own
/// outputs, so the result does not depend on scheduling. `OrderedParallelMap` streams many
/// inputs through long-lived workers instead.
public enum Parallel {
    /// The cores this process may use.
    public static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `body` on contiguous sub-ranges of `0..<count`; runs inline when the work is
    /// too small to pay for waking another thread.
    public static func forRanges(_ count: Int, minimumPerChunk: Int, _ body: (Range<Int>) -> Void) {
        let chunks = min(cores, count / max(minimumPerChunk, 1))
        if chunks <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = count * chunk / chunks
                let end = count * (chunk + 1) / chunks
                shared.value(start..<end)
            }
        }
    }

    /// Calls `body` once per index in `0..<count`, spread over the cores.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        forRanges(count, minimumPerChunk: 1) { range in range.forEach(body) }
    }

    /// `work(part)` for every part of `0..<parts`, as many at once as there are cores; the
    /// results in part order, the first error (in part order) thrown. One part runs on the
    /// calling thread. The parts may only read what they share (the caller's arrays, an
    /// index's mapped files): nothing checks that for them, as a `@Sendable` closure would.
    public static func map<Output>(parts: Int, _ work: (Int) throws -> Output) throws -> [Output] {
        guard parts > 1 else { return try (0..<parts).map(work) }
        var results = [Result<Output, any Error>?](repeating: nil, count: parts)
        withoutActuallyEscaping(work) { work in
            results.withUnsafeMutableBufferPointer { slots in
                // Each part writes its own slot only.
                let shared = UncheckedSendable((work: work, slots: slots))
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    shared.value.slots[part] = Result { try shared.value.work(part) }
                }
            }
        }
        return try results.map { try $0!.get() }
    }
}

/// Hands a value the compiler cannot prove thread-safe to worker threads that only
/// touch disjoint parts of it.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}
