import Foundation
import MIDIFile
import Testing

@testable import Generation

@Suite struct LikelihoodTests {
    @Test(arguments: [(1, 4, 1), (2, 4, 4), (5, 4, 3), (37, 8, 3), (37, 8, 8), (9, 16, 5)])
    func windowsScoreEveryTokenAfterTheFirstOnce(count: Int, time: Int, stride: Int) {
        let windows = ScoringWindow.plan(count: count, time: time, stride: stride)
        #expect(windows.flatMap { Array($0.scored) } == Array(1..<max(1, count)))
        for window in windows {
            // Every scored token's inputs lie inside the window and the piece.
            #expect(window.scored.allSatisfy { $0 - window.start >= 1 && $0 - window.start <= time && $0 < count })
            if window.start > 0 { #expect(window.scored.allSatisfy { $0 - window.start >= time - stride + 1 }) }
        }
    }

    @Test func theDefaultStrideGivesNetworksThreeQuartersOfTheWindow() {
        #expect(ScoringWindow.defaultStride(time: 64, receptiveField: 64) == 17)
        #expect(ScoringWindow.defaultStride(time: 64, receptiveField: .max) == 17)
        #expect(ScoringWindow.defaultStride(time: 64, receptiveField: 5) == 60)
        #expect(ScoringWindow.defaultStride(time: 2, receptiveField: 2) == 2)
    }

    /// Batched windows give each token the loss that scoring it alone, in a window holding
    /// only the tokens before it, gives: for every kind of network, whatever its weights.
    @Test(arguments: smallConfigs)
    func batchedWindowsEqualTokenByTokenScoring(config: ModelConfig) {
        let model = Models.make(config, batch: 3, time: 16, seed: 5)
        var random = SeededRandom(seed: 21)
        let sequence = (0..<70).map { _ in Int32(random.next() % 10) }
        for stride in [1, 5, 16] {
            let windows = ScoringWindow.plan(count: sequence.count, time: 16, stride: stride)
            let fast = Likelihood.nats(of: sequence, model: model, windows: windows)
            let reference = Likelihood.referenceNats(of: sequence, model: model, windows: windows)
            #expect(fast.count == 69)
            expectClose(
                fast.map(Float.init), reference.map(Float.init), relative: 1e-4, "\(config.kind) stride \(stride)")
        }
    }

    @Test func aTinyTrainedRunScoresFilesAsItsModelPredictsThem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tunesmith-likelihood-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = try writeRandomCorpus(in: folder, pieces: 10)
        let runFolder = RunFolder(folder.appendingPathComponent("run").path)
        let options = TrainingOptions(
            corpus: [corpus.path], model: .transformer, tokenizer: .events, epochs: 1, batch: 4,
            context: 16, learningRate: 5e-3, seed: 3, width: 16, layers: 1)
        let summary = try TrainingRun(
            options: options, folder: runFolder, cacheFolder: nil, names: CorpusFiles.fileNamesOnly
        )
        .run(resume: false)
        let history = try runFolder.read([EpochRecord].self, from: runFolder.historyFile)
        // Bits per note are the loss turned by one fixed ratio: the same in every epoch and the summary.
        let ratio = try #require(history.first?.validationBitsPerNote) / history[0].validationLoss
        #expect(ratio > 1 / log(2))
        #expect(abs(try #require(summary.validationBitsPerNote) / summary.validationLoss - ratio) < 1e-9)

        let run = try TrainedRun(runFolder.path, names: CorpusFiles.fileNamesOnly)
        // Training fitted the blend with each piece's memory on its validation pieces and kept it.
        let memory = try #require(try run.pieceMemory())
        #expect(try run.folder.read(MemoryMixture.self, from: run.folder.pieceMemoryFile) == memory)
        #expect(summary.pieceMemory == memory.fit)
        #expect(memory.fit.tokens > 0 && memory.fit.bitsPerNoteWith.isFinite && memory.fit.bitsPerNoteWithout.isFinite)
        let likelihood = try Likelihood(run: run, stride: 5, pieceMemory: false)
        let file = corpus.appendingPathComponent("piece0.mid").path
        let scored = try likelihood.score(file: file)
        #expect(scored.modelBitsPerNote == nil)
        // A file of the run's corpus is read with its style, as the run saw it.
        #expect(run.style(ofFile: file) != nil)
        let ids = run.vocabulary.ids(
            of: run.tokenizer.tokens(for: try MIDIReader.read(contentsOf: file).file, style: run.style(ofFile: file)))
        let single = try run.loadModel()
        let reference = Likelihood.referenceNats(
            of: ids, model: single, windows: ScoringWindow.plan(count: ids.count, time: 16, stride: 5)
        ).reduce(0, +)
        #expect(scored.tokens == ids.count - 1)
        #expect(scored.notes == 40)
        #expect(scored.unknownTokens == 0)
        #expect(abs(scored.nats - reference) < 1e-4 * reference)
        #expect(abs(scored.bitsPerNote - reference / log(2) / 40) < 1e-4 * scored.bitsPerNote)
        #expect(Likelihood.problem(stride: 17, time: 16) == .strideOutsideWindow(stride: 17, time: 16))

        // With the memory (the default), each token's model logits are blended with the
        // memories of the piece before it, and the model's own figures come along.
        let blended = try Likelihood(run: run, stride: 5).score(file: file)
        #expect(memory.pitches == MemoryMixture.pitches(of: run.vocabulary) && memory.pitches.contains { $0 >= 0 })
        var mixed = 0.0
        for window in ScoringWindow.plan(count: ids.count, time: 16, stride: 5) {
            for target in window.scored {
                var tokens = [Int32](repeating: 0, count: single.batch * single.time)
                for (offset, token) in ids[window.start..<target].enumerated() { tokens[offset] = token }
                tokens.withUnsafeBufferPointer {
                    _ = single.forward(tokens: $0.baseAddress!, targets: nil, training: false)
                }
                var memories = memory.memories()
                memories.append(contentsOf: ids[..<target])
                mixed += memory.nats(
                    of: ids[target], model: single.logits(sequence: 0, position: target - window.start - 1),
                    memories: memories)
            }
        }
        #expect(abs(blended.nats - mixed) < 1e-4 * mixed)
        #expect(abs(try #require(blended.modelBitsPerNote) - scored.bitsPerNote) < 1e-9 * scored.bitsPerNote)
    }

    @Test func aStaleOrDamagedMemoryFitIsFittedAgain() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tunesmith-memory-fit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = try writeRandomCorpus(in: folder, pieces: 10)
        let runFolder = RunFolder(folder.appendingPathComponent("run").path)
        let options = TrainingOptions(corpus: [corpus.path], model: .markov, tokenizer: .events, context: 16, seed: 3)
        try TrainingRun(options: options, folder: runFolder, cacheFolder: nil, names: CorpusFiles.fileNamesOnly)
            .run(resume: false)
        let run = try TrainedRun(runFolder.path, names: CorpusFiles.fileNamesOnly)
        let fitted = try #require(try run.pieceMemory())
        var stale = fitted
        stale.version -= 1
        try runFolder.write(stale, to: runFolder.pieceMemoryFile)
        #expect(try run.pieceMemory() == fitted)
        try Data("{\"weights\": [".utf8).write(to: URL(fileURLWithPath: runFolder.pieceMemoryFile))
        #expect(try run.pieceMemory() == fitted)
        #expect(try runFolder.read(MemoryMixture.self, from: runFolder.pieceMemoryFile) == fitted)
    }

    @Test func aMarkovRunPicksItsOrderScoresAndGenerates() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tunesmith-markov-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = try writeRandomCorpus(in: folder, pieces: 12)
        let runFolder = RunFolder(folder.appendingPathComponent("run").path)
        let options = TrainingOptions(corpus: [corpus.path], model: .markov, tokenizer: .events, context: 16, seed: 3)
        let tried = OrderLog()
        var progress = TrainingProgress()
        progress.orderScored = { tried.append($0) }
        let summary = try TrainingRun(
            options: options, folder: runFolder, cacheFolder: nil, names: CorpusFiles.fileNamesOnly
        )
        .run(resume: false, progress: progress)
        let records = tried.records
        #expect(records.map(\.order) == Array(2...8))
        let best = try #require(records.min { $0.validationLoss < $1.validationLoss })
        #expect(summary.order == best.order)
        #expect(summary.validationLoss == best.validationLoss)

        let run = try TrainedRun(runFolder.path, names: CorpusFiles.fileNamesOnly)
        let model = try #require(try run.loadModel() as? MarkovModel)
        #expect(model.counts.order == best.order)
        // Scoring a validation piece with the default windows gives what the run measured on it.
        let dataset = try TrainingRun(
            options: options, folder: runFolder, cacheFolder: nil, names: CorpusFiles.fileNamesOnly
        )
        .prepareDataset(progress: TrainingProgress())
        let piece = dataset.validation[0]
        let path = try run.paths(named: [dataset.names[piece]])[0]
        let scored = try Likelihood(run: run, pieceMemory: false).score(file: path)
        #expect(abs(scored.nats - model.kneserNey.nats(of: dataset.sequences[piece])) < 1e-6 * scored.nats)

        let generator = try PieceGenerator(run: run)
        let output = folder.appendingPathComponent("out.mid").path
        let first = try generator.generate(PieceGenerator.Request(length: 80, seed: 5), to: output)
        let again = try generator.generate(PieceGenerator.Request(length: 80, seed: 5), to: output + ".again.mid")
        #expect((1...80).contains(first.tokens) && first.notes > 0)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: output))
                == Data(contentsOf: URL(fileURLWithPath: output + ".again.mid")))
        #expect(again.clearance.matches == first.clearance.matches)
    }

    @Test func theMarkovModelNeedsTheSplitByPieceAndAnOrderThatFits() {
        let seed = TrainingOptions(corpus: [], model: .markov, tokenizer: .notes, splitProtocol: .seed)
        #expect(seed.problem == .markovNeedsPieceSplit(.seed))
        #expect(
            TrainingOptions(corpus: [], model: .lstm, tokenizer: .events, order: 3).problem
                == .orderWithoutMarkovModel(order: 3, model: .lstm))
        #expect(
            TrainingOptions(corpus: [], model: .markov, tokenizer: .events, order: 9).problem == .orderOutOfRange(9))
        #expect(NGramCounts.highestOrder(vocabularySize: EventTokenizer.standard.vocabulary.count) >= 8)
    }

    /// `count` pieces of 40 random eighth notes each.
    private func writeRandomCorpus(in folder: URL, pieces count: Int) throws -> URL {
        let corpus = folder.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        var random = SeededRandom(seed: 8)
        for index in 0..<count {
            let notes = (0..<40).map { step in
                (pitch: UInt8(60 + Int(random.next() % 12)), onset: Double(step) / 2, duration: 0.5)
            }
            try MIDIWriter().write(
                PipelineFixtures.file(notes: notes), to: corpus.appendingPathComponent("piece\(index).mid").path)
        }
        return corpus
    }
}

/// Records collected from a progress callback.
private final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [MarkovOrderRecord] = []
    func append(_ record: MarkovOrderRecord) { lock.withLock { collected.append(record) } }
    var records: [MarkovOrderRecord] { lock.withLock { collected } }
}
