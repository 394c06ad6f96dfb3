import Corpus
import Foundation
import MIDIFile
import Testing

@testable import Generation

@Suite struct DatasetExportTests {
    /// Twelve small pieces in two style folders: scales from different tonics and rhythms.
    func writeCorpus() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tunesmith-export-\(UUID())")
        for index in 0..<12 {
            let style = root.appendingPathComponent(index % 2 == 0 ? "jazz" : "classical")
            try FileManager.default.createDirectory(at: style, withIntermediateDirectories: true)
            let step = [0.5, 1, 0.25][index % 3]
            let scale = [0, 2, 4, 5, 7, 9, 11, 12]
            let notes = (0..<(40 + 4 * index)).map { (UInt8(50 + index + scale[$0 % 8]), Double($0) * step, step) }
            let bytes = MIDIWriter().encode(PipelineFixtures.file(notes: notes)).bytes
            try Data(bytes).write(to: style.appendingPathComponent("piece\(index).mid"))
        }
        return root
    }

    func export(_ corpus: [URL], to folder: URL, shardTokens: Int = DatasetExport.defaultShardTokens) throws
        -> DatasetManifest
    {
        try DatasetExport(
            options: .init(corpus: corpus.map(\.path), tokenizer: .events, seed: 3, shardTokens: shardTokens),
            names: CorpusFiles.fileNamesOnly, cacheFolder: nil, sha256: { Corpus.SHA256.hex(of: $0) }
        ).write(to: folder.path)
    }

    func contents(of folder: URL) throws -> [String: Data] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        return try Dictionary(
            uniqueKeysWithValues: names.map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) })
    }

    @Test func headerFollowsTheNumPyFormat() throws {
        let data = NumPyArray.encode([Int32(7), -2, 1 << 30])
        let bytes = [UInt8](data)
        #expect(Array(bytes[0..<8]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        // The data starts on a 64-byte boundary and the header ends with a line break.
        #expect((10 + headerLength) % 64 == 0)
        #expect(bytes[10 + headerLength - 1] == 0x0A)
        let header = try #require(String(bytes: bytes[10..<(10 + headerLength)], encoding: .ascii))
        #expect(header.hasPrefix("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }"))
        #expect(bytes.count == 10 + headerLength + 12)
        #expect(Array(bytes.suffix(4)) == [0, 0, 0, 0x40])
        #expect(NumPyArray.decode(data, element: .int32) == [7, -2, 1 << 30])
        #expect(NumPyArray.decode(NumPyArray.encode([Int64(-5), 1 << 40]), element: .int64) == [-5, 1 << 40])
        #expect(NumPyArray.decode(data, element: .int64) == nil)
    }

    @Test func exportHoldsTrainsTokensSplitAndVocabulary() throws {
        let root = try writeCorpus()
        defer { try? FileManager.default.removeItem(at: root) }
        let corpus = [root.appendingPathComponent("jazz"), root.appendingPathComponent("classical")]
        let out = root.appendingPathComponent("data")
        let manifest = try export(corpus, to: out)

        let files = try CorpusFiles.pieces(in: corpus.map(\.path), names: CorpusFiles.fileNamesOnly)
        let tokenized = try TokenizedCorpus.load(files, tokenizer: .events, cacheFolder: nil)
        let dataset = Dataset(corpus: tokenized, splitProtocol: .piece, seed: 3)
        let vocabulary = try Vocabulary.load(from: out.appendingPathComponent("vocabulary.json").path)
        #expect(vocabulary == dataset.vocabulary)
        #expect(manifest.vocabularySize == dataset.vocabulary.count)
        for (name, indices) in [
            ("train", dataset.training), ("validation", dataset.validation), ("test", dataset.test),
        ] {
            let split = try #require(manifest.splits[name])
            #expect(split.pieces == indices.count)
            let shard = try #require(split.shards.first)
            let tokens = try #require(
                NumPyArray.decode(Data(contentsOf: out.appendingPathComponent(shard.tokens)), element: .int32))
            let offsets = try #require(
                NumPyArray.decode(Data(contentsOf: out.appendingPathComponent(shard.offsets)), element: .int64))
            #expect(tokens == indices.flatMap { dataset.sequences[$0] }.map(Int64.init))
            #expect(offsets.count == indices.count + 1)
            for (position, piece) in indices.enumerated() {
                #expect(Int(offsets[position + 1] - offsets[position]) == dataset.sequences[piece].count)
                let described = try #require(manifest.pieces.first { $0.name == dataset.names[piece] })
                #expect(described.split == name && described.index == position)
            }
        }
        let first = try #require(manifest.pieces.first { $0.name == "jazz/piece0.mid" })
        #expect(first.style == "jazz")
        #expect(first.source == root.appendingPathComponent("jazz/piece0.mid").path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: first.source)))
        #expect(first.sha256 == Corpus.SHA256.hex(of: bytes))
        #expect(first.key != nil)
    }

    @Test func unchangedCorpusExportsTheSameBytesAndShardsSplitLargeSplits() throws {
        let root = try writeCorpus()
        defer { try? FileManager.default.removeItem(at: root) }
        let corpus = [root.appendingPathComponent("jazz"), root.appendingPathComponent("classical")]
        let first = root.appendingPathComponent("first"), second = root.appendingPathComponent("second")
        _ = try export(corpus, to: first, shardTokens: 300)
        _ = try export(corpus, to: second, shardTokens: 300)
        let written = try contents(of: first)
        #expect(written == (try contents(of: second)))
        // Exporting over an earlier export replaces it, shards and all.
        let sharded = try export(corpus, to: first, shardTokens: 300)
        #expect(try contents(of: first) == written)
        let train = try #require(sharded.splits["train"])
        #expect(train.shards.count > 1)
        #expect(train.shards.allSatisfy { $0.tokenCount <= 300 || $0.pieces == 1 })
        #expect(train.shards.reduce(0) { $0 + $1.tokenCount } == train.tokens)
        _ = try export(corpus, to: first)
        #expect(try contents(of: first).keys.filter { $0.hasPrefix("train-") }.count == 2)
    }

    @Test func badSettingsAndOutputsAreRefused() throws {
        let root = try writeCorpus()
        defer { try? FileManager.default.removeItem(at: root) }
        let occupied = root.appendingPathComponent("jazz")
        #expect(throws: ExportError.outputNotADataset(path: occupied.path)) {
            _ = try export([root.appendingPathComponent("classical")], to: occupied)
        }
        let notes = Vocabulary(tokenizer: "notes", version: 1, tokens: ["C4"])
        let options = DatasetExport.Options(
            corpus: [root.path], tokenizer: .events, vocabulary: (notes, "/runs/a/vocabulary.json"))
        #expect(
            options.problem
                == .vocabularyFromOtherTokenizer(
                    path: "/runs/a/vocabulary.json", vocabulary: .init(name: "notes", version: 1),
                    tokenizer: .init(name: "events", version: EventTokenizer.version)))
        #expect(
            DatasetExport.Options(corpus: [root.path], tokenizer: .events, splitProtocol: .seed).problem
                == .seedProtocolNotExported)
        #expect(
            DatasetExport.Options(corpus: [root.path], tokenizer: .events, shardTokens: 0).problem
                == .shardTokensNotPositive(0))
    }
}
