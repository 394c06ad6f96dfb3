import Dispatch
import Foundation

/// Splits element-wise work over the cores. Each chunk writes its own outputs, so the
/// result does not depend on scheduling.
public enum Parallel {
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
}

/// Hands a value the compiler cannot prove thread-safe to worker threads that only
/// touch disjoint parts of it.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
