/// How thick a bar's texture is, as the `events` vocabulary (version 5) says it after every
/// bar's meter: `Polyphony_0` for a bar in which no pitched note starts, else a level from 1 up
/// by the bar's polyphony — the mean number of pitched notes sounding at each of its onsets,
/// struck there or held over, as `evaluate` measures a whole piece's. MIDI-GPT's per-bar
/// polyphony control (Ens & Pasquier 2020): a network trained on bars that name their texture
/// writes the texture a bar names, so `generate` can hold a piece at one drawn from the
/// training pieces instead of letting it drain as the piece runs on its own notes (README,
/// "Why the samples are thin").
public enum BarPolyphony {
    public static let tokenPrefix = "Polyphony_"
    /// Upper bounds of levels 1, 2, …: half a note apart where most bars of the corpus lie
    /// (1.5–4 notes), wider above; the last level is open.
    static let upperBounds: [Double] = [1.5, 2, 2.5, 3, 3.5, 4, 5, 6]
    /// Levels 0 (no onset) to `upperBounds.count + 1`.
    public static let levels = upperBounds.count + 2

    public static func token(level: Int) -> String { tokenPrefix + String(level) }

    /// The level a `Polyphony_` token names, nil for any other token.
    public static func level(ofToken token: String) -> Int? {
        guard token.hasPrefix(tokenPrefix), let level = Int(token.dropFirst(tokenPrefix.count)),
            (0..<levels).contains(level)
        else { return nil }
        return level
    }

    /// The level of a bar whose onsets have this mean polyphony.
    static func level(polyphony: Double) -> Int {
        1 + (upperBounds.firstIndex { polyphony < $0 } ?? upperBounds.count)
    }

    /// (bars) each bar's level in `piece`, its pitched notes counted at the onsets inside the bar.
    public static func levels(of piece: QuantisedPiece, bars: [(start: Int, meter: TokenMeter)]) -> [Int] {
        let notes = piece.pitchedNotes
        var sounding = [Int](repeating: 0, count: bars.count)  // (bars) notes sounding, summed over onsets
        var onsets = [Int](repeating: 0, count: bars.count)  // (bars) distinct onsets
        var ends: [Int] = []  // the ends of the notes struck so far and still sounding
        var bar = 0, index = 0
        while index < notes.count {
            let onset = notes[index].onset
            ends.removeAll { $0 <= onset }
            while index < notes.count && notes[index].onset == onset {
                ends.append(onset + notes[index].duration)
                index += 1
            }
            while bar + 1 < bars.count && bars[bar + 1].start <= onset { bar += 1 }
            guard bar < bars.count else { break }
            sounding[bar] += ends.count
            onsets[bar] += 1
        }
        return zip(sounding, onsets).map { total, count in
            count == 0 ? 0 : level(polyphony: Double(total) / Double(count))
        }
    }

    /// The median of the levels of the bars that have onsets (the lower of the middle two);
    /// nil when none has.
    public static func medianLevel(_ levels: some Sequence<Int>) -> Int? {
        let played = levels.filter { $0 > 0 }.sorted()
        return played.isEmpty ? nil : played[(played.count - 1) / 2]
    }
}
