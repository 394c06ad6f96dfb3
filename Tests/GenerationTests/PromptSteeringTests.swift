import Foundation
import MIDIFile
import Testing

@testable import Generation

/// Continuation and bar infilling keep the prompt note for note, whatever the model writes:
/// an untrained model (random weights) writes the new bars here, so nothing the tests check
/// depends on how well a model learnt.
@Suite struct PromptSteeringTests {
    static let vocabulary = EventTokenizer.standard.vocabulary

    static func samplers(seed: UInt64 = 5) -> (continuation: Continuation, infill: BarInfillSampler) {
        let model = Models.make(
            .lstm(vocabularySize: vocabulary.count, embedding: 16, hidden: 16, layers: 1), batch: 1, time: 64,
            seed: seed)
        let grammar = TokenGrammar(vocabulary: vocabulary)!
        let sampling = ConstrainedSampling(generator: TokenGenerator(model: model, grammar: grammar))
        return (
            Continuation(sampling: sampling, grammar: grammar, vocabulary: vocabulary, context: 64),
            BarInfillSampler(sampling: sampling, grammar: grammar, vocabulary: vocabulary, context: 64)
        )
    }

    /// A small fixture of three 4/4 bars: a note held over a bar line, a triplet, and a last
    /// note held past the prompt's end into the new bars (which must not cut it short).
    static func fixture() throws -> Prompt {
        let notes: [(pitch: UInt8, onset: Double, duration: Double)] = [
            (60, 0, 1), (64, 1, 0.5), (67, 1.5, 0.5), (72, 2, 2), (60, 3.5, 3), (62, 4 + 1.0 / 3, 1.0 / 3),
            (65, 5, 1), (69, 6, 2), (71, 8, 1), (74, 9.5, 4),
        ]
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("prompt-\(UUID().uuidString).mid")
        defer { try? FileManager.default.removeItem(at: url) }
        try MIDIWriter().write(PipelineFixtures.file(notes: notes), to: url.path)
        return try Prompt(contentsOf: url.path)
    }

    static func promptFiles() -> [String] {
        guard PipelineFixtures.hasSharedCorpus else { return [] }
        return Array(PipelineFixtures.sharedFiles("classical", every: 97).prefix(2))
            + Array(PipelineFixtures.sharedFiles("jazz", every: 97).prefix(2))
    }

    static func written(_ piece: QuantisedPiece) throws -> QuantisedPiece {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("steered-\(UUID().uuidString).mid")
        defer { try? FileManager.default.removeItem(at: url) }
        try MIDIWriter().write(piece.midiFile(), to: url.path)
        return QuantisedPiece(try MIDIReader.read(contentsOf: url.path).file)
    }

    func checkContinuation(of prompt: Prompt, bars: Int, seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let outcome = Self.samplers().continuation.continuation(
            of: prompt, bars: bars, options: SamplingOptions(temperature: 1, topP: 1), random: &random)
        #expect(outcome.newBars == bars, "\(prompt.path)")
        let file = try Self.written(outcome.piece)
        #expect(Prompt.keptCount(of: prompt.piece.notes, in: file) == prompt.piece.notes.count, "\(prompt.path)")
        let added = file.notes.filter { !Set(prompt.piece.notes).contains($0) }
        #expect(added.count == outcome.newNotes, "\(prompt.path)")
        let barSteps = prompt.bars[prompt.bars.count - 1].meter.barSteps
        #expect(added.allSatisfy { $0.onset >= prompt.endStep && $0.onset < prompt.endStep + bars * barSteps })
        #expect(file.meters.first { $0.bar < prompt.bars.count } == prompt.piece.meters.first)
    }

    @Test func aContinuationKeepsTheFixtureNoteForNoteAndAddsExactlyItsBars() throws {
        let prompt = try Self.fixture()
        for (bars, seed) in [(1, UInt64(1)), (4, 2), (8, 3)] {
            try checkContinuation(of: prompt, bars: bars, seed: seed)
        }
    }

    @Test func aContinuationKeepsCorpusPromptsNoteForNote() throws {
        for path in Self.promptFiles() { try checkContinuation(of: try Prompt(contentsOf: path), bars: 4, seed: 7) }
    }

    func checkInfill(of prompt: Prompt, bars: ClosedRange<Int>, seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let outcome = try Self.samplers().infill.infill(
            prompt, bars: bars, options: SamplingOptions(temperature: 1, topP: 1), random: &random)
        let holeStart = prompt.bars[bars.lowerBound - 1].start
        let last = prompt.bars[bars.upperBound - 1]
        let holeEnd = last.start + last.meter.barSteps
        let outside = prompt.piece.notes.filter { $0.onset < holeStart || $0.onset >= holeEnd }
        #expect(outcome.kept == outside)
        #expect(outcome.newBars == bars.count, "\(prompt.path)")
        let file = try Self.written(outcome.piece)
        #expect(Prompt.keptCount(of: outside, in: file) == outside.count, "\(prompt.path) bars \(bars)")
        let added = file.notes.filter { !Set(outside).contains($0) }
        #expect(added.count == outcome.newNotes)
        #expect(added.allSatisfy { $0.onset >= holeStart && $0.onset < holeEnd }, "\(prompt.path) bars \(bars)")
        #expect(file.tempos == prompt.piece.tempos && file.meters == prompt.piece.meters)
    }

    @Test func anInfillKeepsEveryNoteOutsideItsBars() throws {
        let prompt = try Self.fixture()
        #expect(prompt.bars.count == 3)
        for (bars, seed) in [(1...1, UInt64(1)), (2...3, 2), (3...3, 3), (1...3, 4)] {
            try checkInfill(of: prompt, bars: bars, seed: seed)
        }
        for path in Self.promptFiles() {
            let corpusPrompt = try Prompt(contentsOf: path)
            let middle = max(1, corpusPrompt.bars.count / 2)
            try checkInfill(of: corpusPrompt, bars: middle...min(middle + 1, corpusPrompt.bars.count), seed: 9)
        }
    }

    @Test func promptsThatCannotBeSteeredSayWhy() throws {
        let prompt = try Self.fixture()
        var random = SeededRandom(seed: 1)
        #expect(throws: PromptError.infillOutsidePrompt(path: prompt.path, first: 3, last: 9, bars: 3)) {
            try Self.samplers().infill.infill(prompt, bars: 3...9, options: SamplingOptions(), random: &random)
        }
        #expect(throws: PromptError.self) { try Prompt(contentsOf: "/nonexistent/prompt.mid") }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("silent-\(UUID().uuidString).mid")
        defer { try? FileManager.default.removeItem(at: url) }
        try MIDIWriter().write(PipelineFixtures.file(notes: []), to: url.path)
        #expect(throws: PromptError.noNotes(path: url.path)) { try Prompt(contentsOf: url.path) }
    }
}

@Suite struct BarInfillTransformTests {
    let vocabulary = EventTokenizer.standard.vocabulary

    /// A piece of `bars` 4/4 bars, a quarter note on each beat.
    func sequence(bars: Int) -> [Int32] {
        let notes = (0..<(bars * 4)).map {
            QuantisedPiece.Note(
                onset: $0 * TokenGrid.stepsPerQuarter, duration: 12, pitch: 60 + $0 % 12, velocityBucket: 8)
        }
        let piece = QuantisedPiece(notes: notes, tempos: [], meters: [])
        return vocabulary.ids(of: EventTokenizer.standard.tokens(for: piece))
    }

    @Test func aFillExampleMovesWholeBarsBehindTheEndAndLeavesHolesInTheirPlace() throws {
        let infill = try #require(BarInfill(vocabulary: vocabulary, share: 1))
        let piece = sequence(bars: 16)
        var random = SeededRandom(seed: 3)
        var made = 0, tried = 0
        for start in stride(from: 40, to: piece.count - 65, by: 7) {
            tried += 1
            guard let example = infill.example(from: piece, start: start, length: 65, random: &random) else { continue }
            made += 1
            #expect(example.count == 65)
            #expect(example.last == infill.fillEnd)
            let fillStart = try #require(example.lastIndex(of: infill.fillStart))
            #expect(example[fillStart - 1] == infill.end)
            let fill = Array(example[(fillStart + 1)..<(example.count - 1)])
            let holes = example.filter { $0 == infill.hole }.count
            #expect(fill.first == infill.bar && fill.filter { $0 == infill.bar }.count == holes)
            #expect((1...BarInfill.longestHole).contains(holes))
            // Putting the masked bars back where the holes stand gives the piece's own tokens.
            let firstHole = try #require(example.firstIndex(of: infill.hole)) - 1
            let restored =
                Array(example[..<firstHole]) + fill + example[(firstHole + 2 * holes)..<(fillStart - 1)]
            let offset = try #require(
                (0...(piece.count - restored.count)).first { Array(piece[$0..<($0 + restored.count)]) == restored })
            #expect(offset + restored.count <= piece.count)
        }
        // A window of under four bars often leaves too little music before a hole: at least a
        // third of them still make an example.
        #expect(made * 3 >= tried && made > 0)
    }

    @Test func withoutInfillingMarkersOrShareThereIsNoTransform() {
        #expect(BarInfill(vocabulary: vocabulary, share: 0) == nil)
        let old = Vocabulary(tokenizer: "events", version: 2, tokens: ["Bar", "End", "Pitch_60"])
        #expect(BarInfill(vocabulary: old, share: 0.5) == nil)
    }
}
