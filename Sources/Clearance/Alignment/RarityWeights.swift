import Foundation

/// What sharing each note is worth: the rarity, in the index, of the rarest seed that the
/// two lines share and that covers the note. A run most indexed pieces hold (a scale, an
/// arpeggio, a repeated note) earns almost nothing; a run no other piece holds earns 1; a
/// note no shared seed covers (a chance agreement of single notes) earns the floor. This is
/// the inverse document frequency of information retrieval, scaled to 0…1, applied to the
/// material the two passages actually share rather than to the query's own runs: an
/// unusual run of the query earns nothing against a piece that does not hold it.
public enum RarityWeights {
    /// Even the commonest run earns a little, so long shared passages still add up.
    public static let floor: Float = 0.05

    /// A seed both lines hold: where it starts in the query, how many notes it covers, and
    /// its weight (`weight(documentFrequency:pieceCount:)`).
    public struct SharedSeed: Hashable, Sendable {
        public var position: Int
        public var span: Int
        public var weight: Float

        public init(position: Int, span: Int, weight: Float) {
            self.position = position
            self.span = span
            self.weight = weight
        }
    }

    /// Per query note (`noteCount` of them), the largest weight of a shared seed covering it.
    public static func weights(noteCount: Int, shared: [SharedSeed]) -> [Float] {
        var weights = [Float](repeating: floor, count: noteCount)  // [noteCount]
        for seed in shared {
            for note in seed.position..<min(noteCount, seed.position + seed.span) where seed.weight > weights[note] {
                weights[note] = seed.weight
            }
        }
        return weights
    }

    public static func weight(documentFrequency: Int, pieceCount: Int) -> Float {
        let pieces = Double(max(pieceCount, 1))
        let rarity = log((pieces + 1) / Double(documentFrequency + 1)) / log(pieces + 1)
        return Float(min(1, max(Double(floor), rarity)))
    }
}
