import MusicTheory

/// The rhythmic grid both tokenizers quantise to: twelfths of a quarter note, of which
/// only the points of MusicTheory's `Grid`s (sixteenths and eighth-note triplets) are
/// onsets, so a note is never placed on a grid no one plays.
public enum TokenGrid {
    /// 12: every grid's points fall on a step (4 × 3; the divisions share no factor).
    public static let stepsPerQuarter = Grid.allCases.map(\.divisionsPerQuarter).reduce(1, *)
    /// Offsets within a quarter that an onset may take, 0 3 4 6 8 9 12 (12 is the next
    /// quarter's start).
    static let onsetOffsets = (0...stepsPerQuarter).filter { offset in
        Grid.allCases.contains { offset % (stepsPerQuarter / $0.divisionsPerQuarter) == 0 }
    }
    /// The longest duration a token can say: two whole notes.
    public static let longestDuration = 8 * stepsPerQuarter
    /// Lengths a note of uneven length snaps to: the grid's own lengths.
    static let gridDurations: [Int] = (1...longestDuration).filter { onsetOffsets.contains($0 % stepsPerQuarter) }

    /// The grid step nearest to a time in quarter notes.
    public static func onsetStep(quarters: Double) -> Int {
        let quarter = quarters.rounded(.down)
        let offset = (quarters - quarter) * Double(stepsPerQuarter)
        let nearest = onsetOffsets.min { abs(Double($0) - offset) < abs(Double($1) - offset) } ?? 0
        return Int(quarter) * stepsPerQuarter + nearest
    }

    /// A length in whole steps stays as it is (a note cut short by its own repetition
    /// has such a length, and must survive a round trip); any other snaps to the nearest
    /// grid length, at least a sixteenth, at most `longestDuration`.
    public static func durationSteps(quarters: Double) -> Int {
        let steps = quarters * Double(stepsPerQuarter)
        if abs(steps - steps.rounded()) < 1e-6 && steps.rounded() >= 1 {
            return min(Int(steps.rounded()), longestDuration)
        }
        return gridDurations.min { abs(Double($0) - steps) < abs(Double($1) - steps) } ?? gridDurations[0]
    }
}
