import Clearance
import Foundation
import MIDIFile
import Testing

@testable import Generation

/// `evaluate` and `generate` judge originality with the clearance check against an index of
/// the reference pieces, kept in a folder and rebuilt only when those files change.
@Suite struct ReferenceClearanceTests {
    /// A random melody: pitches over two octaves, sixteenth to quarter rhythms, as unlike any
    /// other as chance makes it.
    static func randomMelody(notes count: Int, random: inout SeededRandom) -> [QuantisedPiece.Note] {
        var notes: [QuantisedPiece.Note] = []
        var onset = 0
        for _ in 0..<count {
            onset += [3, 6, 6, 12][Int(random.next() % 4)]
            notes.append(.init(onset: onset, duration: 3, pitch: 48 + Int(random.next() % 24), velocityBucket: 8))
        }
        return notes
    }

    /// `count` random pieces of 300 notes written as MIDI files into a new folder, with their names.
    static func writeTraining(count: Int, random: inout SeededRandom) throws -> (folder: URL, pieces: [QuantisedPiece])
    {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tunesmith-reference-\(UUID())")
        let corpus = folder.appendingPathComponent("training")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        var pieces: [QuantisedPiece] = []
        for index in 0..<count {
            let piece = QuantisedPiece(notes: randomMelody(notes: 300, random: &random), tempos: [], meters: [])
            try MIDIWriter().write(piece.midiFile(), to: corpus.appendingPathComponent("train\(index).mid").path)
            pieces.append(piece)
        }
        return (folder, pieces)
    }

    static func open(_ folder: URL, building: (Int) -> Void = { _ in }) throws -> ReferenceClearance {
        try ReferenceClearance.open(
            pieces: try CorpusFiles.pieces(
                in: [folder.appendingPathComponent("training").path], names: CorpusFiles.fileNamesOnly),
            folder: folder.appendingPathComponent("index").path, building: building)
    }

    @Test func aMelodyTransposedUnderNewRhythmAndChordsIsACopyTheExactCheckMissed() throws {
        var random = SeededRandom(seed: 11)
        let (folder, training) = try Self.writeTraining(count: 30, random: &random)
        defer { try? FileManager.default.removeItem(at: folder) }
        let reference = try Self.open(folder)
        #expect(reference.pieceCount == 30)

        // 40 notes of train7, a minor third higher, re-rhythmed to even eighths, after new
        // material, with a chord under every other note on another instrument.
        var notes = Self.randomMelody(notes: 60, random: &random)
        let start = notes.last!.onset + 24
        for (position, note) in training[7].notes[100..<140].enumerated() {
            let onset = start + 6 * position
            notes.append(.init(onset: onset, duration: 6, pitch: note.pitch + 3, velocityBucket: 8))
            guard position % 2 == 0 else { continue }
            for chordPitch in [33, 37, 40] {
                notes.append(
                    .init(onset: onset, duration: 12, pitch: chordPitch, velocityBucket: 5, instrument: .program(48)))
            }
        }
        let quoted = QuantisedPiece(notes: notes, tempos: [], meters: [])
        // The exact n-gram check compared (pitch interval, onset interval) runs of all notes: it
        // finds nothing longer than a few notes here.
        #expect(SharedRunGuardTests.longestSharedRun(quoted, with: training) < 8)

        let copy = try reference.check(quoted.midiFile(), file: "quoted.mid")
        #expect(copy.verdict == .copy)
        let best = try #require(copy.matches.first)
        #expect(best.piece == "training/train7.mid")
        #expect(best.sharedNotes >= 30)
        #expect(best.percentile == 100)

        let fresh = try reference.check(
            QuantisedPiece(notes: Self.randomMelody(notes: 200, random: &random), tempos: [], meters: []).midiFile(),
            file: "fresh.mid")
        #expect(fresh.verdict != .copy)
        #expect((fresh.matches.first?.sharedNotes ?? 0) < best.sharedNotes / 2)
    }

    @Test func theIndexIsKeptAndRebuiltOnlyWhenTheFilesChangeOrItIsDamaged() throws {
        var random = SeededRandom(seed: 3)
        let (folder, _) = try Self.writeTraining(count: 4, random: &random)
        defer { try? FileManager.default.removeItem(at: folder) }
        var builds = 0
        _ = try Self.open(folder) { _ in builds += 1 }
        let kept = try Self.open(folder) { _ in builds += 1 }
        #expect(builds == 1)
        #expect(
            try kept.check(ClearancePiece(contentsOf: folder.path + "/training/train2.mid"), file: "t").verdict
                == .copy)

        let changed = folder.path + "/training/train2.mid"
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: changed)
        _ = try Self.open(folder) { _ in builds += 1 }
        #expect(builds == 2)

        try Data(repeating: 0x41, count: 4096).write(
            to: folder.appendingPathComponent("index").appendingPathComponent(ClearanceIndex.fileName))
        let rebuilt = try Self.open(folder) { _ in builds += 1 }
        #expect(builds == 3)
        #expect(rebuilt.pieceCount == 4)
    }

    @Test func nothingReadableToCheckAgainstIsAnErrorSayingSo() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tunesmith-reference-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = folder.appendingPathComponent("training")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try Data("<html>not found</html>".utf8).write(to: corpus.appendingPathComponent("broken.mid"))
        #expect(throws: PipelineError.noReadableReference(pieces: 1)) { try Self.open(folder) }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("index").path))
    }
}
