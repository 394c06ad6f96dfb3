import MIDIFile
import MusicTheory

/// What a tempo direction says.
public enum TempoMark: Hashable, Sendable {
    /// ♩ = N (quarter notes per minute).
    case metronome(quarterNotesPerMinute: Int)
    case ritardando
    case accelerando
    /// Back to the last metronome mark after a ritardando or accelerando.
    case aTempo

    public var words: String? {
        switch self {
        case .metronome: nil
        case .ritardando: "rit."
        case .accelerando: "accel."
        case .aTempo: "a tempo"
        }
    }
}

/// A tempo direction at the start of a bar (an index into the score's bars).
public struct PlacedTempoMark: Hashable, Sendable {
    public var bar: Int
    public var mark: TempoMark

    public init(bar: Int, mark: TempoMark) {
        self.bar = bar
        self.mark = mark
    }
}

/// Tempo directions a player can follow, from a tempo map that may change on every beat.
///
/// Sequenced performances carry their rubato as a tempo change per beat; written out,
/// that is a metronome mark per beat. An editor writes far fewer: the tempo the opening
/// phrase is played at, a new mark where a section really goes at another tempo, and
/// `rit.` / `accel.` where the music keeps slowing or pressing on. Here the tempo is
/// taken per bar, and:
/// - the opening mark is the median of the first `openingBars` bars, so a slow first
///   bar (a pickup, a held opening chord) does not set the tempo of the piece;
/// - a departure of more than `threshold` from the last mark is marked only when it
///   holds for `holdBars` bars, as a phrase does: a new metronome mark (the median of
///   the bars) where the tempo settles, `rit.` / `accel.` where it keeps moving, then
///   `a tempo` on its return;
/// - shorter swings, the ebb and flow of a phrase, get nothing, except a slowing (or
///   pressing on) of `shortestDriftBars` or more into the last bar: the final `rit.`.
public enum TempoMarks {
    public static let threshold = 0.10
    public static let holdBars = 4
    public static let openingBars = 4
    /// A slowing (or pressing on) shorter than this is a breath, not a rit. (or accel.).
    public static let shortestDriftBars = 2

    /// - Parameter barTempos: quarter notes per minute in each bar.
    public static func reduce(_ barTempos: [Double]) -> [PlacedTempoMark] {
        guard !barTempos.isEmpty else { return [] }
        var marked = median(barTempos.prefix(openingBars))
        var marks = [PlacedTempoMark(bar: 0, mark: .metronome(quarterNotesPerMinute: Int(marked.rounded())))]
        var drift: TempoMark?
        var bar = 1
        while bar < barTempos.count {
            let change = barTempos[bar] / marked - 1
            guard abs(change) > threshold else {
                if drift != nil {
                    marks.append(PlacedTempoMark(bar: bar, mark: .aTempo))
                    drift = nil
                }
                bar += 1
                continue
            }
            // The departure: every bar from here on the same side of the mark, beyond the threshold.
            var end = bar
            while end < barTempos.count, abs(barTempos[end] / marked - 1) > threshold,
                (barTempos[end] > marked) == (change > 0)
            {
                end += 1
            }
            let direction: TempoMark = change < 0 ? .ritardando : .accelerando
            if let settle = firstSettledStretch(barTempos, in: bar..<end) {
                // Bars of slowing down into the new tempo are a rit. before its mark.
                if settle - bar >= shortestDriftBars, drift != direction {
                    marks.append(PlacedTempoMark(bar: bar, mark: direction))
                }
                marked = median(barTempos[settle..<settle + holdBars])
                marks.append(
                    PlacedTempoMark(bar: settle, mark: .metronome(quarterNotesPerMinute: Int(marked.rounded()))))
                drift = nil
                bar = settle + holdBars
                continue
            }
            let lasts = end - bar >= holdBars || (end == barTempos.count && end - bar >= shortestDriftBars)
            if lasts, drift != direction {
                marks.append(PlacedTempoMark(bar: bar, mark: direction))
                drift = direction
            }
            bar = end
        }
        return marks
    }

    /// Where, within `bars`, the tempo first holds steady for `holdBars` bars: every bar
    /// within `threshold` of their median.
    static func firstSettledStretch(_ barTempos: [Double], in bars: Range<Int>) -> Int? {
        guard bars.count >= holdBars else { return nil }
        return (bars.lowerBound...(bars.upperBound - holdBars)).first { start in
            let stretch = barTempos[start..<start + holdBars]
            let level = median(stretch)
            return stretch.allSatisfy { abs($0 / level - 1) <= threshold }
        }
    }

    static func median(_ values: ArraySlice<Double>) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Quarter notes per minute over each bar, from the source's tempo map.
    /// - Parameters:
    ///   - bars: bar lines in quarter notes from the start (`startQuarter..<endQuarter`).
    public static func barTempos(_ tempoMap: TempoMap, bars: [(start: Double, end: Double)]) -> [Double] {
        let changes = tempoMap.changes.map { change in
            (beat: tempoMap.beats(atTick: change.tick), secondsPerBeat: Double(change.microsecondsPerQuarter) / 1e6)
        }
        func seconds(atBeat beat: Double) -> Double {
            var total = 0.0
            for (index, change) in changes.enumerated() where change.beat < beat {
                let until = index + 1 < changes.count ? min(changes[index + 1].beat, beat) : beat
                total += (until - change.beat) * change.secondsPerBeat
            }
            return total
        }
        return bars.map { bar in
            let duration = seconds(atBeat: bar.end) - seconds(atBeat: bar.start)
            return duration > 0 ? (bar.end - bar.start) * 60 / duration : 120
        }
    }
}
