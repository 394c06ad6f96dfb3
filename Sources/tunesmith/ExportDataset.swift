import ArgumentParser
import Corpus
import Foundation
import Generation

struct ExportDataset: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-dataset",
        abstract: "Write a corpus's training tokens, split and vocabulary as NumPy arrays for other trainers.",
        discussion: """
            The same tokens, split (--protocol, --seed) and vocabulary `train` uses, for the tunesmith_torch package \
            (python/) or any trainer that reads NumPy: per split (train, validation, test) shards of \
            SPLIT-NNNNN.tokens.npy (int32 token ids, the split's pieces one after the other) and \
            SPLIT-NNNNN.offsets.npy (int64, pieces + 1 entries: piece i is tokens[offsets[i]:offsets[i+1]]); \
            vocabulary.json (as in a run folder); manifest.json (every piece's name, source path, SHA-256, style = \
            corpus folder, estimated key, copyright text, split, shard and index; the tokenizer and its version). \
            Exporting an unchanged corpus again writes the same bytes. --vocabulary encodes with a run's vocabulary \
            and --unsplit puts every piece in one split, `all`: together they tokenise files for scoring with a run.
            """)

    @Option(help: "Corpus folder or MIDI file (repeatable).") var corpus: [String]
    @Option(help: "notes (the original vocabulary) or events (rhythm-aware).") var tokenizer: TokenizerKind
    @Option(name: .customLong("protocol"), help: "piece (split 80/10/10 by piece, as train does).")
    var splitProtocol: SplitProtocol = .piece
    @Option(help: "Seed of the split (train's --seed).") var seed: UInt64 = 1
    @Option(help: "Most tokens per shard file (a longer piece gets a shard of its own).")
    var shardTokens = DatasetExport.defaultShardTokens
    @Option(help: "A run's vocabulary.json to encode with; tokens outside it are left out and counted.")
    var vocabulary: String?
    @Flag(help: "Every piece in one split, `all`, in the order given, instead of train/validation/test.")
    var unsplit = false
    @Option(help: "Folder for token caches (default ~/.cache/tunesmith/tokens, shared with train).") var cache: String?
    @Option(help: "Dataset folder to write (an earlier export there is replaced).") var out: String
    @OptionGroup var output: OutputArguments

    struct Summary: Encodable {
        var dataset: String
        var tokenizer: String
        var tokenizerVersion: Int
        var vocabularySize: Int
        var pieces: [String: Int]
        var tokens: [String: Int]
        var shards: Int
        var unreadable: Int
        var seconds: Double
    }

    func run() throws {
        let started = Date()
        let given = try vocabulary.map { (vocabulary: try Vocabulary.load(from: $0), path: $0) }
        let options = DatasetExport.Options(
            corpus: corpus.map { URL(fileURLWithPath: $0).standardizedFileURL.path }, tokenizer: tokenizer,
            splitProtocol: splitProtocol, seed: seed, shardTokens: shardTokens, vocabulary: given, unsplit: unsplit)
        if let problem = options.problem { throw ValidationError(ErrorHints.message(for: problem)) }
        let bar = ProgressDisplay(unit: "files")
        let manifest = try DatasetExport(
            options: options, names: CataloguedPiece.sourceNamesOfCleanFiles, cacheFolder: cache ?? Train.defaultCache,
            sha256: { Corpus.SHA256.hex(of: $0) }
        ).write(to: out) { done, total in bar.update(done: done, total: total) }
        bar.clear()
        for file in manifest.unreadable { Diagnostics.warn("\(file.path): left out: \(file.reason)") }
        let summary = Summary(
            dataset: out, tokenizer: manifest.tokenizer.name, tokenizerVersion: manifest.tokenizer.version,
            vocabularySize: manifest.vocabularySize, pieces: manifest.splits.mapValues(\.pieces),
            tokens: manifest.splits.mapValues(\.tokens),
            shards: manifest.splits.values.reduce(0) { $0 + $1.shards.count },
            unreadable: manifest.unreadable.count, seconds: Date().timeIntervalSince(started))
        if output.json {
            JSONLine.print(summary)
        } else {
            let splits = manifest.splits.keys.sorted {
                (DatasetExport.splitNames.firstIndex(of: $0) ?? 9) < (DatasetExport.splitNames.firstIndex(of: $1) ?? 9)
            }
            let counts = splits.map {
                "\($0) \(manifest.splits[$0]!.pieces) pieces / \(manifest.splits[$0]!.tokens) tokens"
            }
            print(
                "\(manifest.tokenizer.name) v\(manifest.tokenizer.version), vocabulary \(manifest.vocabularySize): "
                    + counts.joined(separator: ", ") + " → \(out)")
        }
    }
}
