import Corpus
import Foundation
import MIDIFile
import MusicTheory
import Testing
import Utilities

@testable import Generation

@Suite struct PipelineDatasetTests {
    /// Two pieces of a four-token cycle (each token 50 times in all) and a token seen
    /// only three times, which the original recipe drops.
    var tinyNotesCorpus: TokenizedCorpus {
        let cycle = ["C4", "E4", "G4", "0.4.7"]
        var first = (0..<100).map { cycle[$0 % 4] }
        first.insert(contentsOf: ["F#5", "F#5", "F#5"], at: 10)
        let second = (0..<100).map { cycle[($0 + 1) % 4] }
        return TokenizedCorpus(
            tokenizer: .notes,
            pieces: [
                .init(name: "a", contentHash: 1, tokens: first), .init(name: "b", contentHash: 2, tokens: second),
            ])
    }

    @Test func seedProtocolWindowsFollowTheOriginalRecipe() {
        let dataset = Dataset(corpus: tinyNotesCorpus, splitProtocol: .seed, seed: 7)
        #expect(dataset.vocabulary.tokens.sorted() == ["0.4.7", "C4", "E4", "G4"])
        #expect(dataset.sequences.map(\.count) == [100, 100])
        // range(0, len - 32) windows per piece, each predicting the token after it.
        let all = dataset.seedTrainingWindows + dataset.seedValidationWindows
        #expect(all.count == 2 * (100 - 32))
        #expect(Set(all).count == all.count)
        #expect(dataset.seedValidationWindows.count == Int((Double(all.count) * 0.2).rounded()))
        for window in all {
            let tokens = dataset.tokens(of: window, context: Dataset.seedContext)
            #expect(tokens.count == 33)
            #expect(tokens.last == dataset.sequences[window.piece][window.start + 32])
        }
        let again = Dataset(corpus: tinyNotesCorpus, splitProtocol: .seed, seed: 7)
        #expect(again.seedValidationWindows == dataset.seedValidationWindows)
        let otherSeed = Dataset(corpus: tinyNotesCorpus, splitProtocol: .seed, seed: 8)
        #expect(otherSeed.seedValidationWindows != dataset.seedValidationWindows)
    }

    @Test func pieceSplitPutsEachPieceInExactlyOneSplit() {
        let pieces = (0..<40).map {
            TokenizedCorpus.Piece(name: "p\($0)", contentHash: UInt64($0), tokens: Array(repeating: "Bar", count: 10))
        }
        let dataset = Dataset(
            corpus: TokenizedCorpus(tokenizer: .events, pieces: pieces), splitProtocol: .piece, seed: 3)
        let splits = [Set(dataset.training), Set(dataset.validation), Set(dataset.test)]
        #expect(
            splits[0].isDisjoint(with: splits[1]) && splits[0].isDisjoint(with: splits[2])
                && splits[1].isDisjoint(with: splits[2]))
        #expect(splits.reduce(Set<Int>()) { $0.union($1) } == Set(0..<40))
        #expect(dataset.validation.count == 4 && dataset.test.count == 4)
        // Windows of validation pieces never come from a training piece.
        let windows = dataset.windows(of: dataset.validation, context: 4, stride: 1)
        #expect(!windows.isEmpty && windows.allSatisfy { splits[1].contains($0.piece) })
    }

    @Test func notesVocabularyUnderThePieceSplitCountsTrainingPiecesOnly() {
        // "X" occurs 45 times but all in one piece: kept only if that piece trains.
        var pieces = (0..<10).map {
            TokenizedCorpus.Piece(name: "p\($0)", contentHash: UInt64($0), tokens: Array(repeating: "C4", count: 50))
        }
        pieces[0].tokens += Array(repeating: "X", count: 45)
        let dataset = Dataset(
            corpus: TokenizedCorpus(tokenizer: .notes, pieces: pieces), splitProtocol: .piece, seed: 1)
        #expect((dataset.vocabulary.id(of: "X") != nil) == dataset.training.contains(0))
        #expect(dataset.vocabulary.id(of: "C4") != nil)
    }

    @Test func identicalFilesAreOnePieceAndTheCacheRoundTrips() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tunesmith-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let melody = PipelineFixtures.file(notes: [(60, 0, 1), (62, 1, 1), (64, 2, 0.5), (65, 2.5, 0.5)])
        let other = PipelineFixtures.file(notes: [(48, 0, 2), (52, 2, 2)])
        try MIDIWriter().write(melody, to: folder.appendingPathComponent("a.mid").path)
        try MIDIWriter().write(melody, to: folder.appendingPathComponent("sub/copy.MID").path)
        try MIDIWriter().write(other, to: folder.appendingPathComponent("b.midi").path)
        try Data("not midi".utf8).write(to: folder.appendingPathComponent("notes.txt"))

        // Given as a path with "..", the names are still relative to the folder itself.
        let files = try CorpusFiles.pieces(in: [folder.path + "/sub/.."], names: CorpusFiles.fileNamesOnly)
        #expect(files.count == 2)
        let label = folder.lastPathComponent
        #expect(files.contains { $0.name == label + "/b.midi" })
        #expect(files.contains { $0.name == label + "/a.mid" || $0.name == label + "/sub/copy.MID" })
        let cache = folder.appendingPathComponent("cache").path
        let first = try TokenizedCorpus.load(files, tokenizer: .events, cacheFolder: cache)
        // Headed by the folder's name as its style and the key `analyze` finds.
        #expect(files.allSatisfy { $0.style == label })
        let key = try #require(AnalysisOptions.standard.key(of: melody)?.best.key)
        #expect(
            first.pieces[0].tokens
                == EventTokenizer.standard.tokens(for: QuantisedPiece(melody), style: label, key: key))
        #expect(first.pieces[0].tokens.prefix(3) == ["Style_\(label)", EventTokenizer.keyToken(key), "Program_0"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).count == 1)
        // Reading again comes from the cache (the MIDI files are gone) and says the same.
        for name in ["a.mid", "sub/copy.MID", "b.midi"] {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
        let cached = try TokenizedCorpus.load(files, tokenizer: .events, cacheFolder: cache)
        #expect(cached.pieces.map(\.tokens) == first.pieces.map(\.tokens))
        #expect(cached.pieces.map(\.name) == first.pieces.map(\.name))
        // Another tokenizer has another key: it does not take the events cache.
        #expect(
            TokenCache.read(
                path: cache + "/" + (try FileManager.default.contentsOfDirectory(atPath: cache)[0]),
                key: TokenCache.key(files: files, tokenizer: .notes), tokenizer: .notes) == nil)
    }

    /// An ingested corpus names its clean copies by hash; pieces take their sources' names.
    @Test func ingestedPiecesAreNamedAfterTheirSources() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tunesmith-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("scrape/sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Long enough for ingest's default filters (notes and seconds).
        let arpeggio = (0..<64).map { (pitch: UInt8([60, 64, 67, 72][$0 % 4]), onset: Double($0), duration: 1.0) }
        try MIDIWriter().write(
            PipelineFixtures.file(notes: arpeggio), to: folder.appendingPathComponent("scrape/a.mid").path)
        try MIDIWriter().write(
            PipelineFixtures.file(notes: arpeggio.map { ($0.pitch - 12, $0.onset, $0.duration) }),
            to: folder.appendingPathComponent("scrape/sub/b.mid").path)
        let corpus = folder.appendingPathComponent("corpus").path
        _ = try CorpusIngest.run(sources: [folder.appendingPathComponent("scrape").path], into: corpus)

        let pieces = try CorpusFiles.pieces(in: [corpus], names: CataloguedPiece.sourceNamesOfCleanFiles)
        #expect(pieces.allSatisfy { $0.path.contains("/\(CorpusFolder.cleanFolderName)/") })
        #expect(Set(pieces.map(\.name)) == ["corpus/a.mid", "corpus/sub/b.mid"])
        // The style is the SOURCE folder ingested, not the corpus folder or a subfolder.
        #expect(pieces.allSatisfy { $0.style == "scrape" })
    }
}
