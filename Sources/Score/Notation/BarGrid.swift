import MusicTheory
import Utilities

/// The rhythmic grid one bar is written on. Thirty-seconds are the sixteenth grid's
/// finer cousin: only bars whose onsets need them (ornaments, fast runs) use them.
public enum NoteGrid: String, Sendable, Hashable, Codable, CaseIterable {
    case sixteenths
    case triplets
    case thirtySeconds = "thirty-seconds"

    /// Grid spacing in ticks; exact at `ScorePreparation.ticksPerQuarter` (480).
    public func step(ticksPerQuarter: Int) -> Int {
        switch self {
        case .sixteenths: ticksPerQuarter / 4
        case .triplets: ticksPerQuarter / 3
        case .thirtySeconds: ticksPerQuarter / 8
        }
    }

    /// The nearest grid point to `tick`, counting from `origin` (the bar line); halves
    /// round up, so a note never moves before an earlier neighbour it was after.
    public func snap(_ tick: Int, from origin: Int, ticksPerQuarter: Int) -> Int {
        let step = self.step(ticksPerQuarter: ticksPerQuarter)
        let steps = (Double(tick - origin) / Double(step)).rounded(.toNearestOrAwayFromZero)
        return origin + Int(steps) * step
    }
}

/// Chooses one bar's grid by the error each grid leaves: the mean distance from the
/// bar's onsets to their nearest grid point.
///
/// The finer grid always fits at least as well, so a grid wins only by fitting clearly
/// better: the simplest grid whose error is within `slack` of the best (and
/// `tolerance` ticks at 480 per quarter, the jitter of a steady hand) is written.
public struct BarGridChoice: Sendable, Hashable {
    public var errors: [NoteGrid: Double]
    public var grid: NoteGrid

    public static let slack = 1.5
    public static let toleranceQuarters = 1.0 / 96
    /// Simplest first: the order a grid is tried in.
    static let preference: [NoteGrid] = [.sixteenths, .triplets, .thirtySeconds]

    /// - Parameters:
    ///   - onsets: the bar's note onsets, in ticks.
    ///   - barStart: the bar line every grid counts from.
    ///   - allowsTriplets: false where a beat is not a quarter note (6/8, or a bar of
    ///     3/8 after 4/4), since a triplet grid there would cut across the beats.
    public init(onsets: [Int], barStart: Int, ticksPerQuarter: Int, allowsTriplets: Bool) {
        let candidates = Self.preference.filter { allowsTriplets || $0 != .triplets }
        var errors: [NoteGrid: Double] = [:]
        for grid in candidates {
            let total = onsets.reduce(0) { sum, onset in
                sum + abs(onset - grid.snap(onset, from: barStart, ticksPerQuarter: ticksPerQuarter))
            }
            errors[grid] = onsets.isEmpty ? 0 : Double(total) / Double(onsets.count)
        }
        let best = errors.values.min() ?? 0
        let tolerance = Self.toleranceQuarters * Double(ticksPerQuarter)
        self.errors = errors
        grid = candidates.first { errors[$0]! <= best * Self.slack + tolerance } ?? .sixteenths
    }
}

/// The bars of a score with the grid each is written on.
public struct BarGrids: Sendable {
    public var measures: [Measure]
    public var grids: [NoteGrid]
    public var ticksPerQuarter: Int

    public init(measures: [Measure], grids: [NoteGrid], ticksPerQuarter: Int) {
        self.measures = measures
        self.grids = grids
        self.ticksPerQuarter = ticksPerQuarter
    }

    /// Chooses each bar's grid from the onsets that fall in it.
    public init(measures: [Measure], onsets: [Int], ticksPerQuarter: Int) {
        var byBar: [[Int]] = Array(repeating: [], count: measures.count)
        for onset in onsets { byBar[measures.lastIndex(atMost: onset, by: \.startTick)].append(onset) }
        let grids = measures.indices.map { index in
            BarGridChoice(
                onsets: byBar[index], barStart: measures[index].startTick, ticksPerQuarter: ticksPerQuarter,
                allowsTriplets: Self.allowsTriplets(measures[index], ticksPerQuarter: ticksPerQuarter)
            ).grid
        }
        self.init(measures: measures, grids: grids, ticksPerQuarter: ticksPerQuarter)
    }

    /// Triplets are written per quarter-note beat, so the bar must be whole quarters in
    /// a meter counted in quarters or halves.
    public static func allowsTriplets(_ measure: Measure, ticksPerQuarter: Int) -> Bool {
        measure.timeSignature.denominator <= 4 && (measure.endTick - measure.startTick) % ticksPerQuarter == 0
    }

    public func barIndex(atTick tick: Int) -> Int { measures.lastIndex(atMost: tick, by: \.startTick) }

    /// Snaps an onset with the grid of the bar it falls in.
    public func snapOnset(_ tick: Int) -> Int { snap(tick, inBar: barIndex(atTick: tick)) }

    /// Snaps an end with the grid of the bar it closes (an end on a bar line closes the
    /// bar before it).
    public func snapEnd(_ tick: Int) -> Int { snap(tick, inBar: barIndex(atTick: tick - 1)) }

    /// The grid step of the bar holding `tick`.
    public func step(atTick tick: Int) -> Int {
        grids[barIndex(atTick: tick)].step(ticksPerQuarter: ticksPerQuarter)
    }

    private func snap(_ tick: Int, inBar index: Int) -> Int {
        let measure = measures[index]
        let snapped = grids[index].snap(tick, from: measure.startTick, ticksPerQuarter: ticksPerQuarter)
        // A bar whose length is not a whole number of steps keeps its notes inside it.
        return min(max(snapped, measure.startTick), index == measures.count - 1 ? snapped : measure.endTick)
    }
}
