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
                let step = TokenGrid.onsetStep(quarters: tempoMap.beats(atTick: note.onset))
                pitchesAtStep[step, default: []].insert(Int(note.pitch))
            }
            for (step, pitches) in pitchesAtStep {
                let token =
                    pitches.count == 1
                    ? Self.noteName(pitches.first!)
                    : Self.normalOrder(of: pitches.map { $0 % 12 }).map(String.init).joined(separator: ".")
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

extension NoteTokenizer {
    /// The pitch of a note name such as `C#4` or `E-4`, nil for anything else.
    public static func pitch(ofName name: String) -> Int? {
        // Two-letter names first, so the flat sign of `E-4` is not read as a minus.
        guard
            let pitchClass = pitchClassNames.indices.sorted(by: {
                pitchClassNames[$0].count > pitchClassNames[$1].count
            })
            .first(where: {
                name.hasPrefix(pitchClassNames[$0]) && Int(name.dropFirst(pitchClassNames[$0].count)) != nil
            }),
            let octave = Int(name.dropFirst(pitchClassNames[pitchClass].count))
        else { return nil }
        let pitch = (octave + 1) * 12 + pitchClass
        return (0...127).contains(pitch) ? pitch : nil
    }

    /// The pieces a `notes` model writes, as the original project wrote them: one note or
    /// chord per beat, a quarter note long, chords in the octave above middle C.
    public func piece(from tokens: [String]) -> QuantisedPiece {
        var notes: [QuantisedPiece.Note] = []
        for (beat, token) in tokens.enumerated() {
            let pitches =
                token.contains(".") || Int(token) != nil
                ? token.split(separator: ".").compactMap { Int($0) }.filter { (0..<12).contains($0) }.map { 60 + $0 }
                : [Self.pitch(ofName: token)].compactMap { $0 }
            for pitch in pitches {
                notes.append(
                    .init(
                        onset: beat * TokenGrid.stepsPerQuarter, duration: TokenGrid.stepsPerQuarter,
                        pitch: pitch, velocityBucket: 12))
            }
        }
        return QuantisedPiece(notes: notes, tempos: [], meters: [])
    }
}
