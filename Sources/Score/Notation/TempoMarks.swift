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
/// that is a metronome mark per beat. Here the tempo is taken per bar, and a mark is
/// written only where the bar tempo moves more than `threshold` from the last mark:
/// a new metronome mark where it settles at the new tempo for `settleBars` bars, and
/// `rit.` / `accel.` where it keeps moving for that long without settling, then `a tempo`
/// on its return. A single slow or fast bar (a breath at a phrase end) gets no mark.
public enum TempoMarks {
    public static let threshold = 0.10
    public static let settleBars = 2

    /// - Parameter barTempos: quarter notes per minute in each bar.
    public static func reduce(_ barTempos: [Double]) -> [PlacedTempoMark] {
        guard let first = barTempos.first else { return [] }
        var marks = [PlacedTempoMark(bar: 0, mark: .metronome(quarterNotesPerMinute: Int(first.rounded())))]
        var marked = first
        var drift: TempoMark?
        var bar = 1
        func deviation(_ tempo: Double) -> Double { tempo / marked - 1 }
        while bar < barTempos.count {
            let change = deviation(barTempos[bar])
            guard abs(change) > threshold else {
                if drift != nil {
                    marks.append(PlacedTempoMark(bar: bar, mark: .aTempo))
                    drift = nil
                }
                bar += 1
                continue
            }
            let following = barTempos[bar..<min(bar + settleBars, barTempos.count)]
            let level = following.reduce(0, +) / Double(following.count)
            let lasts =
                following.count == settleBars
                && following.allSatisfy { abs(deviation($0)) > threshold && (deviation($0) > 0) == (change > 0) }
            if lasts, following.allSatisfy({ abs($0 / level - 1) <= threshold / 2 }) {
                marks.append(PlacedTempoMark(bar: bar, mark: .metronome(quarterNotesPerMinute: Int(level.rounded()))))
                marked = level
                drift = nil
                bar += settleBars
                continue
            }
            // One slow bar (a breath, a fermata) is not a drift: only a move that lasts.
            let direction: TempoMark = change < 0 ? .ritardando : .accelerando
            if lasts, drift != direction {
                marks.append(PlacedTempoMark(bar: bar, mark: direction))
                drift = direction
            }
            bar += 1
        }
        return marks
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
