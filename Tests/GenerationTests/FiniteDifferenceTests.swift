import Foundation
import Generation
import Testing

/// Whole-model gradients against central differences of the loss, on tiny shapes.
@Suite struct FiniteDifferenceTests {
    static let configs: [ModelConfig] = [
        .lstm(vocabularySize: 7, embedding: 5, hidden: 6, layers: 2),
        .wavenet(vocabularySize: 7, channels: 5, skipChannels: 6, blocks: 3),
        .transformer(vocabularySize: 7, width: 8, layers: 2, heads: 2, context: 8),
        .transformer(vocabularySize: 7, width: 8, layers: 2, heads: 2, context: 8, positions: .learned),
    ]

    @Test(arguments: configs)
    func gradientsMatchCentralDifferences(config: ModelConfig) {
        let batch = 2, time = 6
        let model = Models.make(config, batch: batch, time: time, seed: 42)
        var generator = SeededRandom(seed: 9)
        let tokens = (0..<(batch * time)).map { _ in Int32(generator.next() % 7) }
        let targets = (0..<(batch * time)).map { _ in Int32(generator.next() % 7) }
        func loss() -> Double {
            Double(model.forward(tokens: tokens, targets: targets, training: false)!)
        }
        model.parameters.grads.zero()
        model.forward(tokens: tokens, targets: targets, training: true)
        model.backward()
        let values = model.parameters.values.base, grads = model.parameters.grads.base
        var checked = 0
        for entry in model.parameters.layout.entries {
            // A few elements of every tensor, including its first and last.
            for index in Set([0, entry.count / 3, entry.count - 1]) {
                let position = entry.offset + index
                let original = values[position]
                let step: Float = 3e-3
                values[position] = original + step
                let plus = loss()
                values[position] = original - step
                let minus = loss()
                values[position] = original
                let numeric = Float((plus - minus) / (2 * Double(step)))
                let analytic = grads[position]
                #expect(
                    abs(numeric - analytic) <= 3e-2 * abs(analytic) + 3e-4,
                    "\(config.kind) \(entry.name)[\(index)]: analytic \(analytic), numeric \(numeric)")
                checked += 1
            }
        }
        #expect(checked > 10)
    }
}

extension ModelConfig: CustomTestStringConvertible {
    public var testDescription: String { kind.rawValue }
}
