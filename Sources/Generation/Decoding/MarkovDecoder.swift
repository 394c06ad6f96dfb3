import Foundation

/// The Markov model's incremental decoding: it sees only the last order − 1 tokens, so those
/// are all the state there is, and each step costs one distribution whatever the length.
final class MarkovDecoder: TokenDecoder {
    let model: MarkovModel
    private var recent: [Int32] = []

    init(model: MarkovModel) {
        self.model = model
    }

    func append(_ tokens: [Int32]) -> [Float] {
        precondition(!tokens.isEmpty, "a step needs at least one token")
        recent = Array((recent + tokens).suffix(model.counts.order - 1))
        return model.kneserNey.distribution(after: recent).map { Float(log($0)) }
    }
}
