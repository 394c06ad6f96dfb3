import Foundation
import Utilities

/// A file to index, and the name the index reports it under (a corpus's clean copy is
/// reported by the source path it was made from).
public struct IndexInput: Hashable, Sendable {
    public var file: String
    public var name: String

    public init(file: String, name: String) {
        self.file = file
        self.name = name
    }
}

/// What happened to one input.
public struct IndexedFile: Sendable, Encodable {
    public enum Outcome: String, Sendable, Encodable {
        case indexed, unchanged, failed
    }

    public var file: String
    public var outcome: Outcome
    public var notes: Int?
    public var error: String?
}

/// The totals of one indexing run.
public struct IndexSummary: Sendable, Encodable {
    public var index: String
    public var indexed = 0
    public var unchanged = 0
    public var failed = 0
    public var pieces = 0
    public var baselinePieces = 0
    public var seconds = 0.0
    public var baselineSeconds = 0.0

    enum CodingKeys: String, CodingKey {
        case index, indexed, unchanged, failed, pieces, seconds
        case baselinePieces = "baseline_pieces"
        case baselineSeconds = "baseline_seconds"
    }
}

/// Adds files to an index: reads them on several threads, stores them in batches (one
/// transaction each), skips files whose size and modification time are unchanged since
/// they were stored, then measures the baseline again if anything changed.
public enum Indexer {
    public static let batchSize = 512

    /// - Parameter measureBaseline: false leaves the baseline to the caller (a benchmark timing
    ///   it apart); the index then refuses checks until one is saved.
    /// - Parameter batchSize: pieces stored per transaction (tests make it small to store many batches).
    public static func run(
        _ inputs: [IndexInput], into folder: String, jobs: Int, baselineSample: Int = Calibration.defaultSample,
        measureBaseline: Bool = true, batchSize: Int = batchSize,
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }, fileDone: (IndexedFile) -> Void = { _ in }
    ) throws -> IndexSummary {
        let started = ContinuousClock.now
        let index = try ClearanceIndex.openForWriting(folder: folder)
        let stored = try index.storedFiles()
        var summary = IndexSummary(index: index.path)
        var batch: [ClearanceIndex.NewPiece] = []
        var pending: [IndexedFile] = []
        let writer = BatchWriter(index: index, threads: jobs)
        defer { writer.stop() }
        try OrderedParallelMap.run(
            count: inputs.count, jobs: jobs,
            work: { position in
                read(inputs[position], stored: stored[inputs[position].name])
            },
            consume: { position, outcome in
                switch outcome {
                case .success(let piece?):
                    batch.append(piece)
                    summary.indexed += 1
                    pending.append(
                        IndexedFile(file: inputs[position].name, outcome: .indexed, notes: piece.piece.noteCount))
                    if batch.count >= batchSize {
                        try writer.submit(batch, files: pending).forEach(fileDone)
                        batch.removeAll()
                        pending.removeAll()
                    }
                case .success(nil):
                    summary.unchanged += 1
                    fileDone(IndexedFile(file: inputs[position].name, outcome: .unchanged))
                case .failure(let error):
                    summary.failed += 1
                    fileDone(IndexedFile(file: inputs[position].name, outcome: .failed, error: "\(error)"))
                }
                progress(position + 1, inputs.count)
            })
        if !batch.isEmpty { try writer.submit(batch, files: pending).forEach(fileDone) }
        try writer.finish().forEach(fileDone)
        if summary.indexed > 0 { try index.compact() }
        summary.seconds = seconds(since: started)
        summary.pieces = try index.pieceCount()
        let needsBaseline = summary.indexed > 0 || (try? index.baseline()) == nil
        if measureBaseline && needsBaseline && summary.pieces > 0 {
            let baselineStarted = ContinuousClock.now
            let baseline = try Calibration.measure(index, sample: baselineSample, jobs: jobs)
            try index.saveBaseline(baseline)
            summary.baselineSeconds = seconds(since: baselineStarted)
        }
        summary.baselinePieces = (try? index.baseline().scores.count) ?? 0
        try index.checkpoint()
        return summary
    }

    /// The file read into lines, nil when it is stored unchanged, or why it cannot be read.
    private static func read(_ input: IndexInput, stored: ClearanceIndex.StoredFile?) -> Result<
        ClearanceIndex.NewPiece?, any Error
    > {
        Result {
            let attributes = try FileManager.default.attributesOfItem(atPath: input.file)
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            if let stored, stored.size == size, stored.modified == modified { return nil }
            let piece = try ClearancePiece(contentsOf: input.file)
            return ClearanceIndex.NewPiece(path: input.name, size: size, modified: modified, piece: piece)
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}

/// Stores batches on a thread of its own while the reading threads go on reading the next: the
/// caller hands a batch over and waits only while the one before is still being stored, so at
/// most two batches are held. Each batch is still one transaction (`ClearanceIndex.add`): a
/// stopped run keeps the batches stored before it stopped.
private final class BatchWriter: @unchecked Sendable {
    /// Threads that encode a batch's postings.
    private let threads: Int
    // Every field below is read and written only while `condition` is locked.
    private let condition = NSCondition()
    /// Let go of when the thread ends: a finished `Thread` keeps its block (and so this writer)
    /// for a while, and an index kept open keeps its write-ahead log in use.
    private var index: ClearanceIndex?
    /// The batch handed over and not yet stored, with the files to report once it is.
    private var handedOver: (batch: [ClearanceIndex.NewPiece], files: [IndexedFile])?
    private var writing = false
    private var closed = false
    private var running = true
    private var failure: (any Error)?
    /// Files of the batches stored since the caller last asked.
    private var stored: [IndexedFile] = []

    init(index: ClearanceIndex, threads: Int) {
        self.index = index
        self.threads = threads
        let thread = Thread { [self] in writeLoop() }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Hands `batch` over once the batch before it is stored; returns the files of the batches
    /// stored since the last call, or throws the error that stopped storing.
    func submit(_ batch: [ClearanceIndex.NewPiece], files: [IndexedFile]) throws -> [IndexedFile] {
        condition.lock()
        defer { condition.unlock() }
        while (handedOver != nil || writing) && failure == nil { condition.wait() }
        if let failure { throw failure }
        handedOver = (batch, files)
        condition.broadcast()
        defer { stored.removeAll() }
        return stored
    }

    /// Waits until every batch handed over is stored; returns the files not yet returned.
    func finish() throws -> [IndexedFile] {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while running { condition.wait() }
        if let failure { throw failure }
        defer { stored.removeAll() }
        return stored
    }

    /// Drops a batch not yet being stored and waits for the thread to end (after an error).
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        handedOver = nil
        closed = true
        condition.broadcast()
        while running { condition.wait() }
    }

    private func writeLoop() {
        while true {
            condition.lock()
            while handedOver == nil && !closed { condition.wait() }
            guard let job = handedOver else {
                index = nil
                running = false
                condition.broadcast()
                condition.unlock()
                return
            }
            handedOver = nil
            writing = true
            let index = self.index!
            condition.unlock()
            let outcome = Result { try index.add(job.batch, threads: threads) }
            condition.lock()
            writing = false
            switch outcome {
            case .success: stored += job.files
            case .failure(let error): failure = error
            }
            if failure != nil { closed = true }
            condition.broadcast()
            condition.unlock()
        }
    }
}
