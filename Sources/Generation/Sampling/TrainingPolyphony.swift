/// How thick the run's training pieces are, by style: each piece's median `BarPolyphony`
/// level over the bars in which a note starts. `generate` draws a level from it when none is
/// asked, as it draws a key from `TrainingKeys`, and every bar of the piece names that level, so
/// a piece keeps a texture the training pieces of its style have, as often as they have it.
public struct TrainingPolyphony: Codable, Sendable, Hashable {
    public struct Count: Codable, Sendable, Hashable, PieceCount {
        /// The pieces' style; nil for pieces without a style token.
        public var style: String?
        public var level: Int
        public var pieces: Int
    }

    /// Sorted by style, then level, so run.json is the same for the same pieces.
    public var counts: [Count]

    public init(counts: [Count]) { self.counts = counts }

    /// The levels of `pieces`: each piece's whole token ids (of `vocabulary`). Pieces whose bars
    /// name no level (a vocabulary before `events` version 5) are not counted.
    public init(pieces: [ArraySlice<Int32>], vocabulary: Vocabulary) {
        struct Texture: Hashable {
            var style: String?
            var level: Int
        }
        // (vocabulary) the level each `Polyphony_` token names, by id.
        let levelOfToken = vocabulary.tokens.map(BarPolyphony.level(ofToken:))
        var tally: [Texture: Int] = [:]
        for ids in pieces {
            guard let level = BarPolyphony.medianLevel(ids.compactMap { levelOfToken[Int($0)] }) else { continue }
            let bar = ids.firstIndex { vocabulary.tokens[Int($0)] == "Bar" } ?? ids.endIndex
            let style = EventTokenizer.header(of: vocabulary.strings(of: Array(ids[..<bar]))).style
            tally[Texture(style: style, level: level), default: 0] += 1
        }
        counts = tally.map { Count(style: $0.key.style, level: $0.key.level, pieces: $0.value) }.sorted {
            ($0.style ?? "", $0.level) < ($1.style ?? "", $1.level)
        }
    }

    /// A level drawn with probability proportional to its pieces among those of `style` (all
    /// pieces when `style` is nil or none of them has it); nil when no piece named one.
    public func draw(style: String?, random: inout SeededRandom) -> Int? {
        drawByPieces(counts, style: style, random: &random)?.level
    }
}
