import MusicTheory

/// How well each grid fits a piece's onsets: the mean distance, in quarter notes, from
/// each onset to its nearest grid point.
///
/// MuseScore's MIDI import guesses rhythms from raw ticks; a played or generated file
/// full of near-misses comes out as a thicket of 64th rests and odd tuplets. Snapping
/// onsets and ends to one grid first makes the notation as plain as the music.
public struct GridFit: Sendable, Hashable {
    public var sixteenthsError: Double
    public var tripletsError: Double

    /// Triplets win only when they fit strictly better: onsets on beats and eighths fit
    /// both, and such music is written straight.
    public var best: Grid { tripletsError < sixteenthsError ? .triplets : .sixteenths }

    /// - Parameter onsetBeats: note onsets in quarter notes from the start.
    public init(onsetBeats: [Double]) {
        func meanError(_ grid: Grid) -> Double {
            guard !onsetBeats.isEmpty else { return 0 }
            let divisions = Double(grid.divisionsPerQuarter)
            let total = onsetBeats.reduce(0.0) { sum, beat in
                sum + abs(beat * divisions - (beat * divisions).rounded()) / divisions
            }
            return total / Double(onsetBeats.count)
        }
        sixteenthsError = meanError(.sixteenths)
        tripletsError = meanError(.triplets)
    }
}

/// The grid per beat: the piece's grid, except in beats whose onsets fit the other grid
/// far better (a bar of triplets in a straight piece, a straight bar in a shuffle).
public struct BeatGrid: Sendable, Hashable {
    public let pieceGrid: Grid
    public let ticksPerQuarter: Int
    /// Beats (quarter notes from the start) written on the other grid.
    public let otherGridBeats: Set<Int>

    public init(uniform grid: Grid, ticksPerQuarter: Int) {
        pieceGrid = grid
        self.ticksPerQuarter = ticksPerQuarter
        otherGridBeats = []
    }

    public init(onsets: [Int], ticksPerQuarter: Int) {
        let fit = GridFit(onsetBeats: onsets.map { Double($0) / Double(ticksPerQuarter) })
        let piece = fit.best
        let other: Grid = piece == .sixteenths ? .triplets : .sixteenths
        var errors: [Int: (piece: Int, other: Int)] = [:]
        for onset in onsets {
            let beat = onset >= 0 ? onset / ticksPerQuarter : -1
            var sums = errors[beat] ?? (0, 0)
            sums.piece += abs(onset - piece.snap(onset, ticksPerQuarter: ticksPerQuarter))
            sums.other += abs(onset - other.snap(onset, ticksPerQuarter: ticksPerQuarter))
            errors[beat] = sums
        }
        pieceGrid = piece
        self.ticksPerQuarter = ticksPerQuarter
        // Strictly better only: on a beat with nothing but a downbeat both grids fit
        // equally, and the piece's grid stays.
        otherGridBeats = Set(errors.filter { $0.value.other < $0.value.piece }.keys)
    }

    public func grid(atTick tick: Int) -> Grid {
        guard !otherGridBeats.isEmpty, otherGridBeats.contains(tick >= 0 ? tick / ticksPerQuarter : -1) else {
            return pieceGrid
        }
        return pieceGrid == .sixteenths ? .triplets : .sixteenths
    }

    /// Beat boundaries lie on both grids, so snapping within a beat never crosses into
    /// a neighbour written on the other grid.
    public func snap(_ tick: Int) -> Int { grid(atTick: tick).snap(tick, ticksPerQuarter: ticksPerQuarter) }

    public func step(atTick tick: Int) -> Int { grid(atTick: tick).step(ticksPerQuarter: ticksPerQuarter) }
}
