import MIDIFile

/// The key of a run of consecutive measures.
public struct WindowKey: Hashable, Sendable {
    /// Measure numbers as `Meter` gives them (an opening pickup is 0).
    public var firstMeasure: Int
    public var lastMeasure: Int
    /// Nil when no pitched note sounds in the window (or its notes fit every key alike).
    public var estimate: KeyEstimate?
}

/// Keys over windows of N measures sliding by one measure, like music21's windowed
/// analysis but over the piece's real bars.
///
/// With duration weighting a note counts in each bar for the part of it that sounds
/// there; with count weighting it counts once, in the bar where it starts.
public struct WindowedKeys: Sendable {
    public var windows: [WindowKey]

    /// - Parameters:
    ///   - windowMeasures: bars per window, at least 1.
    ///   - measureLimit: analyse only the first M bars (nil: the whole piece).
    public init(notes: [PieceNote], meter: Meter, tempoMap: TempoMap, finder: KeyFinder,
                weighting: Weighting, windowMeasures: Int, measureLimit: Int? = nil) {
        let measures = meter.measures.prefix(measureLimit.map { max(0, $0) } ?? meter.measures.count)
        guard !measures.isEmpty else {
            windows = []
            return
        }
        var perMeasure = Array(repeating: Array(repeating: 0.0, count: 12), count: measures.count)
        let lastEnd = measures[measures.count - 1].endTick
        for note in notes where !note.isDrum && note.onsetTick < lastEnd {
            let pitchClass = Int(note.pitch) % 12
            var index = meter.measureIndex(atTick: note.onsetTick)
            if weighting == .count {
                perMeasure[index][pitchClass] += 1
                continue
            }
            while index < measures.count {
                let measure = measures[index]
                let start = max(note.onsetTick, measure.startTick), end = min(note.endTick, measure.endTick)
                if end > start { perMeasure[index][pitchClass] += tempoMap.beats(atTick: end) - tempoMap.beats(atTick: start) }
                if note.endTick <= measure.endTick { break }
                index += 1
            }
        }
        let size = max(1, windowMeasures)
        let windowCount = max(1, measures.count - size + 1)
        var result: [WindowKey] = []
        result.reserveCapacity(windowCount)
        for start in 0..<windowCount {
            let last = min(start + size, measures.count) - 1
            var sum = Array(repeating: 0.0, count: 12)
            for index in start...last {
                for pitchClass in 0..<12 { sum[pitchClass] += perMeasure[index][pitchClass] }
            }
            let hasNotes = sum.contains { $0 > 0 }
            result.append(WindowKey(firstMeasure: measures[start].number, lastMeasure: measures[last].number,
                                    estimate: hasNotes ? finder.estimate(sum) : nil))
        }
        windows = result
    }
}
