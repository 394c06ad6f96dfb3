/// A model's parameters and their gradients, one flat buffer each, sharing one layout.
public final class ParameterSet: @unchecked Sendable {
    public let layout: TensorLayout
    public let values: FloatBuffer
    public let grads: FloatBuffer

    public init(layout: TensorLayout) {
        self.layout = layout
        values = FloatBuffer(count: layout.totalCount)
        grads = FloatBuffer(count: layout.totalCount)
    }

    public var count: Int { layout.totalCount }

    public func value(_ name: String) -> UnsafeMutablePointer<Float> { values.base + offset(name) }
    public func grad(_ name: String) -> UnsafeMutablePointer<Float> { grads.base + offset(name) }

    private func offset(_ name: String) -> Int {
        guard let entry = layout[name] else { preconditionFailure("no parameter named \(name)") }
        return entry.offset
    }

    /// Matrices decay; biases, gains and other vectors do not (the usual AdamW practice).
    public static func decays(_ entry: TensorLayout.Entry) -> Bool { entry.shape.count >= 2 }

    /// Uniform in ±bound, as PyTorch's default for Linear / LSTM weights with bound 1/√fan_in.
    func fillUniform(_ name: String, bound: Float, random: inout SeededRandom) {
        let entry = layout[name]!
        let p = values.base + entry.offset
        for j in 0..<entry.count { p[j] = (2 * random.nextUnitFloat() - 1) * bound }
    }

    func fillGaussian(_ name: String, deviation: Float, random: inout SeededRandom) {
        let entry = layout[name]!
        let p = values.base + entry.offset
        for j in 0..<entry.count { p[j] = random.nextGaussian() * deviation }
    }

    func fill(_ name: String, with value: Float) {
        let entry = layout[name]!
        (values.base + entry.offset).update(repeating: value, count: entry.count)
    }
}

/// A network that predicts the next token at every position of a (B, T) window.
public protocol SequenceModel: AnyObject {
    var config: ModelConfig { get }
    var parameters: ParameterSet { get }
    var batch: Int { get }
    var time: Int { get }
    /// Draws dropout masks; saved in checkpoints.
    var random: SeededRandom { get set }

    /// tokens, targets (B, T), batch-major. Returns the mean cross-entropy over all B·T
    /// positions (nil without targets); with `training`, keeps what `backward` needs.
    @discardableResult
    func forward(tokens: UnsafePointer<Int32>, targets: UnsafePointer<Int32>?, training: Bool) -> Float?

    /// Accumulates into `parameters.grads` the gradient of the last training forward's loss.
    func backward()

    /// Next-token logits (V) at `position` of `sequence`, from the last forward that did not train
    /// (training overwrites the logits with their gradient).
    func logits(sequence: Int, position: Int) -> [Float]
}

public enum Models {
    /// Builds a freshly initialised model for windows of batch × time tokens (a Markov model
    /// that has counted nothing yet: uniform).
    public static func make(_ config: ModelConfig, batch: Int, time: Int, seed: UInt64) -> any SequenceModel {
        switch config.kind {
        case .lstm: return LSTMModel(config: config, batch: batch, time: time, seed: seed)
        case .wavenet: return WaveNetModel(config: config, batch: batch, time: time, seed: seed)
        case .transformer: return TransformerModel(config: config, batch: batch, time: time, seed: seed)
        case .markov:
            let nothingCounted = NGramCounts(pieces: [], order: config.layers, vocabularySize: config.vocabularySize)
            return MarkovModel(counts: nothingCounted, batch: batch, time: time)
        }
    }

    /// `model`'s network and parameters for one sequence of `time` tokens: the parameters'
    /// shapes do not depend on the window.
    public static func make(sameAs model: any SequenceModel, time: Int) -> any SequenceModel {
        if let markov = model as? MarkovModel {
            return MarkovModel(counts: markov.counts, kneserNey: markov.kneserNey, batch: 1, time: time)
        }
        let copy = make(model.config, batch: 1, time: time, seed: 0)
        precondition(copy.parameters.layout == model.parameters.layout)
        copy.parameters.values.base.update(from: model.parameters.values.base, count: model.parameters.count)
        return copy
    }
}

/// Token arrays turned from (B, T) to (T, B) order for the time-major models.
func transposeToTimeMajor(
    _ source: UnsafePointer<Int32>, into destination: UnsafeMutablePointer<Int32>, batch: Int, time: Int
) {
    for b in 0..<batch { for t in 0..<time { destination[t * batch + b] = source[b * time + t] } }
}

/// Mean next-token cross-entropy of time-major logits (T·B, V) against (B, T) targets,
/// shared by the time-major models. When training, the logits are overwritten by their
/// gradient. `rows` (T·B) is scratch for the targets turned time-major.
func timeMajorCrossEntropy(
    logits: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>, rows: inout [Int32],
    batch: Int, time: Int, vocabulary: Int, training: Bool
) -> Float {
    rows.withUnsafeMutableBufferPointer { rows in
        transposeToTimeMajor(targets, into: rows.baseAddress!, batch: batch, time: time)
        return CrossEntropy.forwardBackward(
            logits: logits, targets: rows.baseAddress!, dlogits: training ? logits : nil,
            rows: batch * time, vocabulary: vocabulary)
    }
}

/// The logits (V) of one sequence's position in time-major logits (T·B, V).
func timeMajorLogits(_ logits: UnsafePointer<Float>, sequence: Int, position: Int, batch: Int, vocabulary: Int)
    -> [Float]
{
    Array(UnsafeBufferPointer(start: logits + (position * batch + sequence) * vocabulary, count: vocabulary))
}
