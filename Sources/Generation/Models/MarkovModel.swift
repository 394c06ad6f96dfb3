import Foundation

/// The n-gram baseline behind the same interface as the networks, so generation, likelihood
/// and validation treat it like any other model: at every position of a (B, T) window it gives
/// the Kneser–Ney log-probabilities of the next token, seeing the order − 1 tokens before
/// (fewer at the start of the window). Its logits are those log-probabilities, so sampling
/// with a temperature and a nucleus works on its distribution as on a network's. It learns
/// by counting, not by gradient: it has no parameters, and `backward` has nothing to do.
public final class MarkovModel: SequenceModel {
    public let config: ModelConfig
    public let parameters = ParameterSet(layout: TensorLayout())
    public let batch: Int, time: Int
    /// No dropout to draw; kept because every model carries one.
    public var random: SeededRandom
    public let counts: NGramCounts
    public let kneserNey: KneserNeyModel
    /// (B, T, V) log-probabilities of the last forward.
    private var logProbabilities: [Float]

    public convenience init(counts: NGramCounts, batch: Int, time: Int) {
        self.init(counts: counts, kneserNey: KneserNeyModel(counts: counts), batch: batch, time: time)
    }

    /// With the smoothed model of exactly these counts already built.
    init(counts: NGramCounts, kneserNey: KneserNeyModel, batch: Int, time: Int) {
        precondition(
            kneserNey.order == counts.order, "a model of order \(kneserNey.order) for counts of order \(counts.order)")
        self.counts = counts
        self.kneserNey = kneserNey
        config = .markov(vocabularySize: counts.vocabularySize, order: counts.order)
        self.batch = batch
        self.time = time
        random = SeededRandom(seed: 0)
        logProbabilities = [Float](repeating: 0, count: batch * time * counts.vocabularySize)
    }

    @discardableResult
    public func forward(tokens: UnsafePointer<Int32>, targets: UnsafePointer<Int32>?, training: Bool) -> Float? {
        let vocabulary = config.vocabularySize
        var loss = 0.0
        for sequence in 0..<batch {
            let window = Array(UnsafeBufferPointer(start: tokens + sequence * time, count: time))
            for position in 0..<time {
                let history = window[max(0, position + 2 - counts.order)..<(position + 1)]
                let probabilities = kneserNey.distribution(after: history)
                let row = (sequence * time + position) * vocabulary
                for token in 0..<vocabulary { logProbabilities[row + token] = Float(log(probabilities[token])) }
                if let targets { loss -= log(probabilities[Int(targets[sequence * time + position])]) }
            }
        }
        return targets == nil ? nil : Float(loss / Double(batch * time))
    }

    public func backward() {}

    public func logits(sequence: Int, position: Int) -> [Float] {
        let start = (sequence * time + position) * config.vocabularySize
        return Array(logProbabilities[start..<(start + config.vocabularySize)])
    }
}
