import Foundation

/// What sharing each note is worth: the rarity, in the index, of the step seed that starts
/// on it (the last few notes take the last seed's). A run most indexed pieces hold (a scale,
/// an arpeggio, a repeated note) earns almost nothing; a run no other piece holds earns 1.
/// This is the inverse document frequency of information retrieval, scaled to 0…1.
public enum RarityWeights {
    /// Even the commonest run earns a little, so long shared passages still add up.
    public static let floor: Float = 0.05

    /// - Parameter documentFrequency: how many indexed pieces hold a step seed.
    public static func weights(for pitches: [UInt8], pieceCount: Int, documentFrequency: (Int32) -> Int) -> [Float] {
        let seeds = Seeds.stepSeeds(of: pitches)
        guard !seeds.isEmpty else { return [Float](repeating: 1, count: pitches.count) }
        let perSeed = seeds.map { weight(documentFrequency: documentFrequency($0.value), pieceCount: pieceCount) }
        return pitches.indices.map { perSeed[min($0, perSeed.count - 1)] }
    }

    public static func weight(documentFrequency: Int, pieceCount: Int) -> Float {
        let pieces = Double(max(pieceCount, 1))
        let rarity = log((pieces + 1) / Double(documentFrequency + 1)) / log(pieces + 1)
        return Float(min(1, max(Double(floor), rarity)))
    }
}
