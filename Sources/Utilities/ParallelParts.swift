import Dispatch
import Foundation

/// One job a caller waits on, cut into independent parts that run side by side: a single
/// clearance check's look-ups and alignments. `OrderedParallelMap` streams many inputs
/// through long-lived workers; this is for milliseconds of work, where starting threads
/// would cost more than the parts save.
public enum ParallelParts {
    /// `work(part)` for every part of `0..<parts`, as many at once as the machine has cores;
    /// the results in part order, the first error (in part order) thrown. One part runs on
    /// the calling thread. The parts may only read what they share (the caller's arrays, an
    /// index's mapped files): nothing checks that for them, as a `@Sendable` closure would.
    public static func map<Output>(parts: Int, _ work: (Int) throws -> Output) throws -> [Output] {
        guard parts > 1 else { return try (0..<parts).map(work) }
        var results = [Result<Output, any Error>?](repeating: nil, count: parts)
        withoutActuallyEscaping(work) { work in
            results.withUnsafeMutableBufferPointer { slots in
                let shared = Shared(work: work, slots: slots)
                DispatchQueue.concurrentPerform(iterations: parts) { shared.run($0) }
            }
        }
        return try results.map { try $0!.get() }
    }

    /// Threads a caller may ask for by default: the cores this process may use.
    public static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// The work and the results, handed to every part: each part writes its own slot only.
    private struct Shared<Output>: @unchecked Sendable {
        let work: (Int) throws -> Output
        let slots: UnsafeMutableBufferPointer<Result<Output, any Error>?>

        func run(_ part: Int) { slots[part] = Result { try work(part) } }
    }
}
