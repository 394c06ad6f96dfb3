import Foundation
import GRDB
import Testing

@testable import Clearance

@Suite struct IndexTests {
    /// Eight tunes, one a quote-bearing host, and a text file saved as .mid.
    static func makeSources() throws -> URL {
        let folder = try Melodies.temporaryFolder()
        for seed in 0..<8 {
            try Melodies.write(
                Melodies.file(Melodies.melody(seed: UInt64(300 + seed), count: 64)), to: folder, "tunes/tune\(seed).mid"
            )
        }
        try Data("<html>not music</html>".utf8).write(to: folder.appendingPathComponent("tunes/page.mid"))
        return folder
    }

    static func inputs(_ folder: URL) throws -> [IndexInput] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("tunes").path)
            .sorted()
        return names.map { folder.appendingPathComponent("tunes/\($0)").path }.map { IndexInput(file: $0, name: $0) }
    }

    @Test func indexingStoresPiecesReportsBadFilesAndSkipsUnchangedOnes() throws {
        let sources = try Self.makeSources(), indexFolder = try Melodies.temporaryFolder()
        defer { for folder in [sources, indexFolder] { try? FileManager.default.removeItem(at: folder) } }
        var failed: [String] = []
        let first = try Indexer.run(
            try Self.inputs(sources), into: indexFolder.path, jobs: 2,
            fileDone: { file in
                if file.outcome == .failed { failed.append(file.file) }
            })
        #expect(first.indexed == 8 && first.failed == 1 && first.pieces == 8)
        #expect(failed.count == 1 && failed[0].hasSuffix("page.mid"))
        #expect(first.baselinePieces == 8)

        let tune = sources.appendingPathComponent("tunes/tune3.mid")
        try Melodies.write(Melodies.file(Melodies.melody(seed: 777, count: 64)), to: sources, "tunes/tune3.mid")
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: tune.path)
        let second = try Indexer.run(try Self.inputs(sources), into: indexFolder.path, jobs: 2)
        #expect(second.indexed == 1 && second.unchanged == 7 && second.pieces == 8)

        let index = try ClearanceIndex.openForReading(folder: indexFolder.path)
        let changed = Melodies.piece(Melodies.melody(seed: 777, count: 64))
        let matches = try index.withReader { try Matcher.matches(for: changed, in: $0) }
        #expect(matches.first?.piece.path == tune.path)
        #expect(matches.first?.alignment.sharedNotes == 64)
    }

    @Test func theOnDiskIndexFindsWhatTheMemoryIndexFinds() throws {
        let sources = try Self.makeSources(), indexFolder = try Melodies.temporaryFolder()
        defer { for folder in [sources, indexFolder] { try? FileManager.default.removeItem(at: folder) } }
        _ = try Indexer.run(try Self.inputs(sources), into: indexFolder.path, jobs: 1)
        let index = try ClearanceIndex.openForReading(folder: indexFolder.path)
        var memory = MemoryCatalogue()
        for piece in try index.allPieces() { memory.add(path: piece.path, piece: piece.piece) }
        let query = Melodies.piece(Array(Melodies.melody(seed: 305, count: 64)[20..<40]))
        let onDisk = try index.withReader { try Matcher.matches(for: query, in: $0) }
        let inMemory = try Matcher.matches(for: query, in: memory)
        #expect(onDisk.map(\.piece.path) == inMemory.map(\.piece.path))
        #expect(onDisk.map(\.score) == inMemory.map(\.score))
        #expect(onDisk.first?.piece.path.hasSuffix("tune5.mid") == true)
    }

    /// One batch, or batches of three stored by the writing thread while the next are read (and
    /// their segments merged at the end): the same postings either way.
    @Test(arguments: [Indexer.batchSize, 3])
    func theOnDiskPostingsOfEverySeedAreTheMemoryIndexs(batchSize: Int) throws {
        let sources = try Self.makeSources(), indexFolder = try Melodies.temporaryFolder()
        defer { for folder in [sources, indexFolder] { try? FileManager.default.removeItem(at: folder) } }
        var reported: [String] = []
        let summary = try Indexer.run(
            try Self.inputs(sources), into: indexFolder.path, jobs: 2, batchSize: batchSize,
            fileDone: { if $0.outcome == .indexed { reported.append($0.file) } })
        #expect(summary.indexed == 8 && summary.pieces == 8)
        let music = try Self.inputs(sources).map(\.name).filter { !$0.hasSuffix("page.mid") }
        #expect(reported.sorted() == music)
        let index = try ClearanceIndex.openForReading(folder: indexFolder.path)
        let stored = try index.allPieces()
        var memory = MemoryCatalogue()
        for piece in stored { memory.add(path: piece.path, piece: piece.piece) }
        let seeds = Array(Set(stored.flatMap { $0.piece.lines.flatMap { Seeds.seeds(of: $0.pitches).map(\.key) } }))
        let absent = SeedKey.max
        let pathOnDisk = Dictionary(uniqueKeysWithValues: stored.map { ($0.id, $0.path) })
        func places(_ postings: [Posting], path: (Int64) -> String) -> [String] {
            postings.map { "\(path($0.piece)) \($0.line) \($0.position)" }.sorted()
        }
        for limit in [Int.max, 2] {
            let onDisk = try index.withReader { try $0.postings(of: seeds + [absent], limit: limit) }
            #expect(onDisk.count == seeds.count + 1)
            #expect(onDisk[absent]?.pieces == 0 && onDisk[absent]?.postings.isEmpty == true)
            for seed in seeds {
                let inMemory = memory.postings(of: seed, limit: limit)
                let found = try #require(onDisk[seed])
                #expect(found.pieces == inMemory.pieces, "seed \(seed)")
                #expect(
                    places(found.postings) { pathOnDisk[$0]! }
                        == places(inMemory.postings) { memory.pieces[Int($0)].path }, "seed \(seed)")
            }
        }
    }

    /// A check's look-ups cut into runs of seeds on several threads, and its candidates aligned
    /// side by side, give what one thread gives: the same table, the same matches in the same order.
    @Test func aCheckSharedAmongThreadsFindsWhatOneThreadFinds() throws {
        let sources = try Self.makeSources(), indexFolder = try Melodies.temporaryFolder()
        defer { for folder in [sources, indexFolder] { try? FileManager.default.removeItem(at: folder) } }
        _ = try Indexer.run(try Self.inputs(sources), into: indexFolder.path, jobs: 1)
        let index = try ClearanceIndex.openForReading(folder: indexFolder.path)
        // Every tune quoted in turn between stretches of a long new melody: thousands of distinct seeds.
        var notes: [LineNote] = []
        for seed in 0..<8 {
            for note in Melodies.melody(seed: UInt64(900 + seed), count: 300)
                + Melodies.melody(
                    seed: UInt64(300 + seed), count: 64)
            {
                let onset = (notes.last.map { $0.onsetBeats + $0.durationBeats }) ?? 0
                notes.append(LineNote(onsetBeats: onset, durationBeats: note.durationBeats, pitch: note.pitch))
            }
        }
        let query = Melodies.piece(notes)
        let seeds = Array(Set(query.lines.flatMap { Seeds.seeds(of: $0.pitches).map(\.key) })).sorted(by: >)
        #expect(seeds.count >= 2 * IndexReader.seedsPerThread)
        try index.withReader { reader in
            let alone = try reader.postingTable(of: seeds, limit: 4, threads: 1)
            for threads in [2, 3] {
                let shared = try reader.postingTable(of: seeds, limit: 4, threads: threads)
                #expect(shared.pieces == alone.pieces)
                #expect(
                    seeds.indices.allSatisfy { shared.postings[shared.ranges[$0]] == alone.postings[alone.ranges[$0]] })
            }
        }
        var one = MatchSettings(), two = MatchSettings()
        (one.threads, two.threads) = (1, 2)
        let matchedAlone = try index.withReader { try Matcher.matches(for: query, in: $0, settings: one) }
        let matchedShared = try index.withReader { try Matcher.matches(for: query, in: $0, settings: two) }
        #expect(matchedAlone.count == 5)
        #expect(matchedShared.map(\.piece.path) == matchedAlone.map(\.piece.path))
        #expect(matchedShared.map(\.score) == matchedAlone.map(\.score))
        #expect(matchedShared.map(\.alignment.pairs) == matchedAlone.map(\.alignment.pairs))
    }

    @Test func aStoppedRunLeavesAUsableIndexThatTheNextRunCompletes() throws {
        let sources = try Self.makeSources(), indexFolder = try Melodies.temporaryFolder()
        defer { for folder in [sources, indexFolder] { try? FileManager.default.removeItem(at: folder) } }
        // What a run killed after its first batch leaves: pieces stored, no baseline, and the
        // second batch's postings file renamed into place (or still being written) but never listed.
        let index = try ClearanceIndex.openForWriting(folder: indexFolder.path)
        let first = try #require(try Self.inputs(sources).first { $0.name.hasSuffix("tune0.mid") })
        let attributes = try FileManager.default.attributesOfItem(atPath: first.file)
        try index.add([
            ClearanceIndex.NewPiece(
                path: first.name, size: (attributes[.size] as? NSNumber)?.intValue ?? 0,
                modified: (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0,
                piece: try ClearancePiece(contentsOf: first.file))
        ])
        let listed = try Self.segmentFiles(in: indexFolder)
        #expect(listed.count == 1)
        let orphan = indexFolder.appendingPathComponent("postings-dead.seg")
        let unfinished = indexFolder.appendingPathComponent(".postings-beef.seg.tmp")
        try FileManager.default.copyItem(at: indexFolder.appendingPathComponent(listed[0]), to: orphan)
        try Data([1, 2, 3]).write(to: unfinished)
        #expect(throws: ClearanceError.notCalibrated(file: index.path)) { try index.baseline() }
        #expect(try index.pieceCount() == 1)
        let stopped = try ClearanceIndex.openForReading(folder: indexFolder.path)
        let firstPiece = try ClearancePiece(contentsOf: first.file)
        #expect(try stopped.withReader { try Matcher.matches(for: firstPiece, in: $0) }.first?.piece.path == first.name)

        let rerun = try Indexer.run(try Self.inputs(sources), into: indexFolder.path, jobs: 2)
        #expect(rerun.unchanged == 1 && rerun.indexed == 7 && rerun.pieces == 8)
        #expect(try ClearanceIndex.openForReading(folder: indexFolder.path).baseline().scores.count == 8)
        #expect(!FileManager.default.fileExists(atPath: orphan.path))
        #expect(!FileManager.default.fileExists(atPath: unfinished.path))
        #expect(try Self.segmentFiles(in: indexFolder).count == 2)
    }

    static func segmentFiles(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".seg") }.sorted()
    }

    @Test func mergedSegmentsHoldThePostingsOfTheLiveWithoutTheReplaced() throws {
        let indexFolder = try Melodies.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: indexFolder) }
        let index = try ClearanceIndex.openForWriting(folder: indexFolder.path)
        var memory = MemoryCatalogue()
        let count = ClearanceIndex.mergeFanIn + 1
        // One batch per piece, and piece 2 stored again (changed) as the fifth: the first
        // `mergeFanIn` batches are one size tier and are merged, dropping piece 2's old postings.
        var pieces = (0..<count).map { Melodies.piece(Melodies.melody(seed: UInt64(900 + $0), count: 40)) }
        for (number, piece) in pieces.enumerated() {
            try index.add([ClearanceIndex.NewPiece(path: "tune\(number).mid", size: 0, modified: 0, piece: piece)])
            if number == 3 {
                pieces[2] = Melodies.piece(Melodies.melody(seed: 999, count: 40))
                try index.add([ClearanceIndex.NewPiece(path: "tune2.mid", size: 1, modified: 1, piece: pieces[2])])
            }
        }
        for (number, piece) in pieces.enumerated() { memory.add(path: "tune\(number).mid", piece: piece) }
        #expect(try Self.segmentFiles(in: indexFolder).count == 3)
        #expect(try index.pieceCount() == count)
        let onDiskPaths = Dictionary(uniqueKeysWithValues: try index.allPieces().map { ($0.id, $0.path) })
        let seeds = Array(Set(pieces.flatMap { $0.lines.flatMap { Seeds.seeds(of: $0.pitches).map(\.key) } }))
        let onDisk = try index.withReader { try $0.postings(of: seeds, limit: .max) }
        let inMemory = try memory.postings(of: seeds, limit: .max)
        for seed in seeds {
            let disk = try #require(onDisk[seed]), memoryFound = try #require(inMemory[seed])
            #expect(disk.pieces == memoryFound.pieces, "seed \(seed)")
            #expect(
                disk.postings.map { "\(onDiskPaths[$0.piece]!) \($0.line) \($0.position)" }.sorted()
                    == memoryFound.postings.map { "tune\($0.piece).mid \($0.line) \($0.position)" }.sorted())
        }
        let reopened = try ClearanceIndex.openForReading(folder: indexFolder.path)
        let old = Melodies.piece(Melodies.melody(seed: 902, count: 40))
        let oldMatches = try reopened.withReader { try Matcher.matches(for: old, in: $0) }
        #expect(oldMatches.allSatisfy { $0.alignment.sharedNotes < 20 })
    }

    /// The trailing segments are merged into one, and that into the largest once it holds a
    /// quarter of the largest's pieces, with every live posting kept.
    @Test func compactingMergesEverySegmentOnceTheRestIsAQuarterOfTheLargest() throws {
        let indexFolder = try Melodies.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: indexFolder) }
        let index = try ClearanceIndex.openForWriting(folder: indexFolder.path)
        var memory = MemoryCatalogue()
        func store(_ numbers: Range<Int>) throws {
            let pieces = numbers.map { Melodies.piece(Melodies.melody(seed: UInt64(1_300 + $0), count: 40)) }
            try index.add(
                zip(numbers, pieces).map {
                    ClearanceIndex.NewPiece(path: "tune\($0).mid", size: 0, modified: 0, piece: $1)
                })
            for (number, piece) in zip(numbers, pieces) { memory.add(path: "tune\(number).mid", piece: piece) }
        }
        try store(0..<8)
        try store(8..<9)
        try index.compact()
        #expect(try Self.segmentFiles(in: indexFolder).count == 2)
        try store(9..<10)
        #expect(try Self.segmentFiles(in: indexFolder).count == 3)
        try index.compact()
        #expect(try Self.segmentFiles(in: indexFolder).count == 1)

        let paths = Dictionary(uniqueKeysWithValues: try index.allPieces().map { ($0.id, $0.path) })
        let seeds = Array(
            Set(memory.pieces.flatMap { $0.piece.lines.flatMap { Seeds.seeds(of: $0.pitches).map(\.key) } }))
        let onDisk = try index.withReader { try $0.postings(of: seeds, limit: .max) }
        let inMemory = try memory.postings(of: seeds, limit: .max)
        for seed in seeds {
            let disk = try #require(onDisk[seed]), memoryFound = try #require(inMemory[seed])
            #expect(
                disk.postings.map { "\(paths[$0.piece]!) \($0.line) \($0.position)" }.sorted()
                    == memoryFound.postings.map { "\(memory.pieces[Int($0.piece)].path) \($0.line) \($0.position)" }
                    .sorted(), "seed \(seed)")
        }
    }

    /// A layout-4 or layout-5 index differs only in how its baseline was measured: reading it asks
    /// for a re-run, and the re-run keeps every piece and measures the baseline again.
    @Test(arguments: IndexSchema.baselineOnlyVersions)
    func anOlderLayoutIsUpgradedByMeasuringItsBaselineAgain(layout: Int) throws {
        let sources = try Self.makeSources(), indexFolder = try Melodies.temporaryFolder()
        defer { for folder in [sources, indexFolder] { try? FileManager.default.removeItem(at: folder) } }
        _ = try Indexer.run(try Self.inputs(sources), into: indexFolder.path, jobs: 2)
        let path = ClearanceIndex.filePath(inFolder: indexFolder.path)
        let database = try DatabaseQueue(path: path)
        try database.write { try $0.execute(sql: "PRAGMA user_version = \(layout)") }
        try database.close()
        #expect(throws: ClearanceError.outdatedBaseline(file: path)) {
            try ClearanceIndex.openForReading(folder: indexFolder.path)
        }

        let rerun = try Indexer.run(try Self.inputs(sources), into: indexFolder.path, jobs: 2)
        #expect(rerun.indexed == 0 && rerun.unchanged == 8 && rerun.pieces == 8)
        #expect(rerun.baselinePieces == 8)
        let upgraded = try ClearanceIndex.openForReading(folder: indexFolder.path)
        #expect(try upgraded.baseline().scores.count == 8)
    }

    @Test func aDamagedOrForeignIndexIsRefusedByName() throws {
        let folder = try Melodies.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = ClearanceIndex.filePath(inFolder: folder.path)
        #expect(throws: ClearanceError.noIndex(folder: folder.path)) {
            try ClearanceIndex.openForReading(folder: folder.path)
        }

        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        let damaged = #expect(throws: ClearanceError.self) { try ClearanceIndex.openForReading(folder: folder.path) }
        guard case .corruptIndex(let file, _) = damaged else {
            Issue.record("expected corruptIndex, got \(String(describing: damaged))")
            return
        }
        #expect(file == path)

        try FileManager.default.removeItem(atPath: path)
        let other = try DatabaseQueue(path: path)
        try other.write { try $0.execute(sql: "CREATE TABLE notes (id INTEGER)") }
        try other.close()
        let foreign = #expect(throws: ClearanceError.self) { try ClearanceIndex.openForReading(folder: folder.path) }
        guard case .wrongVersion(let file, _) = foreign else {
            Issue.record("expected wrongVersion, got \(String(describing: foreign))")
            return
        }
        #expect(file == path)

        try FileManager.default.removeItem(atPath: path)
        let older = try DatabaseQueue(path: path)
        try older.write {
            try $0.execute(sql: "PRAGMA application_id = \(IndexSchema.applicationID); PRAGMA user_version = 2")
        }
        try older.close()
        let old = #expect(throws: ClearanceError.self) { try ClearanceIndex.openForReading(folder: folder.path) }
        guard case .wrongVersion(let oldFile, let found) = old else {
            Issue.record("expected wrongVersion, got \(String(describing: old))")
            return
        }
        #expect(oldFile == path && found.contains("layout 2"))
    }

    @Test func aDamagedPostingsFileIsRefusedByName() throws {
        let folder = try Melodies.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let index = try ClearanceIndex.openForWriting(folder: folder.path)
        try index.add([
            ClearanceIndex.NewPiece(
                path: "tune.mid", size: 0, modified: 0, piece: Melodies.piece(Melodies.melody(seed: 5, count: 40)))
        ])
        let segment = folder.appendingPathComponent(try #require(try Self.segmentFiles(in: folder).first))
        var bytes = try Data(contentsOf: segment)
        bytes.removeLast(5)
        try bytes.write(to: segment)
        let damaged = #expect(throws: ClearanceError.self) { try ClearanceIndex.openForReading(folder: folder.path) }
        guard case .corruptIndex(let file, _) = damaged else {
            Issue.record("expected corruptIndex, got \(String(describing: damaged))")
            return
        }
        #expect(file == segment.path)
        try FileManager.default.removeItem(at: segment)
        #expect(throws: ClearanceError.self) { try ClearanceIndex.openForReading(folder: folder.path) }
    }

    @Test func storedPiecesDecodeToWhatWasStored() throws {
        let piece = Melodies.piece(
            Melodies.melody(seed: 41, count: 30, lowest: 70) + Melodies.melody(seed: 42, count: 30, lowest: 40))
        #expect(PieceCodec.timeBase(of: piece) > 0)
        #expect(try PieceCodec.decode(PieceCodec.encode(piece)) == piece)
        #expect(throws: PieceCodec.Malformed.self) { try PieceCodec.decode(PieceCodec.encode(piece).dropLast(3)) }
        // Off every tick grid (a SMPTE-timed file's beats): stored as raw floats, still exact.
        var offGrid = piece
        offGrid.lines[0].notes[1].onsetBeats += 0.000_123
        #expect(PieceCodec.timeBase(of: offGrid) == 0)
        #expect(try PieceCodec.decode(PieceCodec.encode(offGrid)) == offGrid)
    }

    /// Pieces on grids from coarse to fine, one with a late note off the coarse grid, one whose
    /// onsets step back, one off every grid: the time base is the reference's.
    @Test func theTimeBaseIsTheReferences() {
        let melody = Melodies.melody(seed: 43, count: 80)
        func piece(_ change: (inout [LineNote]) -> Void) -> ClearancePiece {
            var notes = melody
            change(&notes)
            return Melodies.piece(notes)
        }
        let pieces = [
            piece { _ in },
            piece { $0[70].durationBeats = 1.0 / 5 },
            piece { $0[75].onsetBeats += 1.0 / 480 },
            piece { $0[60].onsetBeats += 1.0 / 3840 },
            piece { $0[40].onsetBeats += 0.000_123 },
            ClearancePiece(
                lines: [MelodicLine(source: .topVoice, notes: Array(melody.reversed()))], barStartBeats: [],
                firstBarNumber: 1),
        ]
        let bases = pieces.map(PieceCodec.timeBase)
        #expect(bases == pieces.map(PieceCodec.naiveTimeBase))
        #expect(Set(bases).count >= 4)
    }
}
