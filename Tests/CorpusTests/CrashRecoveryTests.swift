import Foundation
import MIDIFile
import Testing
import Utilities

@testable import Corpus

/// kill -9 in the middle of an ingest, then run again: the corpus must end up exactly as
/// an uninterrupted ingest leaves it.
@Suite(.timeLimit(.minutes(10))) struct CrashRecoveryTests {
    /// The `tunesmith` binary built beside the test bundle (`swift test` builds every product).
    static let binary: URL? = {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent(), packageRoot.appendingPathComponent(".build/debug"),
        ]
        return candidates.compactMap { $0?.appendingPathComponent("tunesmith") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Enough music that an ingest takes a while: 240 pieces of 1,200 notes or more.
    static func makeLargeScrape() throws -> URL {
        let folder = try TinyCorpus.temporaryFolder()
        for index in 0..<240 {
            let notes = TinyCorpus.melody(firstPitch: 30 + index % 60, count: 1200 + index)
            try TinyCorpus.write(
                TinyCorpus.bytes(TinyCorpus.file(notes, emptyTracks: index % 3)), to: folder,
                String(format: "piece%03d.mid", index))
        }
        return folder
    }

    /// Starts an ingest in a child process and kills it with SIGKILL once it has reported
    /// `afterLines` committed files. Returns how many lines it printed.
    static func ingestAndKill(binary: URL, scrape: URL, corpus: URL, afterLines: Int) throws -> Int {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["corpus", "ingest", scrape.path, "--into", corpus.path, "--jobs", "2", "--json"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var received = Data()
        var lines = 0
        while lines < afterLines {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            received.append(chunk)
            lines = received.filter { $0 == 0x0A }.count
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return lines
    }

    static func rows(_ corpus: URL) throws -> [String] {
        try CataloguedPiece.list(corpus: corpus.path).map {
            "\($0.path) \($0.status) \($0.reasonCode ?? "-") \($0.cleanFile ?? "-") \($0.duplicateOf ?? "-")"
        }
    }

    @Test(.enabled(if: binary != nil, "the tunesmith binary is built by swift build / swift test"))
    func killedIngestsAreCompletedByTheNextRun() throws {
        let binary = try #require(Self.binary)
        let scrape = try Self.makeLargeScrape()
        let corpus = try TinyCorpus.temporaryFolder()
        let reference = try TinyCorpus.temporaryFolder()
        defer { for folder in [scrape, corpus, reference] { try? FileManager.default.removeItem(at: folder) } }

        let sourceHashes = Set(
            try FileManager.default.contentsOfDirectory(atPath: scrape.path).map {
                SHA256.hex(of: [UInt8](try Data(contentsOf: scrape.appendingPathComponent($0))))
            })
        // Once as soon as the first batch is committed, once further in.
        for afterLines in [1, 100] {
            let printed = try Self.ingestAndKill(binary: binary, scrape: scrape, corpus: corpus, afterLines: afterLines)
            #expect(printed < 240, "the ingest finished before it could be killed")
            let cleanFolder = URL(fileURLWithPath: CorpusFolder(corpus.path).cleanFolderPath)
            for name in try FileManager.default.contentsOfDirectory(atPath: cleanFolder.path) where !name.hasPrefix(".")
            {
                let bytes = try Data(contentsOf: cleanFolder.appendingPathComponent(name))
                let reread = try MIDIReader.read([UInt8](bytes))
                #expect(reread.findings.isEmpty, "half-written clean file \(name): \(reread.findings)")
                #expect(sourceHashes.contains(String(name.dropLast(4))), "clean file \(name) is named after no source")
            }
            #expect(try CorpusStatistics.read(corpus: corpus.path).interruptedRuns >= 1)
        }

        let recovery = try CorpusIngest.run(sources: [scrape.path], into: corpus.path)
        #expect(recovery.resumedInterruptedRuns == 2)
        #expect(recovery.unchanged > 0 && recovery.processed > 0)
        _ = try CorpusIngest.run(sources: [scrape.path], into: reference.path)
        let recovered = try Self.rows(corpus).map { $0.replacingOccurrences(of: corpus.path, with: "CORPUS") }
        let uninterrupted = try Self.rows(reference).map { $0.replacingOccurrences(of: reference.path, with: "CORPUS") }
        #expect(recovered == uninterrupted)
        #expect(try CorpusStatistics.read(corpus: corpus.path).interruptedRuns == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: CorpusFolder(corpus.path).cleanFolderPath)
            .filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }
}
