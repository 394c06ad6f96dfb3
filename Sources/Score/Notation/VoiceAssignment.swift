/// Notes struck together and released together: one stem.
public struct Chord: Hashable, Sendable {
    public var onset: Int
    public var end: Int
    /// Lowest first.
    public var pitches: [UInt8]
    /// The latest unquantised release among the chord's notes.
    public var playedEnd: Int

    public init(onset: Int, end: Int, pitches: [UInt8], playedEnd: Int? = nil) {
        self.onset = onset
        self.end = end
        self.pitches = pitches.sorted()
        self.playedEnd = playedEnd ?? end
    }
}

/// Lays one staff's notes out in voices, so a note held under moving notes is written
/// once at its full length instead of chopped into tied fragments.
///
/// Notes struck and released together form a chord. Each chord goes to a voice that is
/// free when it starts: the one whose line ends just there (the nearest in pitch if
/// several do), else the main voice. A chord that starts under a sounding one and ends no later is a line
/// moving under a held note: it opens a second voice. A chord that starts under a
/// sounding one and outlasts it is legato (an arpeggio held with the fingers, a pedalled
/// line): the earlier chord is cut where it starts, and the line stays one voice. Where
/// every voice is busy, a chord struck with one already sounding joins it, and otherwise
/// the voice that frees soonest is cut: more voices than two on a staff is harder to read
/// than a shortened note.
public enum VoiceAssignment {
    public static let maximumVoices = 2

    /// - Parameter step: the grid step at a tick. A release overlapping the next chord by
    ///   at most a step (and under half the note) is legato too; a gap between the played
    ///   release and the next onset in the voice of less than a step is filled, since
    ///   legato playing is not rests.
    /// - Returns: the voices, upper line first, each chords in time order without overlap.
    ///   - sameBar: whether two ticks lie in one bar. A gap at a bar line is not filled:
    ///     a note tied over the bar line for one step reads worse than a rest.
    public static func assign(
        _ notes: [ScoreNote], step: (Int) -> Int, sameBar: (Int, Int) -> Bool = { _, _ in true }
    ) -> [[Chord]] {
        var voices: [[Chord]] = []
        for chord in chords(of: notes) {
            let free = voices.indices.filter { index in
                let last = voices[index].last!
                return last.end <= chord.onset || isLegatoOverlap(last, before: chord, step: step(last.onset))
            }
            let outlasted = voices.indices.filter { index in
                let last = voices[index].last!
                return last.onset < chord.onset && last.end < chord.end
            }
            if let chosen = continuing(free, to: chord, in: voices) ?? nearest(outlasted, to: chord, in: voices) {
                let last = voices[chosen].count - 1
                voices[chosen][last].end = min(voices[chosen][last].end, chord.onset)
                voices[chosen].append(chord)
            } else if voices.count < maximumVoices {
                voices.append([chord])
            } else if let joined = voices.indices.first(where: { voices[$0].last!.onset == chord.onset }) {
                let last = voices[joined].count - 1
                voices[joined][last].pitches = Array(Set(voices[joined][last].pitches + chord.pitches)).sorted()
            } else {
                let soonest = voices.indices.min { voices[$0].last!.end < voices[$1].last!.end }!
                voices[soonest][voices[soonest].count - 1].end = chord.onset
                voices[soonest].append(chord)
            }
        }
        for index in voices.indices { fillLegatoGaps(&voices[index], step: step, sameBar: sameBar) }
        return upperFirst(voices)
    }

    /// Chords by (onset, end), in onset order, higher first among chords struck together.
    static func chords(of notes: [ScoreNote]) -> [Chord] {
        var grouped: [Int: [Int: (pitches: [UInt8], played: Int)]] = [:]
        for note in notes {
            var entry = grouped[note.onset, default: [:]][note.end, default: ([], note.playedEnd)]
            if !entry.pitches.contains(note.pitch) { entry.pitches.append(note.pitch) }
            entry.played = max(entry.played, note.playedEnd)
            grouped[note.onset, default: [:]][note.end] = entry
        }
        return grouped.flatMap { onset, byEnd in
            byEnd.map { end, entry in Chord(onset: onset, end: end, pitches: entry.pitches, playedEnd: entry.played) }
        }
        .sorted { ($0.onset, -Int($0.pitches.last!)) < ($1.onset, -Int($1.pitches.last!)) }
    }

    static func isLegatoOverlap(_ earlier: Chord, before later: Chord, step: Int) -> Bool {
        let overlap = earlier.end - later.onset
        return earlier.onset < later.onset && overlap <= step && 2 * overlap < earlier.end - earlier.onset
    }

    /// Among free voices, one whose last chord ends where this one starts continues its
    /// line (the nearest in pitch if several do); with none, the main voice first.
    private static func continuing(_ free: [Int], to chord: Chord, in voices: [[Chord]]) -> Int? {
        let continuing = free.filter { voices[$0].last!.end == chord.onset }
        return continuing.isEmpty ? free.min() : nearest(continuing, to: chord, in: voices)
    }

    private static func nearest(_ candidates: [Int], to chord: Chord, in voices: [[Chord]]) -> Int? {
        let top = Int(chord.pitches.last!)
        return candidates.min { first, second in
            let a = abs(Int(voices[first].last!.pitches.last!) - top)
            let b = abs(Int(voices[second].last!.pitches.last!) - top)
            return a == b ? first < second : a < b
        }
    }

    private static func fillLegatoGaps(_ voice: inout [Chord], step: (Int) -> Int, sameBar: (Int, Int) -> Bool) {
        for index in voice.indices.dropLast() {
            let next = voice[index + 1].onset
            if voice[index].end < next, next - voice[index].playedEnd < step(voice[index].end),
                sameBar(voice[index].end - 1, next - 1)
            {
                voice[index].end = next
            }
        }
    }

    /// The voice with the higher average pitch is written first (stems up).
    private static func upperFirst(_ voices: [[Chord]]) -> [[Chord]] {
        func meanPitch(_ voice: [Chord]) -> Double {
            let pitches = voice.flatMap(\.pitches)
            return Double(pitches.reduce(0) { $0 + Int($1) }) / Double(max(pitches.count, 1))
        }
        return voices.sorted { meanPitch($0) > meanPitch($1) }
    }
}
