import Foundation
import MIDIFile
import Testing
import Utilities

@testable import Corpus

/// A tiny scraped folder with one file of each kind a real scrape holds, and the
/// catalogue an ingest must make of it.
@Suite(.timeLimit(.minutes(10))) struct IngestCatalogueTests {
    struct Expected {
        var status: SourceStatus
        var reason: StatusReason?
        var findingKind: String?
    }

    static let expectations: [String: Expected] = [
        "a-valid.mid": Expected(status: .clean),
        "b-resaved.midi": Expected(status: .duplicate, reason: .sameMusic),
        "c-no-end-of-track.mid": Expected(status: .repaired, findingKind: "missingEndOfTrack"),
        "d-junk-before-header": Expected(status: .repaired, findingKind: "junkBeforeHeader"),
        "e-empty-tracks.mid": Expected(status: .repaired, findingKind: "dropped_empty_track"),
        "f-drums.mid": Expected(status: .rejected, reason: .drumOnly),
        "g-fragment.mid": Expected(status: .rejected, reason: .tooFewNotes),
        "h-wrapped.rmi": Expected(status: .repaired, findingKind: "riffWrapper"),
        "i-page.mid": Expected(status: .skipped, reason: .notMIDI),
        "k-truncated.mid": Expected(status: .repaired, findingKind: "truncatedFile"),
        "notes.txt": Expected(status: .skipped, reason: .notMIDI),
        "README.md": Expected(status: .skipped, reason: .notMIDI),
        "zz-mirror/valid-copy.MID": Expected(status: .duplicate, reason: .sameBytes),
    ]

    /// Writes the folder; returns it.
    static func makeScrape() throws -> URL {
        let folder = try TinyCorpus.temporaryFolder()
        let valid = TinyCorpus.bytes(TinyCorpus.file(TinyCorpus.melody(firstPitch: 60)))
        try TinyCorpus.write(valid, to: folder, "a-valid.mid")
        try TinyCorpus.write(valid, to: folder, "zz-mirror/valid-copy.MID")
        // Same notes at another resolution and tempo, split over two tracks, with a title.
        var resaved = TinyCorpus.file(
            TinyCorpus.melody(firstPitch: 60, ticksPerQuarter: 960), ticksPerQuarter: 960,
            microsecondsPerQuarter: 600_000, noteTracks: 2)
        resaved.tracks[0].appendMeta(
            tick: 0, type: MetaType.text.rawValue, payload: Array("re-saved by another sequencer".utf8))
        try TinyCorpus.write(TinyCorpus.bytes(resaved), to: folder, "b-resaved.midi")
        try TinyCorpus.write(
            TinyCorpus.withoutEndOfTrack(TinyCorpus.bytes(TinyCorpus.file(TinyCorpus.melody(firstPitch: 62)))),
            to: folder, "c-no-end-of-track.mid")
        let junk = Array("HTTP/1.0 200 OK\r\nContent-Type: audio/midi\r\n\r\n".utf8)
        try TinyCorpus.write(
            junk + TinyCorpus.bytes(TinyCorpus.file(TinyCorpus.melody(firstPitch: 64))), to: folder,
            "d-junk-before-header")
        try TinyCorpus.write(
            TinyCorpus.bytes(TinyCorpus.file(TinyCorpus.melody(firstPitch: 65), emptyTracks: 2)), to: folder,
            "e-empty-tracks.mid")
        try TinyCorpus.write(
            TinyCorpus.bytes(TinyCorpus.file(TinyCorpus.melody(firstPitch: 36, channel: 9))), to: folder, "f-drums.mid")
        try TinyCorpus.write(
            TinyCorpus.bytes(TinyCorpus.file(TinyCorpus.melody(firstPitch: 67, count: 5))), to: folder, "g-fragment.mid"
        )
        try TinyCorpus.write(
            TinyCorpus.riffWrapped(TinyCorpus.bytes(TinyCorpus.file(TinyCorpus.melody(firstPitch: 69)))), to: folder,
            "h-wrapped.rmi")
        try TinyCorpus.write(
            Array("<!DOCTYPE html><html><body>404 Not Found</body></html>".utf8), to: folder, "i-page.mid")
        // 40 bytes short: the last notes' events are cut off mid-track.
        try TinyCorpus.write(
            Array(TinyCorpus.bytes(TinyCorpus.file(TinyCorpus.melody(firstPitch: 71))).dropLast(40)), to: folder,
            "k-truncated.mid")
        try TinyCorpus.write(Array("track listing, not music\n".utf8), to: folder, "notes.txt")
        // Text about MIDI names the header's tag without being MIDI.
        try TinyCorpus.write(
            Array("Every file starts with an `MThd` chunk, then `MTrk` chunks.\n".utf8), to: folder, "README.md")
        return folder
    }

    static func relative(_ path: String, in folder: URL) -> String {
        String(path.dropFirst(folder.standardizedFileURL.path.count + 1))
    }

    @Test func eachKindOfFileGetsTheExpectedStatusAndReason() throws {
        let scrape = try Self.makeScrape()
        let corpus = try TinyCorpus.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: scrape)
            try? FileManager.default.removeItem(at: corpus)
        }

        let summary = try CorpusIngest.run(sources: [scrape.path], into: corpus.path)
        let pieces = try CataloguedPiece.list(corpus: corpus.path)
        let byName = Dictionary(uniqueKeysWithValues: pieces.map { (Self.relative($0.path, in: scrape), $0) })
        #expect(Set(byName.keys) == Set(Self.expectations.keys))
        for (name, expected) in Self.expectations {
            let piece = try #require(byName[name], "\(name) missing from the catalogue")
            #expect(
                piece.status == expected.status.rawValue, "\(name): \(piece.status), reason \(piece.reason ?? "none")")
            if let reason = expected.reason { #expect(piece.reasonCode == reason.rawValue, "\(name)") }
            #expect((piece.cleanFile != nil) == expected.status.isKept, "\(name)")
        }
        #expect(byName["b-resaved.midi"]?.duplicateOf == byName["a-valid.mid"]?.path)
        #expect(byName["zz-mirror/valid-copy.MID"]?.duplicateOf == byName["a-valid.mid"]?.path)

        let expectedCounts = Dictionary(grouping: Self.expectations.values, by: \.status).mapValues(\.count)
        #expect(summary.scanned == Self.expectations.count)
        #expect(summary.clean == expectedCounts[.clean, default: 0])
        #expect(summary.repaired == expectedCounts[.repaired, default: 0])
        #expect(summary.rejected == expectedCounts[.rejected, default: 0])
        #expect(summary.duplicates == expectedCounts[.duplicate, default: 0])
        #expect(summary.skipped == expectedCounts[.skipped, default: 0])
        #expect(summary.rejectedByReason == ["drum_only": 1, "too_few_notes": 1])
    }

    @Test func repairedFilesRecordTheFindingsThatWereRepaired() throws {
        let scrape = try Self.makeScrape()
        let corpus = try TinyCorpus.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: scrape)
            try? FileManager.default.removeItem(at: corpus)
        }
        _ = try CorpusIngest.run(sources: [scrape.path], into: corpus.path)

        let catalogue = try Catalogue(readingIn: corpus.path)
        for (name, expected) in Self.expectations {
            guard let kind = expected.findingKind else { continue }
            let kinds = try catalogue.database.read { db in
                try String.fetchAll(
                    db, sql: "SELECT f.kind FROM finding f JOIN source_file s ON s.id = f.source_id WHERE s.path = ?",
                    arguments: [scrape.appendingPathComponent(name).standardizedFileURL.path])
            }
            #expect(kinds.contains(kind), "\(name): findings \(kinds)")
        }
    }

    @Test func cleanFilesAreStandardAndKeepTheNotesAndTheSummaryDescribesThem() throws {
        let scrape = try Self.makeScrape()
        let corpus = try TinyCorpus.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: scrape)
            try? FileManager.default.removeItem(at: corpus)
        }
        _ = try CorpusIngest.run(sources: [scrape.path], into: corpus.path)

        let kept = try CataloguedPiece.list(corpus: corpus.path).filter { $0.cleanFile != nil }
        #expect(kept.count == Self.expectations.values.filter { $0.status.isKept }.count)
        for piece in kept {
            #expect(piece.cleanFile == CorpusFolder.cleanFileEntry(named: "\(piece.sha256).mid"))
            let cleanPath = corpus.appendingPathComponent(try #require(piece.cleanFile)).path
            let reread = try MIDIReader.read(contentsOf: cleanPath)
            #expect(reread.findings.isEmpty, "\(piece.path): \(reread.findings)")
            let notes = reread.file.tracks.reduce(0) { $0 + $1.pairNotes().notes.count }
            #expect(notes == piece.summary?.notes)
        }
        let valid = try #require(kept.first { $0.path.hasSuffix("a-valid.mid") }?.summary)
        #expect(valid.notes == 40)
        #expect(valid.key == "C major")
        #expect(valid.lowestPitch == 60 && valid.highestPitch == 72)
        #expect(valid.timeSignatures == ["4/4"])
        #expect(abs(valid.tempoMinimumBPM - 120) < 1e-9 && abs(valid.tempoMaximumBPM - 120) < 1e-9)
        // 39 beats and nine tenths of one at 120 bpm.
        #expect(abs(valid.durationSeconds - 19.95) < 1e-6)
        #expect(valid.tracksKept == 1 && valid.tracksDropped == 1)
        #expect(valid.programs == [0] && valid.families == [.piano])
        let emptyTracks = try #require(kept.first { $0.path.hasSuffix("e-empty-tracks.mid") }?.summary)
        #expect(emptyTracks.tracksKept == 1 && emptyTracks.tracksDropped == 3)
        let stray = try FileManager.default.contentsOfDirectory(atPath: CorpusFolder(corpus.path).cleanFolderPath)
        #expect(stray.count == kept.count)
    }
}
