import Clearance
import Foundation
import MIDIFile

/// A finished run folder opened for use: its options, vocabulary and best model, and the
/// copy check against exactly the pieces it trained on.
public struct TrainedRun {
    public let folder: RunFolder
    public let description: RunFolder.Description
    public let vocabulary: Vocabulary
    let cleanCopyNames: CleanCopyNames

    public init(_ path: String, names: @escaping CleanCopyNames) throws {
        self.cleanCopyNames = names
        folder = RunFolder(path)
        description = try folder.read(RunFolder.Description.self, from: folder.runFile)
        vocabulary = try Vocabulary.load(from: folder.vocabularyFile)
        guard vocabulary.tokenizer == description.options.tokenizer.rawValue,
            vocabulary.version == description.options.tokenizer.version
        else {
            let tokenizer = description.options.tokenizer
            throw PipelineError.vocabularyOutdated(
                path: folder.vocabularyFile, vocabulary: .init(name: vocabulary.tokenizer, version: vocabulary.version),
                tokenizer: .init(name: tokenizer.rawValue, version: tokenizer.version))
        }
    }

    public var tokenizer: TokenizerKind { description.options.tokenizer }

    /// The best model, for `batch` sequences of the run's context.
    public func loadModel(batch: Int = 1) throws -> any SequenceModel {
        try Checkpoint.loadModel(from: folder.best, batch: batch, time: description.options.context)
    }

    /// The best model's blend with the piece's own memory (`MemoryMixture`): read from the run
    /// (`RunFolder.pieceMemoryFile`, written at the end of training), or fitted on the
    /// validation pieces and kept there when the run has none yet (trained before it existed)
    /// or one of another version. Nil for a run without validation pieces to fit on. `model`:
    /// the best model already loaded, if the caller has it, so a fit does not load it again.
    public func pieceMemory(model: (any SequenceModel)? = nil) throws -> MemoryMixture? {
        guard description.options.splitProtocol == .piece else { return nil }
        // A fit is derived from the run alone: one of another version, or damaged, is fitted again.
        if let kept = try? folder.read(MemoryMixture.self, from: folder.pieceMemoryFile), kept.isCurrent {
            return kept
        }
        let validation = try paths(named: description.validation).map { path in
            vocabulary.ids(
                of: tokenizer.tokens(for: try MIDIReader.read(contentsOf: path).file, style: style(ofFile: path)))
        }
        guard
            let mixture = MemoryMixture.fit(
                model: try model ?? loadModel(batch: description.options.batch), pieces: validation,
                vocabulary: vocabulary, tokenizer: tokenizer)
        else { return nil }
        try folder.write(mixture, to: folder.pieceMemoryFile)
        return mixture
    }

    public func piece(fromTokens tokens: [String]) -> QuantisedPiece {
        switch tokenizer {
        case .notes: NoteTokenizer().piece(from: tokens)
        case .events: EventTokenizer.standard.piece(from: tokens)
        }
    }

    /// The pieces of one split as the run's corpus lists them, in corpus order.
    public func files(named names: [String]) throws -> [CorpusPiece] {
        let wanted = Set(names)
        return try CorpusFiles.pieces(in: description.options.corpus, names: cleanCopyNames).filter {
            wanted.contains($0.name)
        }
    }

    /// The quantised pieces of one split, read again from the corpus the run names.
    public func pieces(named names: [String]) throws -> [(name: String, piece: QuantisedPiece)] {
        try files(named: names).compactMap { file in
            guard let midi = try? MIDIReader.read(contentsOf: file.path).file else { return nil }
            return (file.name, QuantisedPiece(midi))
        }
    }

    /// Where the named pieces of the run's corpus are on disk, in corpus order.
    public func paths(named names: [String]) throws -> [String] {
        try files(named: names).map(\.path)
    }

    /// The style a file has in the run's corpus (its `--corpus` folder's name, or the SOURCE
    /// folder a Tunesmith corpus ingested it from), so it is tokenised as the run saw it; nil
    /// for a file outside the corpus, or a style the run's vocabulary lacks.
    public func style(ofFile path: String) -> String? {
        let file = URL(fileURLWithPath: path).standardizedFileURL.path
        for root in description.options.corpus where file.hasPrefix(root.hasSuffix("/") ? root : root + "/") {
            let name = URL(fileURLWithPath: file).lastPathComponent
            let style = (try? cleanCopyNames(root))?[name]?.style ?? URL(fileURLWithPath: root).lastPathComponent
            return vocabulary.id(of: EventTokenizer.styleToken(style)) != nil ? style : nil
        }
        return nil
    }

    /// The copy check against the run's training pieces: a clearance index of them with its
    /// baseline, kept in the run folder (`RunFolder.clearanceIndex`) and built on first use.
    public func trainingClearance(
        thresholds: VerdictThresholds = VerdictThresholds(), building: (_ pieces: Int) -> Void = { _ in },
        progress: (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> ReferenceClearance {
        try ReferenceClearance.open(
            pieces: try files(named: description.training), folder: folder.clearanceIndex, thresholds: thresholds,
            building: building, progress: progress)
    }
}
