/// The rhythmic grid both tokenizers quantise to: twelfths of a quarter note, of which
/// only the sixteenth and the eighth-triplet positions are onsets (as music21's default
/// quarter-length divisors 4 and 3), so a note is never placed on a grid no one plays.
public enum Grid {
    public static let stepsPerQuarter = 12
    /// Offsets within a quarter that an onset may take (12 is the next quarter's start).
    static let onsetOffsets = [0, 3, 4, 6, 8, 9, 12]
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
        if abs(steps - steps.rounded()) < 1e-6 && steps.rounded() >= 1 { return min(Int(steps.rounded()), longestDuration) }
        return gridDurations.min { abs(Double($0) - steps) < abs(Double($1) - steps) } ?? gridDurations[0]
    }
}
