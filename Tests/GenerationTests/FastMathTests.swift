import Foundation
import Generation
import Testing

@Suite struct FastMathTests {
    /// Every 1/64 from −20 to 20 plus tiny and huge magnitudes.
    static let inputs: [Float] =
        stride(from: Float(-20), through: 20, by: 1.0 / 64).map { $0 }
        + [1e-7, -1e-7, 1e-4, -3e-3, 50, -50, 87, -87, 200, -200]

    @Test func expMatchesFoundation() {
        for x in Self.inputs where abs(x) < 80 {
            let expected = Foundation.exp(Double(x))
            let relative = abs(Double(FastMath.exp(x)) - expected) / expected
            #expect(relative < 4e-7, "exp(\(x)) = \(FastMath.exp(x)), expected \(expected)")
        }
        #expect(FastMath.exp(-200) < 1e-37)
        #expect(FastMath.exp(200).isFinite)
    }

    @Test func tanhMatchesFoundation() {
        for x in Self.inputs {
            let expected = Foundation.tanh(Double(x))
            let error = abs(Double(FastMath.tanh(x)) - expected)
            #expect(
                error <= 3e-7 * max(abs(expected), 1e-3) + 1e-10,
                "tanh(\(x)) = \(FastMath.tanh(x)), expected \(expected)")
        }
    }

    @Test func sigmoidMatchesDefinition() {
        for x in Self.inputs {
            let expected = 1 / (1 + Foundation.exp(-Double(x)))
            #expect(abs(Double(FastMath.sigmoid(x)) - expected) < 2e-7, "sigmoid(\(x))")
        }
    }
}
