/// Bar infilling, MMM / MIDI-GPT style: a training window becomes a fill example, in which
/// a few whole bars are cut out, each leaving `Bar FillHole` behind, and follow the piece's
/// `End` after `FillStart`, closed by `FillEnd`:
///
///     … bars before · Bar FillHole (per masked bar) · bars after · End FillStart · masked bars · FillEnd
///
/// A model trained on such windows writes bars with what comes before and after them in
/// view, which `generate --infill` asks of it. Windows that are not transformed keep
/// teaching plain continuation.
struct BarInfill: Sendable {
    /// Most bars one hole masks.
    static let longestHole = 4

    /// Share of training windows turned into fill examples.
    let share: Double
    let bar: Int32
    let end: Int32
    let hole: Int32
    let fillStart: Int32
    let fillEnd: Int32

    /// Nil when the share is 0 or the vocabulary has no infilling markers (`notes`, `events` before v3).
    init?(vocabulary: Vocabulary, share: Double) {
        guard share > 0, let bar = vocabulary.id(of: "Bar"), let end = vocabulary.id(of: EventTokenizer.endToken),
            let hole = vocabulary.id(of: EventTokenizer.fillHoleToken),
            let fillStart = vocabulary.id(of: EventTokenizer.fillStartToken),
            let fillEnd = vocabulary.id(of: EventTokenizer.fillEndToken)
        else { return nil }
        self.share = share
        self.bar = bar
        self.end = end
        self.hole = hole
        self.fillStart = fillStart
        self.fillEnd = fillEnd
    }

    /// The fill example of `length` tokens (the window's own length) that masks bars lying
    /// wholly inside the window `sequence[start..<start + length]`, ending at its `FillEnd`,
    /// with as much of the piece before the hole as fits. Nil when the window holds no whole
    /// bar, or when the hole and the bars after it leave less than a quarter of the window
    /// for the music before it.
    func example(from sequence: [Int32], start: Int, length: Int, random: inout SeededRandom) -> [Int32]? {
        let stop = min(start + length, sequence.count)
        let pieceEnd = sequence.firstIndex(of: end) ?? sequence.count
        // Bars as token ranges; a bar runs to the next `Bar` or to the piece's `End`.
        let barStarts = sequence.indices.filter { sequence[$0] == bar }
        var whole: [Range<Int>] = []
        for (index, first) in barStarts.enumerated() where first >= start {
            let last = index + 1 < barStarts.count ? barStarts[index + 1] : pieceEnd
            guard last <= stop, last <= pieceEnd else { break }
            whole.append(first..<last)
        }
        guard !whole.isEmpty else { return nil }
        let holeBars = 1 + Int(random.next() % UInt64(min(Self.longestHole, whole.count)))
        let first = Int(random.next() % UInt64(whole.count - holeBars + 1))
        let masked = whole[first].lowerBound..<whole[first + holeBars - 1].upperBound
        let after = masked.upperBound..<(whole.last!.upperBound)
        var tail: [Int32] = []
        tail.reserveCapacity(length)
        for _ in 0..<holeBars { tail += [bar, hole] }
        tail += sequence[after]
        tail += [end, fillStart]
        tail += sequence[masked]
        tail.append(fillEnd)
        let before = length - tail.count
        guard before >= length / 4, masked.lowerBound >= before else { return nil }
        return Array(sequence[(masked.lowerBound - before)..<masked.lowerBound]) + tail
    }
}
