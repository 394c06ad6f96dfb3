import Foundation
import Generation
import Testing

/// A synthetic language: a fixed random motif of 12 tokens over a vocabulary of 10,
/// repeated. The next token is determined by the previous two, so a model that learns
/// anything gets far below the ln 10 ≈ 2.3 it starts at.
let motifSequence: [Int32] = {
    var generator = SeededRandom(seed: 2024)
    let motif = (0..<12).map { _ in Int32(generator.next() % 10) }
    return (0..<600).map { motif[$0 % motif.count] }
}()

let smallConfigs: [ModelConfig] = [
    .lstm(vocabularySize: 10, embedding: 16, hidden: 32, layers: 2, dropout: 0.1),
    .wavenet(vocabularySize: 10, channels: 16, skipChannels: 32, blocks: 4),
    .transformer(vocabularySize: 10, width: 32, layers: 2, heads: 2, context: 16),
]

func makeTrainer(_ config: ModelConfig, seed: UInt64 = 7, totalSteps: Int = 300) -> Trainer {
    Trainer(
        model: Models.make(config, batch: 8, time: 16, seed: seed),
        schedule: LearningRateSchedule(peak: 1e-2, minimum: 1e-3, warmupSteps: 20, totalSteps: totalSteps), seed: seed)
}

func trainSteps(_ trainer: Trainer, _ count: Int) -> [Float] {
    (0..<count).map { _ in
        let batch = trainer.sampleBatch(from: motifSequence)
        return trainer.train(tokens: batch.tokens, targets: batch.targets)
    }
}

@Suite struct TrainingTests {
    @Test(arguments: smallConfigs)
    func lossFallsFarBelowItsStart(config: ModelConfig) {
        let trainer = makeTrainer(config)
        let losses = trainSteps(trainer, 300)
        let start = losses.prefix(5).reduce(0, +) / 5, end = losses.suffix(10).reduce(0, +) / 10
        #expect(start > 1.8, "\(config.kind) starts at \(start); expected near ln 10")
        #expect(end < 0.25 * start, "\(config.kind) loss went from \(start) to only \(end)")
    }

    @Test(arguments: smallConfigs)
    func sameSeedSameLosses(config: ModelConfig) {
        let first = trainSteps(makeTrainer(config), 12)
        let second = trainSteps(makeTrainer(config), 12)
        let otherSeed = trainSteps(makeTrainer(config, seed: 8), 12)
        #expect(first == second)
        #expect(first != otherSeed)
    }

    @Test(arguments: smallConfigs)
    func resumeContinuesTheSameLossCurve(config: ModelConfig) throws {
        let uninterrupted = trainSteps(makeTrainer(config), 40)
        let interrupted = makeTrainer(config)
        let before = trainSteps(interrupted, 20)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "resume-\(config.kind)-\(getpid())"
        ).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Checkpoint.save(interrupted, to: directory)
        let resumed = try Checkpoint.loadTrainer(from: directory)
        #expect(resumed.step == 20)
        let after = trainSteps(resumed, 20)
        #expect(before + after == uninterrupted)
    }

    @Test func defaultWaveNetSeesAtLeast256Tokens() {
        #expect(ModelConfig.wavenet(vocabularySize: 10).receptiveField >= 256)
        #expect(ModelConfig.wavenet(vocabularySize: 10, blocks: 4).receptiveField == 16)
    }

    @Test func scheduleWarmsUpThenDecays() {
        let schedule = LearningRateSchedule(peak: 1, minimum: 0.1, warmupSteps: 10, totalSteps: 110)
        #expect(schedule.rate(at: 1) == 0.1)
        #expect(schedule.rate(at: 10) == 1)
        #expect(abs(schedule.rate(at: 60) - 0.55) < 1e-6)
        #expect(schedule.rate(at: 110) == 0.1)
        #expect(schedule.rate(at: 500) == 0.1)
        let rates = (10...110).map(schedule.rate(at:))
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test func warmupIsAShareOfTheRunsSteps() {
        var schedule = LearningRateSchedule(peak: 1, minimum: 0.1, totalSteps: 1000)
        let share = LearningRateSchedule.warmupShare
        #expect(schedule.warmupSteps == Int(share * 1000))
        #expect(schedule.rate(at: schedule.warmupSteps) == 1)
        schedule.fit(totalSteps: 8000, after: 20)
        #expect(schedule.warmupSteps == Int(share * 8000))
        #expect(schedule.totalSteps == 8000)
        schedule.fit(totalSteps: 100, after: 20)
        #expect(schedule.warmupSteps == 20, "a warm-up already past stays finished")
        #expect(schedule.rate(at: 21) < 1)
    }

    @Test func clippingScalesToTheMaximumNorm() {
        let gradient = Buffer([3, 4, 0, 0, 0, 0, 0, 0, 0, 12])
        let norm = GradientClipping.clip(gradient.pointer, count: 10, maximum: 6.5)
        #expect(norm == 13)
        let clipped = gradient.values.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
        #expect(abs(clipped - 6.5) < 1e-4)
        let small = Buffer([0.3, 0.4])
        #expect(GradientClipping.clip(small.pointer, count: 2, maximum: 1) == 0.5)
        #expect(small.values == [0.3, 0.4])
    }
}
