import Foundation
import MIDIFile
import Utilities

/// The on-disk form of a `TokenizedCorpus`: "TSTOKENS", a little-endian UInt32 format
/// version, a UInt32 header length, a JSON header (tokenizer, its version, the cache key,
/// the string table, each piece's name, hash and token count), then every piece's token
/// ids as little-endian UInt32. A cache of another format or key is ignored and rebuilt.
enum TokenCache {
    static let magic = Array("TSTOKENS".utf8)
    static let formatVersion: UInt32 = 1

    struct Header: Codable {
        var tokenizer: String
        var tokenizerVersion: Int
        var key: String
        var table: [String]
        var pieces: [PieceHeader]
        var unreadable: [String]
    }

    struct PieceHeader: Codable {
        var name: String
        var hash: String
        var count: Int
    }

    static func key(files: [CorpusPiece], tokenizer: TokenizerKind) -> UInt64 {
        var text = "\(formatVersion) \(tokenizer.rawValue) \(tokenizer.version)\n"
        for file in files { text += "\(file.name) \(file.contentHash) \(file.style)\n" }
        return CorpusFiles.fnv1a(Data(text.utf8))
    }

    static func write(_ corpus: TokenizedCorpus, key: UInt64, to path: String) throws {
        var table: [String] = [], index: [String: UInt32] = [:]
        var ids: [UInt32] = []
        ids.reserveCapacity(corpus.tokenCount)
        for piece in corpus.pieces {
            for token in piece.tokens {
                if let id = index[token] {
                    ids.append(id)
                } else {
                    let id = UInt32(table.count)
                    index[token] = id
                    table.append(token)
                    ids.append(id)
                }
            }
        }
        let header = Header(
            tokenizer: corpus.tokenizer.rawValue, tokenizerVersion: corpus.tokenizer.version,
            key: String(key, radix: 16),
            table: table,
            pieces: corpus.pieces.map {
                PieceHeader(name: $0.name, hash: String($0.contentHash, radix: 16), count: $0.tokens.count)
            },
            unreadable: corpus.unreadable.map(\.path))
        let json = try JSONEncoder().encode(header)
        var bytes = Data(magic)
        append(formatVersion, to: &bytes)
        append(UInt32(json.count), to: &bytes)
        bytes.append(json)
        ids.withUnsafeBufferPointer {
            bytes.append(
                UnsafeBufferPointer(
                    start: UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: UInt8.self), count: $0.count * 4))
        }
        try AtomicFile.write(bytes, to: path)
    }

    /// The cached corpus, or nil when there is none or it is stale or damaged.
    static func read(path: String, key: UInt64, tokenizer: TokenizerKind) -> TokenizedCorpus? {
        guard let data = FileManager.default.contents(atPath: path), data.count >= 16,
            Array(data.prefix(8)) == magic, readUInt32(data, at: 8) == formatVersion
        else { return nil }
        let headerLength = Int(readUInt32(data, at: 12))
        guard data.count >= 16 + headerLength,
            let header = try? JSONDecoder().decode(Header.self, from: data.subdata(in: 16..<16 + headerLength)),
            header.key == String(key, radix: 16), header.tokenizer == tokenizer.rawValue,
            header.tokenizerVersion == tokenizer.version
        else { return nil }
        let total = header.pieces.reduce(0) { $0 + $1.count }
        var offset = 16 + headerLength
        guard data.count == offset + total * 4 else { return nil }
        var pieces: [TokenizedCorpus.Piece] = []
        for piece in header.pieces {
            var tokens: [String] = []
            tokens.reserveCapacity(piece.count)
            for _ in 0..<piece.count {
                let id = Int(readUInt32(data, at: offset))
                guard id < header.table.count else { return nil }
                tokens.append(header.table[id])
                offset += 4
            }
            pieces.append(.init(name: piece.name, contentHash: UInt64(piece.hash, radix: 16) ?? 0, tokens: tokens))
        }
        var corpus = TokenizedCorpus(tokenizer: tokenizer, pieces: pieces)
        corpus.unreadable = header.unreadable.map { ($0, "no MIDI data (cached)") }
        return corpus
    }

    private static func append(_ value: UInt32, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    private static func readUInt32(_ data: Data, at offset: Int) -> UInt32 {
        let start = data.startIndex + offset
        return UInt32(data[start]) | UInt32(data[start + 1]) << 8 | UInt32(data[start + 2]) << 16 | UInt32(
            data[start + 3]) << 24
    }
}
