import Foundation

/// Per-piece measures of what a listener hears, on the quantised piece so generated and
/// corpus files are judged alike (after Yang & Lerch 2018, Mogren 2016, Wu & Yang 2020).
public struct MusicalMetrics: Codable, Hashable, Sendable {
    /// Entropy of the duration-weighted pitch-class histogram, in bits (0…log2 12).
    public var pitchClassEntropy: Double
    /// Highest minus lowest pitch, in semitones.
    public var pitchRange: Double
    /// Mean number of notes sounding at each onset.
    public var polyphony: Double
    /// Notes per quarter note.
    public var noteDensity: Double
    /// Share of notes inside the best-fitting major or harmonic-minor scale.
    public var scaleConsistency: Double
    /// One minus the mean Hamming distance between consecutive bars' onset patterns.
    public var grooveConsistency: Double
    /// Share of quarter-note beats on which no note starts.
    public var emptyBeatRate: Double
    /// Share of inter-onset intervals in each class (see `ioiClasses`).
    public var interOnsetHistogram: [Double]

    /// Upper bounds in grid steps: ≤ sixteenth, ≤ eighth triplet, ≤ eighth, ≤ quarter
    /// triplet, ≤ quarter, ≤ half, longer.
    public static let ioiClasses = [3, 4, 6, 8, 12, 24, Int.max]

    /// The scalar measures by name, in a fixed order, for distributions and reports.
    public var scalars: [(name: String, value: Double)] {
        [
            ("pitch_class_entropy", pitchClassEntropy), ("pitch_range", pitchRange), ("polyphony", polyphony),
            ("note_density", noteDensity), ("scale_consistency", scaleConsistency),
            ("groove_consistency", grooveConsistency),
            ("empty_beat_rate", emptyBeatRate),
        ]
    }

    /// Nil for a piece without pitched notes; drums have no pitch to measure.
    public init?(_ piece: QuantisedPiece) {
        let notes = piece.pitchedNotes
        guard !notes.isEmpty else { return nil }
        var pitchClassWeight = [Double](repeating: 0, count: 12)
        for note in notes { pitchClassWeight[note.pitch % 12] += Double(note.duration) }
        let totalWeight = pitchClassWeight.reduce(0, +)
        pitchClassEntropy = -pitchClassWeight.filter { $0 > 0 }.map { $0 / totalWeight }.reduce(0) {
            $0 + $1 * log2($1)
        }
        pitchRange = Double(notes.map(\.pitch).max()! - notes.map(\.pitch).min()!)

        let onsets = Array(Set(notes.map(\.onset))).sorted()
        var sounding = 0
        var active: [Int] = []
        var noteIndex = 0
        for onset in onsets {
            active.removeAll { $0 <= onset }
            while noteIndex < notes.count && notes[noteIndex].onset == onset {
                active.append(onset + notes[noteIndex].duration)
                noteIndex += 1
            }
            sounding += active.count
        }
        polyphony = Double(sounding) / Double(onsets.count)

        let end = notes.map { $0.onset + $0.duration }.max()!
        let quarters = max(1, (end + TokenGrid.stepsPerQuarter - 1) / TokenGrid.stepsPerQuarter)
        noteDensity = Double(notes.count) / Double(quarters)
        let beatsWithOnset = Set(onsets.map { $0 / TokenGrid.stepsPerQuarter })
        emptyBeatRate = 1 - Double(beatsWithOnset.count) / Double(quarters)

        scaleConsistency = Self.scaleConsistency(notes.map(\.pitch))
        grooveConsistency = Self.grooveConsistency(piece: piece, onsets: onsets)

        var histogram = [Double](repeating: 0, count: Self.ioiClasses.count)
        for (earlier, later) in zip(onsets, onsets.dropFirst()) {
            histogram[Self.ioiClasses.firstIndex { later - earlier <= $0 }!] += 1
        }
        let intervals = max(1, onsets.count - 1)
        interOnsetHistogram = histogram.map { $0 / Double(intervals) }
    }

    static let majorScale: Set<Int> = [0, 2, 4, 5, 7, 9, 11]
    static let harmonicMinorScale: Set<Int> = [0, 2, 3, 5, 7, 8, 11]

    static func scaleConsistency(_ pitches: [Int]) -> Double {
        var counts = [Int](repeating: 0, count: 12)
        for pitch in pitches { counts[pitch % 12] += 1 }
        var best = 0
        for tonic in 0..<12 {
            for scale in [majorScale, harmonicMinorScale] {
                best = max(best, scale.reduce(0) { $0 + counts[($1 + tonic) % 12] })
            }
        }
        return Double(best) / Double(pitches.count)
    }

    static func grooveConsistency(piece: QuantisedPiece, onsets: [Int]) -> Double {
        let bars = piece.bars(through: onsets.last ?? 0)
        var patterns: [Set<Int>] = Array(repeating: [], count: bars.count)
        var barIndex = 0
        for onset in onsets {
            while barIndex + 1 < bars.count && bars[barIndex + 1].start <= onset { barIndex += 1 }
            patterns[barIndex].insert(onset - bars[barIndex].start)
        }
        var distance = 0.0, pairs = 0
        for index in 1..<max(1, bars.count) where bars[index].meter == bars[index - 1].meter {
            distance +=
                Double(patterns[index].symmetricDifference(patterns[index - 1]).count)
                / Double(bars[index].meter.barSteps)
            pairs += 1
        }
        return pairs == 0 ? 1 : 1 - distance / Double(pairs)
    }
}
