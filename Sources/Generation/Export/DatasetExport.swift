import Foundation
import MIDIFile
import MusicTheory
import Utilities

/// `tunesmith export-dataset`: the tokens, split and vocabulary `train` would use, written
/// for other trainers (the `tunesmith_torch` package) as NumPy arrays per split, with
/// `vocabulary.json` (the run folder's format) and `manifest.json` (`DatasetManifest`).
/// Nothing in the output depends on the time or the machine, so exporting an unchanged
/// corpus again gives the same bytes.
public struct DatasetExport {
    public static let formatVersion = 1
    /// 64 Mi tokens (256 MiB of int32) per shard: large corpora stay in files a reader maps
    /// one at a time.
    public static let defaultShardTokens = 1 << 26
    /// The split names and order of a split export; an unsplit export has the one split `all`.
    public static let splitNames = ["train", "validation", "test"]
    public static let unsplitName = "all"

    public struct Options: Sendable {
        /// Absolute corpus folders (or single MIDI files).
        public var corpus: [String]
        public var tokenizer: TokenizerKind
        public var splitProtocol: SplitProtocol
        public var seed: UInt64
        public var shardTokens: Int
        /// A run's vocabulary to encode with instead of the corpus's own (tokens it lacks are
        /// dropped and counted), and where it was read from.
        public var vocabulary: (vocabulary: Vocabulary, path: String)?
        /// Every piece in one split, `all`, in corpus order: for scoring files with a run's vocabulary.
        public var unsplit: Bool

        public init(
            corpus: [String], tokenizer: TokenizerKind, splitProtocol: SplitProtocol = .piece, seed: UInt64 = 1,
            shardTokens: Int = DatasetExport.defaultShardTokens,
            vocabulary: (vocabulary: Vocabulary, path: String)? = nil,
            unsplit: Bool = false
        ) {
            self.corpus = corpus
            self.tokenizer = tokenizer
            self.splitProtocol = splitProtocol
            self.seed = seed
            self.shardTokens = shardTokens
            self.vocabulary = vocabulary
            self.unsplit = unsplit
        }

        /// The first setting that cannot export, or nil.
        public var problem: ExportError? {
            if splitProtocol == .seed && !unsplit { return .seedProtocolNotExported }
            if shardTokens < 1 { return .shardTokensNotPositive(shardTokens) }
            if let (vocabulary, path) = vocabulary,
                vocabulary.tokenizer != tokenizer.rawValue || vocabulary.version != tokenizer.version
            {
                return .vocabularyFromOtherTokenizer(
                    path: path, vocabulary: .init(name: vocabulary.tokenizer, version: vocabulary.version),
                    tokenizer: .init(name: tokenizer.rawValue, version: tokenizer.version))
            }
            return nil
        }
    }

    public let options: Options
    public let cleanCopyNames: CleanCopyNames
    public let cacheFolder: String?
    /// SHA-256 in lower-case hex; the caller supplies it (the Corpus module has it).
    public let sha256: @Sendable ([UInt8]) -> String

    public init(
        options: Options, names: @escaping CleanCopyNames, cacheFolder: String?,
        sha256: @escaping @Sendable ([UInt8]) -> String
    ) {
        self.options = options
        self.cleanCopyNames = names
        self.cacheFolder = cacheFolder
        self.sha256 = sha256
    }

    /// Tokenises, splits and writes `folder` (replacing an earlier export there, never anything else).
    @discardableResult
    public func write(to folder: String, progress: @escaping (Int, Int) -> Void = { _, _ in }) throws
        -> DatasetManifest
    {
        if let problem = options.problem { throw problem }
        try Self.checkReplaceable(folder)
        let files = try CorpusFiles.pieces(in: options.corpus, names: cleanCopyNames)
        let corpus = try TokenizedCorpus.load(
            files, tokenizer: options.tokenizer, cacheFolder: cacheFolder, progress: progress)
        guard !corpus.pieces.isEmpty else { throw ExportError.nothingTokenized(roots: options.corpus) }
        var dataset = Dataset(corpus: corpus, splitProtocol: options.splitProtocol, seed: options.seed)
        if let (vocabulary, _) = options.vocabulary {
            dataset.vocabulary = vocabulary
            dataset.sequences = corpus.pieces.map { vocabulary.ids(of: $0.tokens) }
        }
        let splits: [(name: String, pieces: [Int])] =
            options.unsplit
            ? [(Self.unsplitName, Array(corpus.pieces.indices))]
            : [("train", dataset.training), ("validation", dataset.validation), ("test", dataset.test)]
        let paths = Dictionary(files.map { ($0.name, $0.path) }, uniquingKeysWith: { first, _ in first })

        var written: [String: Data] = [:]
        var manifestSplits: [String: DatasetManifest.Split] = [:]
        var placed: [Int: (split: String, shard: Int, index: Int)] = [:]
        for (name, pieces) in splits {
            var shards: [DatasetManifest.Shard] = []
            for (shardIndex, shardPieces) in Self.shards(
                of: pieces, sizes: dataset.sequences.map(\.count), limit: options.shardTokens
            ).enumerated() {
                var tokens: [Int32] = [], offsets: [Int64] = [0]
                for (index, piece) in shardPieces.enumerated() {
                    tokens += dataset.sequences[piece]
                    offsets.append(Int64(tokens.count))
                    placed[piece] = (name, shardIndex, index)
                }
                let stem = "\(name)-\(String(format: "%05d", shardIndex))"
                written[stem + ".tokens.npy"] = NumPyArray.encode(tokens)
                written[stem + ".offsets.npy"] = NumPyArray.encode(offsets)
                shards.append(
                    .init(
                        tokens: stem + ".tokens.npy", offsets: stem + ".offsets.npy", pieces: shardPieces.count,
                        tokenCount: tokens.count))
            }
            manifestSplits[name] = .init(
                pieces: pieces.count, tokens: shards.reduce(0) { $0 + $1.tokenCount }, shards: shards)
        }

        var manifestPieces: [DatasetManifest.Piece] = []
        for (index, piece) in corpus.pieces.enumerated() {
            guard let place = placed[index], let path = paths[piece.name] else { continue }
            let provenance = try Self.provenance(of: path, sha256: sha256)
            manifestPieces.append(
                .init(
                    name: piece.name, source: path, sha256: provenance.sha256,
                    style: String(piece.name.prefix { $0 != "/" }), key: provenance.key,
                    licence: provenance.licence, split: place.split, shard: place.shard, index: place.index,
                    tokens: dataset.sequences[index].count,
                    unknownTokens: piece.tokens.count - dataset.sequences[index].count))
        }
        let manifest = DatasetManifest(
            formatVersion: Self.formatVersion,
            tokenizer: .init(name: options.tokenizer.rawValue, version: options.tokenizer.version),
            splitProtocol: options.splitProtocol.rawValue, seed: options.seed, corpus: options.corpus,
            vocabularySize: dataset.vocabulary.count, splits: manifestSplits, pieces: manifestPieces,
            unreadable: corpus.unreadable.map { .init(path: $0.path, reason: $0.reason) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            written["manifest.json"] = try encoder.encode(manifest)
            written["vocabulary.json"] = try encoder.encode(dataset.vocabulary)
        } catch {
            throw ExportError.unwritable(path: folder, reason: "\(error)")
        }
        try Self.replaceFolder(folder, with: written)
        return manifest
    }

    /// `pieces` in order, cut into runs of at most `limit` tokens (a longer piece alone in its
    /// shard); one empty shard for an empty split, so every split has its arrays.
    static func shards(of pieces: [Int], sizes: [Int], limit: Int) -> [[Int]] {
        var shards: [[Int]] = [[]]
        var tokens = 0
        for piece in pieces {
            if !shards[shards.count - 1].isEmpty && tokens + sizes[piece] > limit {
                shards.append([])
                tokens = 0
            }
            shards[shards.count - 1].append(piece)
            tokens += sizes[piece]
        }
        return shards
    }

    struct Provenance {
        var sha256: String
        var key: String?
        var licence: String?
    }

    /// The file's hash, its key as `tunesmith analyze` estimates it, and its copyright text.
    static func provenance(of path: String, sha256: ([UInt8]) -> String) throws -> Provenance {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError.unreadableCorpusFile(path: path)
        }
        let bytes = [UInt8](data)
        guard let midi = try? MIDIReader.read(contentsOf: path).file else {
            return Provenance(sha256: sha256(bytes), key: nil, licence: nil)
        }
        let key = Analyzer.analyze(midi, file: path, options: AnalysisOptions()).key?.best.key.name
        let copyright = midi.tracks.flatMap { track in
            track.events.filter { $0.isMeta && $0.data1 == MetaType.copyright.rawValue }.compactMap {
                track.text(of: $0)?.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }.filter { !$0.isEmpty }
        return Provenance(
            sha256: sha256(bytes), key: key, licence: copyright.isEmpty ? nil : copyright.joined(separator: " / "))
    }

    /// An absent folder, an empty one or an earlier export may be replaced; anything else is refused.
    static func checkReplaceable(_ folder: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else { return }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        guard isDirectory.boolValue, contents.isEmpty || contents.contains("manifest.json") else {
            throw ExportError.outputNotADataset(path: folder)
        }
    }

    /// Writes the files into a staging folder beside `folder`, then swaps it in, so a reader
    /// never sees half an export and shards of an earlier, larger export do not linger.
    static func replaceFolder(_ folder: String, with files: [String: Data]) throws {
        do {
            try AtomicFile.replaceFolder(folder, with: files)
        } catch {
            throw ExportError.unwritable(path: folder, reason: (error as NSError).localizedDescription)
        }
    }
}
