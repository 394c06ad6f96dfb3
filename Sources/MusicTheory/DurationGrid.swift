/// Snaps note lengths to a grid before they weigh a distribution.
///
/// music21 quantises every MIDI file it imports: each length becomes the nearest multiple
/// of a sixteenth or of an eighth-note triplet (whichever is nearer), and no sounding
/// note becomes shorter than one step. Its key estimates are made from those lengths, so
/// emulating the grid is how to reproduce them, and `AnalysisOptions.standard` does.
public enum DurationGrid: String, Hashable, Sendable, Codable, CaseIterable {
    case none
    case music21

    /// Beats per step of music21's default grid: `quarterLengthDivisors` (4, 3).
    static let music21Steps = Grid.allCases.map { 1 / Double($0.divisionsPerQuarter) }

    public func snap(beats: Double) -> Double {
        guard self == .music21 else { return beats }
        var best = (error: Double.infinity, step: 0.0, value: 0.0)
        for step in Self.music21Steps {
            var value = (beats / step).rounded() * step
            if value == 0 { value = step }
            let error = abs(beats - value)
            if (error, step) < (best.error, best.step) { best = (error, step, value) }
        }
        return best.value
    }
}
