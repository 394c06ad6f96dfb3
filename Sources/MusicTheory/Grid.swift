/// The rhythmic grids music is written on: straight sixteenths or eighth-note triplets,
/// music21's default `quarterLengthDivisors` (4, 3). Scores snap to one of them, note
/// lengths snap to the nearer for the key (`DurationGrid`), and tokens place onsets on both.
public enum Grid: String, Sendable, Hashable, Codable, CaseIterable {
    case sixteenths
    case triplets

    /// Grid points per quarter note.
    public var divisionsPerQuarter: Int {
        switch self {
        case .sixteenths: 4
        case .triplets: 3
        }
    }

    /// Grid spacing in ticks at `ticksPerQuarter`, exact when every grid divides it.
    public func step(ticksPerQuarter: Int) -> Int { ticksPerQuarter / divisionsPerQuarter }

    /// The nearest grid point to `tick` (halves round up, so a note never moves before
    /// an earlier neighbour it was after).
    public func snap(_ tick: Int, ticksPerQuarter: Int) -> Int {
        let step = self.step(ticksPerQuarter: ticksPerQuarter)
        return Int((Double(tick) / Double(step)).rounded(.toNearestOrAwayFromZero)) * step
    }
}
