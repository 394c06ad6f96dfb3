/// Key profiles: how strongly each of the 12 scale degrees (tonic first) belongs to a
/// major or a minor key. One table, each row with where its numbers come from.
public struct KeyProfile: Hashable, Sendable {
    public enum Name: String, Hashable, Sendable, Codable, CaseIterable {
        case krumhansl, aarden, temperley, bellman, simple, albrecht
    }

    public var name: Name
    public var title: String
    public var citation: String
    public var major: [Double]
    public var minor: [Double]

    public func weights(for mode: Key.Mode) -> [Double] { mode == .major ? major : minor }

    public static func named(_ name: Name) -> KeyProfile { all.first { $0.name == name }! }

    /// Values as published; the first five are also music21's (`analysis/discrete.py`),
    /// which takes them from Sapp's Humdrum `keycor` documentation.
    public static let all: [KeyProfile] = [
        KeyProfile(
            name: .krumhansl, title: "Krumhansl–Kessler",
            citation:
                "Krumhansl & Kessler (1982), Psychological Review 89(4):334–368; Krumhansl (1990), Cognitive Foundations of Musical Pitch. Probe-tone ratings.",
            major: [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
            minor: [6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]),
        KeyProfile(
            name: .aarden, title: "Aarden–Essen",
            citation:
                "Aarden (2003), Dynamic Melodic Expectancy, PhD thesis, Ohio State University. Tone frequencies in the Essen folksong collection.",
            major: [
                17.7661, 0.145624, 14.9265, 0.160186, 19.8049, 11.3587, 0.291248, 22.062, 0.145624, 8.15494, 0.232998,
                4.95122,
            ],
            minor: [
                18.2648, 0.737619, 14.0499, 16.8599, 0.702494, 14.4362, 0.702494, 18.6161, 4.56621, 1.93186, 7.37619,
                1.75623,
            ]),
        KeyProfile(
            name: .temperley, title: "Temperley–Kostka–Payne",
            citation:
                "Temperley (2007), Music and Probability, MIT Press. Proportion of segments containing each degree in the Kostka–Payne harmony textbook excerpts.",
            major: [0.748, 0.060, 0.488, 0.082, 0.670, 0.460, 0.096, 0.715, 0.104, 0.366, 0.057, 0.400],
            minor: [0.712, 0.084, 0.474, 0.618, 0.049, 0.460, 0.105, 0.747, 0.404, 0.067, 0.133, 0.330]),
        KeyProfile(
            name: .bellman, title: "Bellman–Budge",
            citation:
                "Bellman (2005), About the Determination of Key of a Musical Excerpt, CMMR 2005 (LNCS 3902), from Budge (1943) chord frequencies.",
            major: [16.80, 0.86, 12.95, 1.41, 13.49, 11.93, 1.25, 20.28, 1.80, 8.04, 0.62, 10.57],
            minor: [18.16, 0.69, 12.99, 13.34, 1.07, 11.15, 1.38, 21.07, 7.49, 1.53, 0.92, 10.21]),
        KeyProfile(
            name: .simple, title: "Sapp simple weights",
            citation:
                "Sapp (2011), Computational Methods for the Analysis of Musical Structure, PhD thesis, Stanford University. Hand-set weights.",
            major: [2, 0, 1, 0, 1, 1, 0, 2, 0, 1, 0, 1],
            minor: [2, 0, 1, 1, 0, 1, 0, 2, 1, 0, 0.5, 0.5]),
        KeyProfile(
            name: .albrecht, title: "Albrecht–Shanahan",
            citation:
                "Albrecht & Shanahan (2013), The Use of Large Corpora to Train a New Type of Key-Finding Algorithm, Music Perception 31(1):59–67.",
            major: [0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.080, 0.008, 0.081],
            minor: [0.220, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052]),
    ]
}
