/// Why `DatasetExport` cannot write a dataset. Each case names the file or value; the
/// command line words the flags (ErrorHints.swift).
public enum ExportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The seed protocol splits windows, not pieces; an export's splits are whole pieces.
    case seedProtocolNotExported
    /// The vocabulary given belongs to another tokenizer or tokenizer version.
    case vocabularyFromOtherTokenizer(
        path: String, vocabulary: PipelineError.TokenizerVersion, tokenizer: PipelineError.TokenizerVersion)
    /// The output exists and is not a dataset folder, so writing would replace someone's files.
    case outputNotADataset(path: String)
    case unwritable(path: String, reason: String)
    case shardTokensNotPositive(Int)
    /// Every file of the corpus failed to read.
    case nothingTokenized(roots: [String])

    public var description: String {
        switch self {
        case .seedProtocolNotExported: "split protocol seed: \(problem)"
        case .vocabularyFromOtherTokenizer(let path, _, _): "\(path): \(problem)"
        case .outputNotADataset(let path): "\(path): \(problem)"
        case .unwritable(let path, _): "\(path): \(problem)"
        case .shardTokensNotPositive(let count): "shard size \(count) tokens: \(problem)"
        case .nothingTokenized(let roots): "\(roots.joined(separator: " ")): \(problem)"
        }
    }

    /// What is wrong, without the file or a remedy.
    public var problem: String {
        switch self {
        case .seedProtocolNotExported: "an export splits whole pieces; the seed protocol splits windows"
        case .vocabularyFromOtherTokenizer(_, let vocabulary, let tokenizer):
            "the vocabulary is \(vocabulary.name) v\(vocabulary.version), the export tokenizes with "
                + "\(tokenizer.name) v\(tokenizer.version)"
        case .outputNotADataset: "exists and is not an exported dataset (no manifest.json), so it is left alone"
        case .unwritable(_, let reason): "cannot write (\(reason))"
        case .shardTokensNotPositive: "a shard holds at least one token"
        case .nothingTokenized: "no file could be read as MIDI"
        }
    }
}
