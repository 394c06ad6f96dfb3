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
    public static func run(
        _ inputs: [IndexInput], into folder: String, jobs: Int, baselineSample: Int = Calibration.defaultSample,
        measureBaseline: Bool = true,
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }, fileDone: (IndexedFile) -> Void = { _ in }
    ) throws -> IndexSummary {
        let started = ContinuousClock.now
        let index = try ClearanceIndex.openForWriting(folder: folder)
        let stored = try index.storedFiles()
        var summary = IndexSummary(index: index.path)
        var batch: [ClearanceIndex.NewPiece] = []
        var pending: [IndexedFile] = []
        func flush() throws {
            try index.add(batch)
            batch.removeAll()
            pending.forEach(fileDone)
            pending.removeAll()
        }
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
                    if batch.count >= batchSize { try flush() }
                case .success(nil):
                    summary.unchanged += 1
                    fileDone(IndexedFile(file: inputs[position].name, outcome: .unchanged))
                case .failure(let error):
                    summary.failed += 1
                    fileDone(IndexedFile(file: inputs[position].name, outcome: .failed, error: "\(error)"))
                }
                progress(position + 1, inputs.count)
            })
        try flush()
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
