import Foundation
import MIDIFile
import Testing

@testable import Generation

@Suite struct SharedRunGuardTests {
    static let eighth = TokenGrid.stepsPerQuarter / 2
    let vocabulary = EventTokenizer.standard.vocabulary
    let grammar = TokenGrammar(vocabulary: EventTokenizer.standard.vocabulary)!

    static func piece(_ notes: [(pitch: Int, onset: Int)]) -> QuantisedPiece {
        QuantisedPiece(
            notes: notes.map {
                QuantisedPiece.Note(onset: $0.onset * eighth, duration: eighth, pitch: $0.pitch, velocityBucket: 8)
            }, tempos: [], meters: [])
    }

    /// The logits left after the guard masks, at the place of the last note of `piece`'s tokens.
    func maskedBeforeLastNote(of piece: QuantisedPiece, runGuard: SharedRunGuard) -> [Float] {
        let ids = vocabulary.ids(of: EventTokenizer.standard.tokens(for: piece))
        let lastPitch = ids.lastIndex { vocabulary.tokens[Int($0)].hasPrefix("Pitch_") }!
        let prefix = Array(ids[..<lastPitch])
        var logits = [Float](repeating: 0, count: vocabulary.count)
        runGuard.mask(
            &logits, in: runGuard.state(after: prefix, grammar: grammar), grammarState: grammar.state(after: prefix))
        return logits
    }

    func pitch(_ value: Int) -> Int { Int(vocabulary.id(of: "Pitch_\(value)")!) }

    @Test func aNoteCompletingAHeldRunIsMaskedWhateverTheKey() {
        // Held: up a tone, up a tone, in eighths.
        let training = Self.piece([(60, 0), (62, 1), (64, 2)])
        let runGuard = SharedRunGuard(runLength: 3, training: [training], vocabulary: vocabulary)
        // The same run a fifth higher: its third note is masked, any other is not.
        let logits = maskedBeforeLastNote(of: Self.piece([(67, 0), (69, 1), (71, 2)]), runGuard: runGuard)
        #expect(logits[pitch(71)] == -.infinity)
        #expect(logits[pitch(72)] == 0 && logits[pitch(70)] == 0)
        // Another rhythm is another run: the same pitches a quarter apart are free.
        let slower = maskedBeforeLastNote(of: Self.piece([(67, 0), (69, 2), (71, 4)]), runGuard: runGuard)
        #expect(slower[pitch(71)] == 0)
        // Too few notes before it to complete a run of 3.
        let short = maskedBeforeLastNote(of: Self.piece([(69, 1), (71, 2)]), runGuard: runGuard)
        #expect(short[pitch(71)] == 0)
    }

    @Test func notesAtOneOnsetKeepTheOrderThePieceIsReadIn() {
        let runGuard = SharedRunGuard(runLength: 3, training: [], vocabulary: vocabulary)
        // After 64 at the chord's onset, only higher pitches of the same instrument may follow.
        let logits = maskedBeforeLastNote(of: Self.piece([(60, 0), (64, 1), (67, 1)]), runGuard: runGuard)
        #expect(logits[pitch(64)] == -.infinity && logits[pitch(63)] == -.infinity)
        #expect(logits[pitch(65)] == 0)
    }

    /// The longest run of notes (pitch and onset intervals) `piece` shares with any of
    /// `training`, by comparing every pair of places: the reference the guard is held to.
    static func longestSharedRun(_ piece: QuantisedPiece, with training: [QuantisedPiece]) -> Int {
        func steps(_ piece: QuantisedPiece) -> [[Int]] {
            let notes = piece.pitchedNotes
            return zip(notes, notes.dropFirst()).map { [$1.pitch - $0.pitch, $1.onset - $0.onset] }
        }
        let query = steps(piece)
        var longest = query.isEmpty ? min(piece.pitchedNotes.count, 1) : 1
        for other in training.map(steps) {
            var previous = [Int](repeating: 0, count: other.count + 1)
            for step in query {
                var current = [Int](repeating: 0, count: other.count + 1)
                for (index, otherStep) in other.enumerated() where otherStep == step {
                    current[index + 1] = previous[index] + 1
                    longest = max(longest, current[index + 1] + 1)
                }
                previous = current
            }
        }
        return longest
    }

    @Test func aGeneratedPieceSharesNoRunOfTheGuardedLengthWithTheTrainingSet() throws {
        let (folder, corpus) = try PipelineFixtures.scratchFolderWithRandomCorpus("guard")
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = TrainingOptions(
            corpus: [corpus.path], model: .lstm, tokenizer: .events, epochs: 2, batch: 4, context: 16,
            learningRate: 5e-3, seed: 3, width: 16, layers: 1)
        let runFolder = RunFolder(folder.appendingPathComponent("run").path)
        _ = try TrainingRun(options: options, folder: runFolder, cacheFolder: nil, names: CorpusFiles.fileNamesOnly)
            .run(resume: false)
        let run = try TrainedRun(runFolder.path, names: CorpusFiles.fileNamesOnly)
        let training = try run.pieces(named: run.description.training).map(\.piece)
        #expect(!training.isEmpty && training.allSatisfy { $0.pitchedNotes.count >= 3 })
        let generator = try PieceGenerator(run: run)
        for (notes, seed) in [(2, UInt64(1)), (3, 2), (3, 3)] {
            let output = folder.appendingPathComponent("guarded-\(notes)-\(seed).mid").path
            _ = try generator.generate(PieceGenerator.Request(length: 160, seed: seed, maxShared: notes), to: output)
            let written = QuantisedPiece(try MIDIReader.read(contentsOf: output).file)
            #expect(written.pitchedNotes.count >= 3)
            #expect(Self.longestSharedRun(written, with: training) < notes, "run of \(notes), seed \(seed)")
        }
        // The reference does find shared runs where they exist: a training piece transposed.
        let moved = QuantisedPiece(
            notes: training[0].notes.map {
                QuantisedPiece.Note(
                    onset: $0.onset, duration: $0.duration, pitch: $0.pitch + 5, velocityBucket: $0.velocityBucket)
            }, tempos: [], meters: [])
        #expect(Self.longestSharedRun(moved, with: training) >= training[0].pitchedNotes.count)
        #expect(throws: PipelineError.sharedRunTooShort(notes: 1)) {
            try generator.generate(
                PieceGenerator.Request(maxShared: 1), to: folder.appendingPathComponent("one.mid").path)
        }
    }
}
