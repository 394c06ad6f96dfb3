import MIDIFile

/// The key of a run of consecutive measures.
public struct WindowKey: Hashable, Sendable {
    /// Measure numbers as `Meter` gives them (an opening pickup is 0).
    public var firstMeasure: Int
    public var lastMeasure: Int
    /// Nil when no pitched note sounds in the window (or its notes fit every key alike).
    public var best: KeyCandidate?
    /// Correlation gap between the best key and the runner-up.
    public var confidence: Double?
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
    public init(
        notes: [PieceNote], meter: Meter, tempoMap: TempoMap, finder: KeyFinder,
        weighting: Weighting, windowMeasures: Int, measureLimit: Int? = nil
    ) {
        let measures = meter.measures.prefix(measureLimit.map { max(0, $0) } ?? meter.measures.count)
        guard !measures.isEmpty else {
            windows = []
            return
        }
        // Twelve weights per measure, one flat buffer. With ticks per quarter note a beat is
        // a fixed number of ticks, so durations are summed in ticks: correlation does not
        // care about the unit. SMPTE-timed files convert through the tempo map.
        let ticksAreBeats = tempoMap.division.isMusical
        func length(from start: Int, to end: Int) -> Double {
            ticksAreBeats ? Double(end - start) : tempoMap.beats(atTick: end) - tempoMap.beats(atTick: start)
        }
        var perMeasure = [Double](repeating: 0, count: measures.count * 12)
        // Bars a note covers whole are counted through a difference array of "notes
        // sounding through this bar" per pitch class, so a note held for thousands of bars
        // (a note-off lost in a damaged file) costs two entries, not thousands.
        var wholeBarChanges = [Int](repeating: 0, count: (measures.count + 1) * 12)
        let lastEnd = measures[measures.count - 1].endTick
        for note in notes where !note.isDrum && note.onsetTick < lastEnd {
            let pitchClass = Int(note.pitch) % 12
            let first = meter.measureIndex(atTick: note.onsetTick)
            if weighting == .count {
                perMeasure[first * 12 + pitchClass] += 1
                continue
            }
            let firstMeasure = measures[first]
            if note.endTick <= firstMeasure.endTick {
                if note.durationTicks > 0 {
                    perMeasure[first * 12 + pitchClass] += length(from: note.onsetTick, to: note.endTick)
                }
                continue
            }
            perMeasure[first * 12 + pitchClass] += length(from: note.onsetTick, to: firstMeasure.endTick)
            let last = note.endTick >= lastEnd ? measures.count : meter.measureIndex(atTick: note.endTick)
            if last > first + 1 {
                wholeBarChanges[(first + 1) * 12 + pitchClass] += 1
                wholeBarChanges[last * 12 + pitchClass] -= 1
            }
            if last < measures.count && note.endTick > measures[last].startTick {
                perMeasure[last * 12 + pitchClass] += length(from: measures[last].startTick, to: note.endTick)
            }
        }
        var sounding = [Int](repeating: 0, count: 12)
        for index in 0..<measures.count {
            let barLength = length(from: measures[index].startTick, to: measures[index].endTick)
            for pitchClass in 0..<12 {
                sounding[pitchClass] += wholeBarChanges[index * 12 + pitchClass]
                if sounding[pitchClass] > 0 {
                    perMeasure[index * 12 + pitchClass] += Double(sounding[pitchClass]) * barLength
                }
            }
        }
        // Running count of measures holding notes, so empty windows (long silences, or
        // damaged files claiming thousands of bars) are recognised without summing.
        var soundingBefore = [Int](repeating: 0, count: measures.count + 1)
        for index in 0..<measures.count {
            let sounding = (0..<12).contains { perMeasure[index * 12 + $0] > 0 }
            soundingBefore[index + 1] = soundingBefore[index] + (sounding ? 1 : 0)
        }
        let size = max(1, windowMeasures)
        let windowCount = max(1, measures.count - size + 1)
        var result: [WindowKey] = []
        result.reserveCapacity(windowCount)
        var sum = [Double](repeating: 0, count: 12)
        for start in 0..<windowCount {
            let last = min(start + size, measures.count) - 1
            guard soundingBefore[last + 1] > soundingBefore[start] else {
                result.append(
                    WindowKey(
                        firstMeasure: measures[start].number, lastMeasure: measures[last].number, best: nil,
                        confidence: nil))
                continue
            }
            for pitchClass in 0..<12 { sum[pitchClass] = 0 }
            for index in start...last {
                for pitchClass in 0..<12 { sum[pitchClass] += perMeasure[index * 12 + pitchClass] }
            }
            let found = finder.best(sum)
            result.append(
                WindowKey(
                    firstMeasure: measures[start].number, lastMeasure: measures[last].number,
                    best: found?.candidate, confidence: found?.confidence))
        }
        windows = result
    }
}

extension Division {
    /// True for ticks per quarter note, false for SMPTE (clock) timing.
    var isMusical: Bool {
        if case .ticksPerQuarterNote = self { return true }
        return false
    }
}
