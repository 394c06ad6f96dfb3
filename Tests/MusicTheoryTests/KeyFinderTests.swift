import Foundation
import MIDIFile
import Testing

@testable import MusicTheory

@Suite struct KeyFinderTests {
    @Test(arguments: KeyProfile.Name.allCases)
    func everyProfileCorrelatesOneWithItselfRotated(_ name: KeyProfile.Name) throws {
        let profile = KeyProfile.named(name)
        let finder = KeyFinder(profile: profile)
        for key in Key.all {
            let weights = profile.weights(for: key.mode)
            let rotated = (0..<12).map { weights[Pitch.pitchClass(of: $0 - key.tonic)] }
            let estimate = try #require(finder.estimate(rotated))
            #expect(estimate.best.key == key)
            #expect(abs(estimate.best.correlation - 1) < 1e-12)
            #expect(estimate.candidates.count == 24)
            #expect(estimate.confidence > 0)
            #expect(finder.best(rotated)?.candidate.key == key)
        }
    }

    @Test func profilesAreTwelveWeightsWithACitation() {
        #expect(KeyProfile.all.count == 6)
        for profile in KeyProfile.all {
            #expect(profile.major.count == 12 && profile.minor.count == 12)
            #expect(profile.citation.count > 20)
            // The tonic outweighs the tritone in every published profile.
            #expect(profile.major[0] > profile.major[6] && profile.minor[0] > profile.minor[6])
        }
    }

    @Test func flatOrEmptyDistributionsHaveNoKey() {
        let finder = KeyFinder()
        #expect(finder.estimate(Array(repeating: 0, count: 12)) == nil)
        #expect(finder.estimate(Array(repeating: 3, count: 12)) == nil)
        #expect(finder.best(Array(repeating: 0, count: 12)) == nil)
    }

    /// "Twinkle, Twinkle" in D major, whole tune: D D A A B B A, G G F# F# E E D.
    @Test func twinkleTwinkleIsInDMajor() throws {
        let melody: [(UInt8, Double)] = [
            (62, 1), (62, 1), (69, 1), (69, 1), (71, 1), (71, 1), (69, 2),
            (67, 1), (67, 1), (66, 1), (66, 1), (64, 1), (64, 1), (62, 2),
        ]
        let analysis = Analyzer.analyze(melodyFile(melody), file: "twinkle", options: AnalysisOptions())
        let key = try #require(analysis.key).best.key
        #expect(key == Key(tonic: 2, mode: .major))
    }

    /// An A harmonic-minor line with a long tonic and a leading tone: A C E A G# A B C B A E A.
    @Test func harmonicMinorLineIsInAMinor() throws {
        let melody: [(UInt8, Double)] = [
            (57, 2), (60, 1), (64, 1), (69, 2), (68, 0.5), (69, 1.5), (71, 1),
            (72, 1), (71, 1), (69, 1), (64, 1), (57, 4),
        ]
        for profile in [KeyProfile.Name.krumhansl, .aarden, .temperley, .albrecht] {
            let analysis = Analyzer.analyze(
                melodyFile(melody), file: "minor", options: AnalysisOptions(profile: profile))
            #expect(try #require(analysis.key).best.key == Key(tonic: 9, mode: .minor), "profile \(profile)")
        }
    }

    /// One long C against many short F#s: durations say C, counts say F#.
    @Test func weightingChoosesBetweenDurationAndCount() throws {
        var melody: [(UInt8, Double)] = [(60, 16), (64, 8), (67, 8)]
        melody +=
            Array(repeating: (66, 0.25), count: 24) + Array(repeating: (61, 0.25), count: 12)
            + Array(repeating: (70, 0.25), count: 12)
        let result = melodyFile(melody)
        let byDuration = Analyzer.analyze(result, file: "weights", options: AnalysisOptions(weighting: .duration))
        let byCount = Analyzer.analyze(result, file: "weights", options: AnalysisOptions(weighting: .count))
        #expect(try #require(byDuration.key).best.key == Key(tonic: 0, mode: .major))
        #expect(try #require(byCount.key).best.key == Key(tonic: 6, mode: .major))
    }

    /// music21's own pitch-class distributions, correlated by our finder, must give music21's
    /// keys and correlations: the profiles and the correlation are the same computation.
    @Test(.enabled(if: SharedData.hasReference))
    func music21DistributionsGiveMusic21Keys() throws {
        let names: [(KeyProfile.Name, String)] = [
            (.krumhansl, "KrumhanslSchmuckler"), (.aarden, "AardenEssen"),
            (.temperley, "TemperleyKostkaPayne"), (.bellman, "BellmanBudge"), (.simple, "SimpleWeights"),
        ]
        let finders = names.map { (KeyFinder(profile: .named($0.0)), $0.1) }
        let text = try String(contentsOfFile: SharedData.referenceKeys, encoding: .utf8)
        var checked = 0, differingInTies = 0
        for line in text.split(separator: "\n") {
            let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard let distribution = record["pc_dist"] as? [Double],
                let keys = record["keys"] as? [String: [String: Any]]
            else { continue }
            for (finder, music21Name) in finders {
                let expected = try #require(keys[music21Name])
                let estimate = try #require(finder.estimate(distribution))
                let correlation = try #require(expected["correlation"] as? Double)
                #expect(abs(estimate.best.correlation - correlation) < 1e-5, "\(record["file"]!) \(music21Name)")
                let sameKey =
                    estimate.best.key.tonic == expected["tonic_pc"] as? Int
                    && estimate.best.key.mode.rawValue == expected["mode"] as? String
                if !sameKey {
                    // Only an exact tie may resolve differently.
                    differingInTies += 1
                    #expect(
                        estimate.confidence < 1e-9,
                        "\(record["file"]!) \(music21Name): \(estimate.best.key) vs \(expected)")
                }
                checked += 1
            }
        }
        #expect(checked > 2500)
        #expect(differingInTies <= checked / 100)
    }
}
