import MIDIFile

/// One written note or rest value: a stretch of a bar as a pianist reads it.
public struct WrittenValue: Hashable, Sendable {
    /// Ticks from the bar line.
    public var start: Int
    public var length: Int
    /// MusicXML's name for the value: "quarter", "eighth", "16th", …
    public var type: String
    public var dots: Int
    /// An eighth-note triplet value (three in the time of two).
    public var isTriplet: Bool

    public init(start: Int, length: Int, type: String, dots: Int, isTriplet: Bool) {
        self.start = start
        self.length = length
        self.type = type
        self.dots = dots
        self.isTriplet = isTriplet
    }
}

/// Cuts stretches of a bar into written values: the longest value that starts where such
/// a value may start (a half note on a beat, an eighth on an eighth), tied to the rest.
/// In triplet bars, beats that hold a triplet boundary are written as triplets and the
/// beat-long stretches around them as plain values.
public enum NoteValues {
    /// (length in quarter notes × 8, type, dots), longest first.
    static let straight: [(eighthsOfQuarter: Int, type: String, dots: Int)] = [
        (64, "breve", 0), (48, "whole", 1), (32, "whole", 0), (24, "half", 1), (16, "half", 0),
        (12, "quarter", 1), (8, "quarter", 0), (6, "eighth", 1), (4, "eighth", 0), (3, "16th", 1),
        (2, "16th", 0), (1, "32nd", 0),
    ]

    /// The beat a bar is counted in, in ticks: a dotted quarter in 6/8, 9/8 and 12/8,
    /// otherwise the time signature's denominator.
    public static func beatTicks(_ signature: TimeSignature, ticksPerQuarter: Int) -> Int {
        if signature.denominator == 8, signature.numerator % 3 == 0, signature.numerator > 3 {
            return ticksPerQuarter * 3 / 2
        }
        return max(1, ticksPerQuarter * 4 / max(signature.denominator, 1))
    }

    /// Plain (non-triplet) values for `start..<end`, ticks from the bar line.
    public static func straightValues(from start: Int, to end: Int, beat: Int, ticksPerQuarter: Int) -> [WrittenValue] {
        var values: [WrittenValue] = []
        var position = start
        while position < end {
            let remaining = end - position
            let fitting = straight.map {
                (length: $0.eighthsOfQuarter * ticksPerQuarter / 8, type: $0.type, dots: $0.dots)
            }
            .filter { $0.length > 0 && $0.length <= remaining }
            let aligned = fitting.first { mayStart($0.length, at: position, beat: beat) }
            // Off every grid (a bar length no value divides): the longest value that fits,
            // and below a thirty-second a sixty-fourth that covers what is left.
            let chosen = aligned ?? fitting.first ?? (length: remaining, type: "64th", dots: 0)
            values.append(
                WrittenValue(
                    start: position, length: chosen.length, type: chosen.type, dots: chosen.dots, isTriplet: false))
            position += chosen.length
        }
        return values
    }

    /// A value starts on a multiple of itself (or of the beat, for values longer than a
    /// beat), or fills the rest of its beat exactly: a dotted eighth after a sixteenth.
    static func mayStart(_ length: Int, at position: Int, beat: Int) -> Bool {
        if position % min(length, beat) == 0 { return true }
        let end = position + length
        return end % beat == 0 && position / beat == (end - 1) / beat
    }

    /// Values for `start..<end` in a triplet bar.
    /// - Parameter tripletBeats: beats (from the bar line, in quarter notes) holding a
    ///   boundary between written stretches off the beat; every stretch inside them is
    ///   written as triplets.
    public static func tripletBarValues(
        from start: Int, to end: Int, tripletBeats: Set<Int>, ticksPerQuarter: Int
    ) -> [WrittenValue] {
        var values: [WrittenValue] = []
        var position = start
        while position < end {
            let beat = position / ticksPerQuarter
            if tripletBeats.contains(beat) {
                let stop = min(end, (beat + 1) * ticksPerQuarter)
                let length = stop - position
                let third = ticksPerQuarter / 3
                let type = length <= third ? "eighth" : "quarter"
                values.append(WrittenValue(start: position, length: length, type: type, dots: 0, isTriplet: true))
                position = stop
            } else {
                // Up to the next triplet beat, written plain.
                var stop = end
                var next = beat + 1
                while next * ticksPerQuarter < end {
                    if tripletBeats.contains(next) {
                        stop = next * ticksPerQuarter
                        break
                    }
                    next += 1
                }
                values += straightValues(
                    from: position, to: stop, beat: ticksPerQuarter, ticksPerQuarter: ticksPerQuarter)
                position = stop
            }
        }
        return values
    }

    /// The beats of a triplet bar that must be written as triplets: those with a
    /// boundary strictly inside them.
    public static func tripletBeats(boundaries: [Int], ticksPerQuarter: Int) -> Set<Int> {
        Set(boundaries.filter { $0 % ticksPerQuarter != 0 }.map { $0 / ticksPerQuarter })
    }
}
