import MIDIFile

/// The original project's vocabulary, kept to compare with its results: a single note
/// is its name with octave (`C#4`, music21's spelling), notes struck together are their
/// pitch classes in normal order joined by dots (`4.7.11`); piano parts only; no rhythm.
public struct NoteTokenizer: Sendable {
    public static let name = "notes"
    public static let version = 1
    /// The original project dropped tokens seen fewer times than this in the corpus.
    public static let minimumOccurrences = 40

    static let pitchClassNames = ["C", "C#", "D", "E-", "E", "F", "F#", "G", "G#", "A", "B-", "B"]

    public init() {}

    public static func noteName(_ pitch: Int) -> String { "\(pitchClassNames[pitch % 12])\(pitch / 12 - 1)" }

    /// Tokens of the piano parts (GM programs 1–8, or no program), one per onset per track
    /// as music21 reads a MIDI track into notes and chords; tracks merged in onset order.
    public func tokens(for file: MIDIFile) -> [String] {
        let tempoMap = TempoMap(file)
        var onsets: [(step: Int, track: Int, token: String)] = []
        for (trackIndex, track) in file.tracks.enumerated() {
            let pianoChannels = Self.pianoChannels(of: track)
            var pitchesAtStep: [Int: Set<Int>] = [:]
            for note in track.pairNotes().notes where pianoChannels.contains(note.channel) {
                pitchesAtStep[Grid.onsetStep(quarters: tempoMap.beats(atTick: note.onset)), default: []].insert(Int(note.pitch))
            }
            for (step, pitches) in pitchesAtStep {
                let token = pitches.count == 1 ? Self.noteName(pitches.first!) : Self.normalOrder(of: pitches.map { $0 % 12 }).map(String.init).joined(separator: ".")
                onsets.append((step, trackIndex, token))
            }
        }
        return onsets.sorted { ($0.step, $0.track) < ($1.step, $1.track) }.map(\.token)
    }

    /// Channels whose first program is a piano (GM 1–8); a channel with notes but no
    /// program plays the GM default, a piano. The drum channel never counts.
    static func pianoChannels(of track: Track) -> Set<UInt8> {
        var program: [UInt8: UInt8] = [:]
        for event in track.events where event.status & 0xF0 == 0xC0 && program[event.channel] == nil {
            program[event.channel] = event.data1
        }
        return Set((0..<16).filter { $0 != 9 && (program[$0] ?? 0) < 8 })
    }

    /// Rahn's normal order: the rotation of the sorted pitch classes with the smallest
    /// span, ties broken by the smaller intervals from the first note to the later ones.
    public static func normalOrder(of pitchClasses: [Int]) -> [Int] {
        let sorted = Array(Set(pitchClasses.map { (($0 % 12) + 12) % 12 })).sorted()
        guard sorted.count > 1 else { return sorted }
        let rotations = sorted.indices.map { start in Array(sorted[start...] + sorted[..<start]) }
        func spans(_ rotation: [Int]) -> [Int] {
            (1..<rotation.count).reversed().map { ((rotation[$0] - rotation[0]) % 12 + 12) % 12 }
        }
        return rotations.min { spans($0).lexicographicallyPrecedes(spans($1)) } ?? sorted
    }
}
