/// `manifest.json` of an exported dataset: what the arrays hold and where every piece came
/// from, the training-data record a label keeps for rights questions. Keys are snake_case,
/// as the Python side and every `--json` output spell them.
public struct DatasetManifest: Codable, Sendable, Equatable {
    public static let format = "tunesmith-dataset"

    public var format = Self.format
    public var formatVersion: Int
    public var tokenizer: TokenizerName
    public var splitProtocol: String
    public var seed: UInt64
    /// The corpus folders, absolute, as `train` records them in run.json.
    public var corpus: [String]
    public var vocabularySize: Int
    public var splits: [String: Split]
    public var pieces: [Piece]
    /// Files that held no MIDI data, left out of every split.
    public var unreadable: [Unreadable]

    public struct TokenizerName: Codable, Sendable, Equatable {
        public var name: String
        public var version: Int
    }

    public struct Split: Codable, Sendable, Equatable {
        public var pieces: Int
        public var tokens: Int
        public var shards: [Shard]
    }

    /// One pair of arrays: `tokens` (int32 ids, the split's pieces one after the other) and
    /// `offsets` (int64, pieces + 1 entries: piece i is tokens[offsets[i]..<offsets[i+1]]).
    public struct Shard: Codable, Sendable, Equatable {
        public var tokens: String
        public var offsets: String
        public var pieces: Int
        public var tokenCount: Int

        enum CodingKeys: String, CodingKey {
            case tokens, offsets, pieces
            case tokenCount = "token_count"
        }
    }

    public struct Piece: Codable, Sendable, Equatable {
        /// The name `train` gives the piece in run.json: corpus folder, then path inside it.
        public var name: String
        public var source: String
        public var sha256: String
        /// The corpus folder the piece came from (jazz, classical, …).
        public var style: String
        /// The estimated key, as `tunesmith analyze` gives it; nil without pitched notes.
        public var key: String?
        /// The file's copyright meta events (where MIDI files carry their licence), joined.
        public var licence: String?
        public var split: String
        public var shard: Int
        /// Position of the piece in its shard's offsets.
        public var index: Int
        public var tokens: Int
        /// Tokens the vocabulary does not know, left out as training leaves them out.
        public var unknownTokens: Int

        enum CodingKeys: String, CodingKey {
            case name, source, sha256, style, key, licence, split, shard, index, tokens
            case unknownTokens = "unknown_tokens"
        }
    }

    public struct Unreadable: Codable, Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    enum CodingKeys: String, CodingKey {
        case format, tokenizer, seed, corpus, splits, pieces, unreadable
        case formatVersion = "format_version"
        case splitProtocol = "protocol"
        case vocabularySize = "vocabulary_size"
    }
}
