import Utilities

/// Paths a tune may take through a piece's notes when it shares its voice or track with other
/// notes: polyphonic n-grams (Doraisamy & Rüger 2003), narrowed to the paths a melody played
/// legato takes. A quotation moved into an inner voice lies in no one line of the query: voice
/// separation hands its notes to whichever voices lie nearest, and every line holds a fragment
/// too short to seed a match. What the quotation keeps is that each of its notes starts where
/// the one before it ends (or later, after a rest): so from each note a path goes on to a note of
/// the first chord that starts once the note has ended, within an octave of it, nearest in pitch
/// first. A benchmark draw's inner-voice quotes (README, session 20) lay along such a path for 8
/// notes in a row in 56 of 100 trials, where a separated voice held 8 in a row in 41.
///
/// Paths are for the query side only: the catalogue's own seeds are its lines' ones, and a
/// catalogue line that holds the quotation holds its phrase seeds (`Seeds.phraseSeeds`), which
/// a path along the quotation shares.
public enum LegatoPaths {
    /// Notes a path holds: those of one phrase seed, rare enough to follow where the shorter
    /// step seeds of a fragment are held by hundreds of pieces.
    public static let notesPerPath = Seeds.phraseLength + 1
    /// Paths taken from each note, nearest steps first: a dense chord offers many next notes,
    /// and a melody's own step is most often the nearest.
    public static let pathsPerNote = 8
    /// Paths looked at from each note, tune-like or not: a bound on the work.
    static let pathsExploredPerNote = 64
    /// Distinct pitches and turns a path needs to be followed.
    static let tunePitches = 5
    static let tuneTurns = 2
    /// Notes of a path one pitch may take: more is a pedal figure (a note struck again between
    /// each of the others).
    static let tuneRepeats = 3
    /// The tune test in words, for reports and benchmarks.
    public static let tuneTest =
        "at least \(tunePitches) pitches, \(tuneTurns) changes of direction, no pitch on more than \(tuneRepeats) of "
        + "\(notesPerPath) notes"

    /// Whether a path's pitches read as a tune rather than a figure every piece has: repeated
    /// notes and scale runs are what nearest-step paths find most, and what any two pieces with
    /// a texture in common share.
    public static func isTuneLike(_ pitches: [UInt8]) -> Bool {
        let sorted = pitches.sorted()
        var distinct = 0, sameRun = 0, mostOfOne = 0
        for (index, pitch) in sorted.enumerated() {
            if index > 0 && pitch == sorted[index - 1] {
                sameRun += 1
            } else {
                distinct += 1
                sameRun = 1
            }
            mostOfOne = max(mostOfOne, sameRun)
        }
        return distinct >= tunePitches && mostOfOne <= tuneRepeats
            && Seeds.turningPoints(of: pitches).count - 2 >= tuneTurns
    }

    /// The widest step a path takes: a melody seldom leaps more than an octave.
    static let largestLeap = 12
    /// How early (in beats) a next note may start before the note it follows has ended: the
    /// slack of a played performance.
    static let endTolerance: Float = 1.0 / 16

    /// Every path through `notes` (sorted by onset, highest first among equals, as
    /// `CrossVoiceGathering.notes(of:)` gives them): up to `pathsPerNote` from each note, each
    /// `notesPerPath` indices into `notes`.
    public static func paths(through notes: [LineNote]) -> [[Int]] {
        let next = successors(in: notes)
        var paths: [[Int]] = []
        var path = [Int](repeating: 0, count: notesPerPath)  // [notesPerPath] the path explored
        var pending: [(length: Int, note: Int)] = []  // [≤ notesPerPath × widest chord] steps still to take
        for start in notes.indices {
            var finished = 0, explored = 0
            pending.append((1, start))
            while finished < pathsPerNote, explored < pathsExploredPerNote, let (length, note) = pending.popLast() {
                path[length - 1] = note
                if length == notesPerPath {
                    explored += 1
                    if isTuneLike(path.map { notes[$0].pitch }) {
                        paths.append(path)
                        finished += 1
                    }
                    continue
                }
                // Pushed farthest first, so the nearest step is taken first.
                for following in next[note].reversed() { pending.append((length + 1, following)) }
            }
            pending.removeAll(keepingCapacity: true)
        }
        return paths
    }

    /// For each note, the notes a path may take after it: those of the first chord (notes
    /// starting within `LineExtraction.chordTolerance` of its first) that starts after the
    /// note's own chord and no earlier than `endTolerance` before the note ends, within
    /// `largestLeap` of it; nearest in pitch first, the higher first among equals.
    static func successors(in notes: [LineNote]) -> [[Int]] {
        var chordStarts: [Int] = []  // [chords] index of each chord's first note
        var chordOf: [Int] = []  // [notes] the chord each note belongs to
        for (index, note) in notes.enumerated() {
            if let start = chordStarts.last,
                note.onsetBeats - notes[start].onsetBeats < LineExtraction.chordTolerance
            {
                chordOf.append(chordStarts.count - 1)
            } else {
                chordStarts.append(index)
                chordOf.append(chordStarts.count - 1)
            }
        }
        return notes.indices.map { index in
            let note = notes[index]
            let ends = note.onsetBeats + note.durationBeats - endTolerance
            let chord = max(
                chordOf[index] + 1, chordStarts.partitioningIndex { notes[$0].onsetBeats >= ends })
            guard chord < chordStarts.count else { return [] }
            let end = chord + 1 < chordStarts.count ? chordStarts[chord + 1] : notes.count
            return (chordStarts[chord]..<end)
                .filter { abs(Int(notes[$0].pitch) - Int(note.pitch)) <= largestLeap }
                .sorted {
                    let first = abs(Int(notes[$0].pitch) - Int(note.pitch))
                    let second = abs(Int(notes[$1].pitch) - Int(note.pitch))
                    return (first, notes[$1].pitch) < (second, notes[$0].pitch)
                }
        }
    }
}
