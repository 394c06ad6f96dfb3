import Foundation

/// Renders many files on several threads, one synthesizer per worker (FluidSynth
/// synths are single-threaded), each worker taking the next file when it is free.
/// The largest files go first so that no worker is left with a long file while the
/// others sit idle at the end.
public enum BatchRenderer {
    public struct Outcome: Sendable {
        public var job: RenderJob
        /// The report, or why the job failed.
        public var result: Result<RenderReport, any Error>
    }

    /// Runs every job; `finished` is called (serially, on a worker thread) as each
    /// one completes, with how many are done. Outcomes come back in job order.
    public static func run(
        _ jobs: [RenderJob], soundfont: String, options: RenderOptions, workers: Int,
        finished: @escaping @Sendable (Outcome, _ done: Int) -> Void = { _, _ in }
    ) -> [Outcome] {
        let queue = WorkQueue(jobs: jobs, finished: finished)
        let threads = max(1, min(workers, jobs.count))
        let group = DispatchGroup()
        for _ in 0..<threads {
            group.enter()
            let thread = Thread {
                work(queue: queue, soundfont: soundfont, options: options)
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return queue.outcomes
    }

    private static func work(queue: WorkQueue, soundfont: String, options: RenderOptions) {
        let renderer = Result { try OfflineRenderer(soundfont: soundfont, options: options) }
        while let (index, job) = queue.next() {
            let result = Result { try job.perform(with: renderer.get(), soundfont: soundfont) }
            queue.record(Outcome(job: job, result: result), at: index)
        }
    }
}

/// The jobs still to take and the outcomes so far, shared by the workers under a lock.
private final class WorkQueue: @unchecked Sendable {
    private let lock = NSLock()
    private let jobs: [RenderJob]
    /// Indices into `jobs`, largest input first.
    private let order: [Int]
    private var nextIndex = 0
    private var done = 0
    private var results: [Outcome?]
    private let finished: @Sendable (BatchRenderer.Outcome, Int) -> Void

    typealias Outcome = BatchRenderer.Outcome

    init(jobs: [RenderJob], finished: @escaping @Sendable (Outcome, Int) -> Void) {
        self.jobs = jobs
        let sizes = jobs.map { (try? FileManager.default.attributesOfItem(atPath: $0.input)[.size] as? Int) ?? 0 }
        self.order = jobs.indices.sorted { (sizes[$0], $1) > (sizes[$1], $0) }
        self.results = Array(repeating: nil, count: jobs.count)
        self.finished = finished
    }

    func next() -> (Int, RenderJob)? {
        lock.withLock {
            guard nextIndex < order.count else { return nil }
            defer { nextIndex += 1 }
            return (order[nextIndex], jobs[order[nextIndex]])
        }
    }

    func record(_ outcome: Outcome, at index: Int) {
        lock.withLock {
            results[index] = outcome
            done += 1
            finished(outcome, done)
        }
    }

    var outcomes: [Outcome] { lock.withLock { results.compactMap { $0 } } }
}
