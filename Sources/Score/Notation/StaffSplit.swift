import MIDIFile

/// Splits a piano part into the right hand's (treble) and the left hand's (bass) staff
/// by hand position, as a pianist reads it.
///
/// A fixed split at middle C chops a melody that dips to A3 into the bass staff and an
/// alto line into fragments. Here notes well above or below middle C go to their hand
/// outright; notes in the band around it follow the line they continue: the hand whose
/// nearest note (in the same chord, or the hand's last notes) is closer in pitch. A line
/// therefore stays on its staff through the middle and crosses only when it goes clearly
/// into the other hand's range.
public enum StaffSplit {
    public static let middleC: UInt8 = 60
    /// Notes at least this far above middle C are the right hand's, and those more than
    /// this far below it the left hand's, whatever came before (E4 and up; F#3 and down).
    public static let bandHalfWidth: UInt8 = 5
    /// A hand silent this many quarter notes no longer holds its place in the band.
    public static let memoryQuarters = 4

    /// General MIDI programs 0–7 are the pianos; a part with no program change plays
    /// program 0, the acoustic grand.
    public static func isPiano(program: UInt8?, channel: UInt8) -> Bool {
        channel != MIDIChannel.drums && (program ?? 0) < 8
    }

    /// The two hands' notes, each in onset order; either may be empty.
    public static func split(_ notes: [ScoreNote], ticksPerQuarter: Int) -> (right: [ScoreNote], left: [ScoreNote]) {
        let sorted = notes.sorted { ($0.onset, $0.pitch) < ($1.onset, $1.pitch) }
        var right: [ScoreNote] = []
        var left: [ScoreNote] = []
        // The lowest note the right hand last played and the highest of the left hand,
        // with when they ended: the edges a line in the band continues from.
        var rightEdge: (pitch: Int, end: Int)?
        var leftEdge: (pitch: Int, end: Int)?
        let memory = memoryQuarters * ticksPerQuarter
        var start = 0
        while start < sorted.count {
            var stop = start
            while stop < sorted.count && sorted[stop].onset == sorted[start].onset { stop += 1 }
            let chord = sorted[start..<stop]
            let onset = chord.first!.onset
            let upper = Int(middleC + bandHalfWidth), lower = Int(middleC - bandHalfWidth)
            let clearRight = chord.filter { Int($0.pitch) >= upper }
            let clearLeft = chord.filter { Int($0.pitch) < lower }
            let band = chord.filter { (lower..<upper).contains(Int($0.pitch)) }

            var rightReference = clearRight.map { Int($0.pitch) }.min()
            if rightReference == nil, let edge = rightEdge, onset - edge.end <= memory { rightReference = edge.pitch }
            let leftReference =
                clearLeft.map { Int($0.pitch) }.max() ?? leftEdge.flatMap { onset - $0.end <= memory ? $0.pitch : nil }
            var chordRight = clearRight, chordLeft = clearLeft
            // Top down, so a band note joining the right hand becomes the reference for
            // the next one below it.
            for note in band.reversed() {
                if goesRight(Int(note.pitch), rightReference: rightReference, leftReference: leftReference) {
                    chordRight.append(note)
                    rightReference = min(rightReference ?? Int.max, Int(note.pitch))
                } else {
                    chordLeft.append(note)
                }
            }
            if let lowest = chordRight.map({ Int($0.pitch) }).min() {
                rightEdge = (lowest, chordRight.map(\.end).max()!)
            }
            if let highest = chordLeft.map({ Int($0.pitch) }).max() {
                leftEdge = (highest, chordLeft.map(\.end).max()!)
            }
            right += chordRight.sorted { $0.pitch < $1.pitch }
            left += chordLeft.sorted { $0.pitch < $1.pitch }
            start = stop
        }
        return (right, left)
    }

    /// Where a hand that is not playing is taken to be: a fifth either side of middle C,
    /// so with neither hand near, middle C decides.
    static let restingRight = Int(middleC) + 7
    static let restingLeft = Int(middleC) - 7

    /// The nearer hand; middle C decides a tie.
    static func goesRight(_ pitch: Int, rightReference: Int?, leftReference: Int?) -> Bool {
        let toRight = abs(pitch - (rightReference ?? restingRight))
        let toLeft = abs(pitch - (leftReference ?? restingLeft))
        return toRight == toLeft ? pitch >= Int(middleC) : toRight < toLeft
    }
}
