import Foundation
import MIDIFile
import MusicTheory
import Score

/// Settings of `tunesmith report`.
public struct ReportOptions: Sendable {
    public var analysis: AnalysisOptions
    /// Measures the piano roll shows from the start of each piece.
    public var pianoRollMeasures: Int
    public var title: String
    public var readOptions: ReadOptions
    /// Engrave each piece with MuseScore and show the score's first page (slow: seconds per piece).
    public var scores: Bool

    public init(
        analysis: AnalysisOptions = .standard, pianoRollMeasures: Int = 16, title: String = "Corpus report",
        readOptions: ReadOptions = ReadOptions(), scores: Bool = false
    ) {
        self.scores = scores
        self.analysis = analysis
        self.pianoRollMeasures = pianoRollMeasures
        self.title = title
        self.readOptions = readOptions
    }
}

/// What a report run did, for the command line to tell.
public struct ReportSummary: Sendable, Encodable {
    public var index: String
    public var pieces: Int
    public var unreadable: [String]
    public var findings: Int
    public var seconds: Double
}

/// The library side of `tunesmith report`: analyse every file (both cores), write each
/// piece's page as soon as it is analysed, then the corpus page.
public enum ReportBuilder {
    public static func build(
        paths: [String], output: String, options: ReportOptions,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> ReportSummary {
        let started = Date()
        let (inputs, catalogues) = try ReportInput.resolve(paths)
        let folder = try ReportFolder(root: output)
        var names = PageNames()
        let pagePaths = inputs.map { "pieces/\(names.name(for: $0.displayName)).html" }
        let results = ResultSlots<Outcome>(count: inputs.count)

        DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
            let input = inputs[index]
            let outcome: Outcome
            do {
                let analysis = try Analyzer.analyze(
                    contentsOf: input.path, options: options.analysis, readOptions: options.readOptions)
                let stem = ((pagePaths[index] as NSString).lastPathComponent as NSString).deletingPathExtension
                let score =
                    options.scores
                    ? ScorePreview.make(
                        for: input.path, in: (output as NSString).appendingPathComponent("pieces/\(stem)"),
                        name: "score")
                    : nil
                let page = PiecePage.output(
                    for: analysis, displayName: input.displayName, path: pagePaths[index], indexLink: "../index.html",
                    options: options.analysis, pianoRollMeasures: options.pianoRollMeasures, score: score)
                do {
                    try folder.write(page)
                    outcome = .piece(
                        ReportedPiece(analysis, input: input, pagePath: pagePaths[index], options: options.analysis))
                } catch {
                    outcome = .failed(error)
                }
            } catch {
                outcome = .unreadable(UnreadableFile(input: input, reason: "\(error)"))
            }
            let done = results.store(outcome, at: index)
            progress?(done, inputs.count)
        }

        var pieces: [ReportedPiece] = [], unreadable: [UnreadableFile] = []
        for outcome in results.values {
            switch outcome {
            case .piece(let piece): pieces.append(piece)
            case .unreadable(let file): unreadable.append(file)
            case .failed(let error): throw error
            case nil: continue
            }
        }
        try folder.write(
            CorpusPage.output(
                title: options.title, pieces: pieces, unreadable: unreadable, catalogues: catalogues,
                options: options.analysis))
        return ReportSummary(
            index: (output as NSString).appendingPathComponent("index.html"), pieces: pieces.count,
            unreadable: unreadable.map(\.input.path), findings: pieces.reduce(0) { $0 + $1.findings.count },
            seconds: Date().timeIntervalSince(started))
    }

    enum Outcome: Sendable {
        case piece(ReportedPiece)
        case unreadable(UnreadableFile)
        /// The report itself could not be written: stop rather than leave holes.
        case failed(any Error)
    }
}

/// Results filled in by concurrent workers, each into its own slot.
final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private var slots: [Value?]
    private var filled = 0
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    /// Stores a result and says how many slots are filled.
    func store(_ value: Value, at index: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = value
        filled += 1
        return filled
    }

    var values: [Value?] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
