import Foundation
import MIDIFile

/// Every piece of a corpus as token strings (before any vocabulary filtering), cached on
/// disk so a second run over the same files and tokenizer skips reading MIDI entirely.
public struct TokenizedCorpus: Sendable {
    public struct Piece: Sendable {
        public var name: String
        public var contentHash: UInt64
        public var tokens: [String]
    }

    public var tokenizer: TokenizerKind
    public var pieces: [Piece]
    /// Files that held no MIDI data, with the reason.
    public var unreadable: [(path: String, reason: String)] = []

    public init(tokenizer: TokenizerKind, pieces: [Piece]) {
        self.tokenizer = tokenizer
        self.pieces = pieces
    }

    /// Tokenises `pieces`, or loads them from `cacheFolder` when an up-to-date cache exists
    /// (same tokenizer and version, same files by content, same cache format).
    public static func load(
        _ files: [CorpusPiece], tokenizer: TokenizerKind, cacheFolder: String?,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> TokenizedCorpus {
        let key = TokenCache.key(files: files, tokenizer: tokenizer)
        let cachePath = cacheFolder.map {
            ($0 as NSString).appendingPathComponent(
                "\(tokenizer.rawValue)-v\(tokenizer.version)-\(String(key, radix: 16)).tokens")
        }
        if let cachePath, let cached = TokenCache.read(path: cachePath, key: key, tokenizer: tokenizer) {
            return cached
        }
        var corpus = TokenizedCorpus(tokenizer: tokenizer, pieces: [])
        for (index, file) in files.enumerated() {
            progress(index, files.count)
            do {
                let midi = try MIDIReader.read(contentsOf: file.path).file
                corpus.pieces.append(
                    Piece(
                        name: file.name, contentHash: file.contentHash,
                        tokens: tokenizer.tokens(for: midi, style: file.style)))
            } catch {
                corpus.unreadable.append((file.path, "\(error)"))
            }
        }
        progress(files.count, files.count)
        if let cacheFolder, let cachePath {
            try FileManager.default.createDirectory(atPath: cacheFolder, withIntermediateDirectories: true)
            try TokenCache.write(corpus, key: key, to: cachePath)
        }
        return corpus
    }

    public var tokenCount: Int { pieces.reduce(0) { $0 + $1.tokens.count } }
}
