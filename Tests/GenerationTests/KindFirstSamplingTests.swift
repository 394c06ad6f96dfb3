import Foundation
import Testing

@testable import Generation

/// Kind-first sampling: the kind of the next token is drawn at the model's own odds, and the
/// temperature and nucleus choose only among that kind's tokens; the sampler draws what
/// `probabilities` (the reference, written out in full) says.
@Suite struct KindFirstSamplingTests {
    /// A chord note spread over many pitches (kind 1) against a next position on few tokens (kind 0),
    /// as a model writes after a note: 40 pitches at logit 0, two positions at ln 15.
    static let logits: [Float] = [Float(log(15.0)), Float(log(15.0))] + [Float](repeating: 0, count: 40)
    static let kinds: [UInt8] = [0, 0] + [UInt8](repeating: 1, count: 40)

    static func modelMass(_ logits: [Float], _ kinds: [UInt8]) -> [Double] {
        let mass = SamplingOptions.kindMass(logits: logits, kinds: kinds)
        let total = mass.reduce(0, +)
        return mass.map { $0 / total }
    }

    static func massByKind(_ probabilities: [Double], _ kinds: [UInt8]) -> [Double] {
        var mass = [Double](repeating: 0, count: Int(kinds.max()!) + 1)
        for (index, probability) in probabilities.enumerated() { mass[Int(kinds[index])] += probability }
        return mass
    }

    @Test func eachKindKeepsTheModelsOwnShareWhateverTheCut() {
        let model = Self.modelMass(Self.logits, Self.kinds)
        #expect(abs(model[1] - 40.0 / 70.0) < 1e-6)  // logits in Float: ln 15 rounds
        for (temperature, topP) in [(Float(1), Float(0.95)), (0.9, 0.9), (0.6, 0.5), (1.3, 1)] {
            let options = SamplingOptions(temperature: temperature, topP: topP, kindFirst: true)
            let kindFirst = Self.massByKind(options.probabilities(logits: Self.logits, kinds: Self.kinds), Self.kinds)
            #expect(abs(kindFirst[1] - model[1]) < 1e-9, "T \(temperature), p \(topP)")
        }
        // What it fixes: the whole-vocabulary cut takes its tokens from the spread-out kind.
        let whole = SamplingOptions(temperature: 0.9, topP: 0.9, kindFirst: false)
        let wholeMass = Self.massByKind(whole.probabilities(logits: Self.logits, kinds: Self.kinds), Self.kinds)
        #expect(wholeMass[1] < model[1] - 0.05)
    }

    @Test func withinAKindTheCutIsThePlainNucleus() {
        let options = SamplingOptions(temperature: 0.8, topP: 0.7, kindFirst: true)
        let pitches = Array(Self.logits[2...]).enumerated().map { Float($0.offset % 5) }
        let oneKind = options.probabilities(logits: pitches, kinds: [UInt8](repeating: 1, count: pitches.count))
        let plain = options.probabilities(logits: pitches, kinds: nil)
        #expect(zip(oneKind, plain).allSatisfy { abs($0 - $1) < 1e-12 })
        // The nucleus keeps the most likely tokens: logit 4 ones are kept, logit 0 ones are not.
        #expect(plain[4] > 0 && plain[0] == 0)
    }

    /// The sampler against the reference: 40,000 draws per setting, each token's share within
    /// 0.01 of the probability `probabilities` gives it, with and without kinds.
    @Test func theDrawsFollowTheReference() {
        var random = SeededRandom(seed: 7)
        let logits = (0..<24).map { Float(sin(Double($0) * 1.7)) * 2 }
        let kinds = (0..<24).map { UInt8($0 % 4) }
        for options in [
            SamplingOptions(temperature: 0.8, topP: 0.9, kindFirst: true),
            SamplingOptions(temperature: 1, topK: 5, topP: 1, kindFirst: true),
            SamplingOptions(temperature: 0.8, topP: 0.9, kindFirst: false),
        ] {
            let reference = options.probabilities(logits: logits, kinds: kinds)
            var counts = [Int](repeating: 0, count: logits.count)
            let draws = 40_000
            for _ in 0..<draws { counts[Int(options.sample(logits: logits, kinds: kinds, random: &random))] += 1 }
            for index in logits.indices {
                #expect(
                    abs(Double(counts[index]) / Double(draws) - reference[index]) < 0.01, "\(options) token \(index)")
            }
        }
    }

    @Test func forbiddenTokensAndTemperatureZero() {
        var random = SeededRandom(seed: 3)
        var logits = Self.logits
        logits[0] = -.infinity
        logits[1] = -.infinity
        // A kind whose tokens are all forbidden is never drawn.
        for _ in 0..<200 {
            #expect(SamplingOptions(kindFirst: true).sample(logits: logits, kinds: Self.kinds, random: &random) >= 2)
        }
        // Temperature 0 is the arg max over the whole vocabulary.
        #expect(
            SamplingOptions(temperature: 0, kindFirst: true).sample(
                logits: Self.logits, kinds: Self.kinds, random: &random) < 2)
    }
}
