import Foundation
import MIDIFile
import Utilities

/// Token strings ↔ ids, saved with every model so a run can always be decoded, and
/// versioned so a model is never fed ids from a different vocabulary.
public struct Vocabulary: Codable, Hashable, Sendable {
    public var tokenizer: String
    public var version: Int
    public var tokens: [String]
    private var ids: [String: Int32]

    public init(tokenizer: String, version: Int, tokens: [String]) {
        self.tokenizer = tokenizer
        self.version = version
        self.tokens = tokens
        ids = Dictionary(tokens.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
    }

    private enum CodingKeys: String, CodingKey { case tokenizer, version, tokens }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            tokenizer: try container.decode(String.self, forKey: .tokenizer),
            version: try container.decode(Int.self, forKey: .version),
            tokens: try container.decode([String].self, forKey: .tokens))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tokenizer, forKey: .tokenizer)
        try container.encode(version, forKey: .version)
        try container.encode(tokens, forKey: .tokens)
    }

    public var count: Int { tokens.count }
    public func id(of token: String) -> Int32? { ids[token] }

    /// Ids of the tokens the vocabulary knows; the others are dropped, as the original
    /// project dropped its rare notes.
    public func ids(of tokens: [String]) -> [Int32] { tokens.compactMap { ids[$0] } }
    public func strings(of ids: [Int32]) -> [String] { ids.map { tokens[Int($0)] } }

    /// (vocabulary) The MIDI pitch each `Pitch_p` token says, by id; nil for every other token.
    public var pitchOfToken: [Int?] {
        tokens.map { $0.hasPrefix("Pitch_") ? Int($0.dropFirst("Pitch_".count)) : nil }
    }

    /// (vocabulary) The grid steps each `Dur_d` token says, by id; nil for every other token.
    public var durationStepsOfToken: [Int?] {
        tokens.map { $0.hasPrefix("Dur_") ? Int($0.dropFirst("Dur_".count)) : nil }
    }

    public func save(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: path)
    }

    public static func load(from path: String) throws -> Vocabulary {
        do {
            return try JSONDecoder().decode(Vocabulary.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw PipelineError.unreadableVocabulary(path: path, reason: error.localizedDescription)
        }
    }
}
