/// Runs training steps: forward, backward, gradient clipping, scheduled AdamW. Owns the
/// optimiser moments and the random stream that picks training windows, so a checkpoint
/// of a Trainer resumes exactly.
public final class Trainer {
    public let model: any SequenceModel
    public var optimizer: AdamW
    public var schedule: LearningRateSchedule
    public var clipNorm: Float
    /// Steps taken so far; the next step is `step + 1`.
    public internal(set) var step = 0
    /// Picks training windows; saved in checkpoints.
    public var sampler: SeededRandom
    /// Trains on the model's own draws as well as the real tokens; nil trains on real windows only.
    /// Its draws come from `sampler`, so a checkpoint resumes them too.
    public var scheduledSampling: ScheduledSampling?
    /// The sampler's seed is the run's seed xor this, so its stream differs from the weights'.
    static let samplerSalt: UInt64 = 0x5EED_0F_5A3B_1E5
    let firstMoments: FloatBuffer
    let secondMoments: FloatBuffer

    public init(
        model: any SequenceModel, optimizer: AdamW = AdamW(weightDecay: 0.1), schedule: LearningRateSchedule,
        clipNorm: Float = 1, seed: UInt64
    ) {
        self.model = model
        self.optimizer = optimizer
        self.schedule = schedule
        self.clipNorm = clipNorm
        sampler = SeededRandom(seed: seed ^ Self.samplerSalt)
        firstMoments = FloatBuffer(count: model.parameters.count)
        secondMoments = FloatBuffer(count: model.parameters.count)
    }

    /// The same training state for windows of another shape (a context curriculum's switch):
    /// parameters, AdamW moments, step, schedule, clipping and both random streams carry over
    /// unchanged, because a model's parameter layout depends on its config, not on the
    /// windows it is given (rotary positions; a learned table has `config.context` rows either way).
    public func reshaped(batch: Int, time: Int) -> Trainer {
        let resized = Models.make(model.config, batch: batch, time: time, seed: 0)
        let parameters = model.parameters
        precondition(resized.parameters.layout == parameters.layout, "a reshaped model keeps its parameter layout")
        resized.parameters.values.base.update(from: parameters.values.base, count: parameters.count)
        resized.random = model.random
        let trainer = Trainer(model: resized, optimizer: optimizer, schedule: schedule, clipNorm: clipNorm, seed: 0)
        trainer.firstMoments.base.update(from: firstMoments.base, count: firstMoments.count)
        trainer.secondMoments.base.update(from: secondMoments.base, count: secondMoments.count)
        trainer.sampler = sampler
        trainer.scheduledSampling = scheduledSampling
        trainer.step = step
        return trainer
    }

    /// One optimisation step on tokens, targets (B, T): with `scheduledSampling`, on the tokens
    /// mixed with the model's own draws. Returns the loss before the update.
    @discardableResult
    public func train(tokens: UnsafePointer<Int32>, targets: UnsafePointer<Int32>) -> Float {
        let parameters = model.parameters
        let share = scheduledSampling?.share(at: step + 1, of: schedule.totalSteps) ?? 0
        let mixed = scheduledSampling.map { $0.mixed(tokens: tokens, model: model, share: share, random: &sampler) }
        parameters.grads.zero()
        let loss =
            mixed.map { inputs in
                inputs.withUnsafeBufferPointer {
                    model.forward(tokens: $0.baseAddress!, targets: targets, training: true)!
                }
            } ?? model.forward(tokens: tokens, targets: targets, training: true)!
        model.backward()
        if clipNorm > 0 { GradientClipping.clip(parameters.grads.base, count: parameters.count, maximum: clipNorm) }
        step += 1
        let rate = schedule.rate(at: step)
        for entry in parameters.layout.entries {
            optimizer.update(
                params: parameters.values.base + entry.offset, grads: parameters.grads.base + entry.offset,
                m: firstMoments.base + entry.offset, v: secondMoments.base + entry.offset,
                count: entry.count, learningRate: rate, step: step, decay: ParameterSet.decays(entry))
        }
        return loss
    }

    @discardableResult
    public func train(tokens: [Int32], targets: [Int32]) -> Float {
        precondition(
            tokens.count == model.batch * model.time && targets.count == tokens.count,
            "a step takes \(model.batch) × \(model.time) tokens and as many targets")
        return tokens.withUnsafeBufferPointer { t in
            targets.withUnsafeBufferPointer { train(tokens: t.baseAddress!, targets: $0.baseAddress!) }
        }
    }

    /// B windows of T + 1 consecutive tokens drawn from `sequence`; targets are the tokens shifted by one.
    public func sampleBatch(from sequence: [Int32]) -> (tokens: [Int32], targets: [Int32]) {
        let batch = model.batch, time = model.time
        precondition(
            sequence.count > time, "a sequence of \(sequence.count) tokens is too short for windows of \(time) + 1")
        var tokens = [Int32](), targets = [Int32]()
        tokens.reserveCapacity(batch * time)
        targets.reserveCapacity(batch * time)
        for _ in 0..<batch {
            let start = Int(sampler.next() % UInt64(sequence.count - time))
            tokens += sequence[start..<(start + time)]
            targets += sequence[(start + 1)...(start + time)]
        }
        return (tokens, targets)
    }

    /// Mean loss on the given windows without changing anything the next step depends on.
    public func evaluate(tokens: [Int32], targets: [Int32]) -> Float {
        tokens.withUnsafeBufferPointer { t in
            targets.withUnsafeBufferPointer {
                model.forward(tokens: t.baseAddress!, targets: $0.baseAddress!, training: false)!
            }
        }
    }
}
