import MusicTheory

/// How often each key opens the run's training pieces, by style: what `generate` draws a key
/// from when none is asked, so a piece without `--key` is still in a key — one the training
/// pieces of its style have, as often as they have it — and is steered toward it as an asked
/// key is (`KeyGuidance`). Counted from the `Key_` and `Style_` header tokens the training
/// pieces were tokenised with (MusicTheory's key finder), before header dropout.
public struct TrainingKeys: Codable, Sendable, Hashable {
    public struct Count: Codable, Sendable, Hashable {
        /// The pieces' style; nil for pieces without a style token.
        public var style: String?
        /// The key's header token (`Key_2_minor`), as the vocabulary spells it.
        public var key: String
        public var pieces: Int
    }

    /// Sorted by style, then key name, so run.json is the same for the same pieces.
    public var counts: [Count]

    public init(counts: [Count]) { self.counts = counts }

    /// The header keys of `headers`: each piece's ids (of `vocabulary`) from its start, through at
    /// least its header (what stands before its first `Bar`).
    public init(headers: [ArraySlice<Int32>], vocabulary: Vocabulary) {
        struct Opening: Hashable {
            var style: String?
            var key: String
        }
        var tally: [Opening: Int] = [:]
        for ids in headers {
            let header = EventTokenizer.header(of: vocabulary.strings(of: Array(ids)))
            guard let key = header.key else { continue }
            tally[Opening(style: header.style, key: EventTokenizer.keyToken(key)), default: 0] += 1
        }
        counts = tally.map { Count(style: $0.key.style, key: $0.key.key, pieces: $0.value) }.sorted {
            ($0.style ?? "", $0.key) < ($1.style ?? "", $1.key)
        }
    }

    /// A key drawn with probability proportional to its pieces among those of `style` (all
    /// pieces when `style` is nil or none of them has it); nil when no piece had a key.
    public func draw(style: String?, random: inout SeededRandom) -> Key? {
        drawByPieces(counts, style: style, random: &random).flatMap { EventTokenizer.key(ofToken: $0.key) }
    }
}

/// How many training pieces of a style have a value, for `drawByPieces`.
protocol PieceCount {
    var style: String? { get }
    var pieces: Int { get }
}

extension TrainingKeys.Count: PieceCount {}

/// One of `counts` drawn with probability proportional to its pieces among those of `style`
/// (all counts when `style` is nil or no count has it); nil when there are no pieces.
func drawByPieces<Count: PieceCount>(_ counts: [Count], style: String?, random: inout SeededRandom) -> Count? {
    let ofStyle = counts.filter { $0.style == style }
    let pool = style != nil && !ofStyle.isEmpty ? ofStyle : counts
    let total = pool.reduce(0) { $0 + $1.pieces }
    guard total > 0 else { return nil }
    var pick = Int.random(in: 0..<total, using: &random)
    for count in pool {
        if pick < count.pieces { return count }
        pick -= count.pieces
    }
    return nil
}
