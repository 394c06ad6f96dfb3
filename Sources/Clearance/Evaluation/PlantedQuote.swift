/// The ways a quotation is disguised in the planted-copy benchmark and the tests: the
/// transformations a copy check must see through.
public enum QuoteTransformation: String, CaseIterable, Sendable, Codable {
    /// The quote as it stands, in a track of its own above the host piece.
    case exact
    /// Every pitch moved by the same interval.
    case transposition
    /// Every duration and gap doubled.
    case augmentation
    /// Every duration and gap halved.
    case diminution
    /// Long–short pairs: even notes become dotted / swung ones.
    case rhythm
    /// A passing note inserted in every leap of a minor third or more.
    case passingNotes
    /// The quote an octave lower, sharing a track with the host's melody (an inner voice).
    case movedVoice
    /// Block chords under every quote note, in the quote's own track.
    case newAccompaniment
    /// Transposed, swung, with passing notes, under chords.
    case combined

    /// Applies the transformation to a quote that starts at beat 0; the result starts at beat 0.
    /// `semitones` is the transposition used where one applies.
    public func apply(to quote: [LineNote], semitones: Int) -> [LineNote] {
        switch self {
        case .exact, .movedVoice, .newAccompaniment: quote
        case .transposition: Self.transpose(quote, by: semitones)
        case .augmentation: Self.scaleTime(quote, by: 2)
        case .diminution: Self.scaleTime(quote, by: 0.5)
        case .rhythm: Self.swing(quote)
        case .passingNotes: Self.insertPassingNotes(quote)
        case .combined: Self.insertPassingNotes(Self.swing(Self.transpose(quote, by: semitones)))
        }
    }

    /// Puts a (transformed) quote into a host piece at `beat`. The quote goes into a new
    /// track above the host, except when moved to an inner voice of the host's first track.
    public func plant(_ quote: [LineNote], semitones: Int, into host: [TrackNote], atBeat beat: Float) -> [TrackNote] {
        let transformed = plantedNotes(quote, semitones: semitones, atBeat: beat)
        let newTrack = (host.map(\.track).max() ?? 0) + 1
        switch self {
        case .movedVoice:
            let track = host.first?.track ?? 0
            return host + transformed.map { TrackNote(track: track, note: $0) }
        case .newAccompaniment, .combined:
            return host + (transformed + Self.chords(under: transformed)).map { TrackNote(track: newTrack, note: $0) }
        default:
            return host + transformed.map { TrackNote(track: newTrack, note: $0) }
        }
    }

    /// The quote's notes as `plant` puts them into the host (without the chords under them):
    /// transformed, moved to `beat`, and an octave lower when moved to an inner voice.
    public func plantedNotes(_ quote: [LineNote], semitones: Int, atBeat beat: Float) -> [LineNote] {
        let placed = apply(to: quote, semitones: semitones).map {
            LineNote(onsetBeats: $0.onsetBeats + beat, durationBeats: $0.durationBeats, pitch: $0.pitch)
        }
        return self == .movedVoice ? Self.transpose(placed, by: -12) : placed
    }

    static func transpose(_ notes: [LineNote], by semitones: Int) -> [LineNote] {
        notes.map {
            LineNote(
                onsetBeats: $0.onsetBeats, durationBeats: $0.durationBeats,
                pitch: UInt8(clamping: min(127, max(0, Int($0.pitch) + semitones))))
        }
    }

    static func scaleTime(_ notes: [LineNote], by factor: Float) -> [LineNote] {
        notes.map {
            LineNote(onsetBeats: $0.onsetBeats * factor, durationBeats: $0.durationBeats * factor, pitch: $0.pitch)
        }
    }

    /// Every other note delayed by a third of the shorter gap around it, and the note before
    /// it held longer: even eighths become swung ones, even quarters dotted-like pairs.
    static func swing(_ notes: [LineNote]) -> [LineNote] {
        var result = notes
        for index in stride(from: 1, to: notes.count, by: 2) {
            let before = notes[index].onsetBeats - notes[index - 1].onsetBeats
            let after = index + 1 < notes.count ? notes[index + 1].onsetBeats - notes[index].onsetBeats : before
            let delay = min(before, after) / 3
            result[index].onsetBeats += delay
            result[index].durationBeats = max(notes[index].durationBeats - delay, delay)
            result[index - 1].durationBeats = min(notes[index - 1].durationBeats + delay, before + delay)
        }
        return result
    }

    /// A passing note halfway (in pitch and time) through every leap of 3 semitones or more.
    static func insertPassingNotes(_ notes: [LineNote]) -> [LineNote] {
        var result: [LineNote] = []
        for (index, note) in notes.enumerated() {
            guard index + 1 < notes.count else {
                result.append(note)
                break
            }
            let next = notes[index + 1]
            let leap = Int(next.pitch) - Int(note.pitch)
            let gap = next.onsetBeats - note.onsetBeats
            guard abs(leap) >= 3, gap > 0 else {
                result.append(note)
                continue
            }
            result.append(
                LineNote(
                    onsetBeats: note.onsetBeats, durationBeats: min(note.durationBeats, gap / 2), pitch: note.pitch))
            let passing = UInt8(Int(note.pitch) + leap / 2)
            result.append(LineNote(onsetBeats: note.onsetBeats + gap / 2, durationBeats: gap / 2, pitch: passing))
        }
        return result
    }

    /// A three-note chord a fifth-ish below each note (root, third, fifth down from it),
    /// starting with the note: a new harmony under the tune.
    static func chords(under notes: [LineNote]) -> [LineNote] {
        notes.flatMap { note in
            [7, 12, 16].map { below in
                LineNote(
                    onsetBeats: note.onsetBeats, durationBeats: note.durationBeats,
                    pitch: UInt8(clamping: max(0, Int(note.pitch) - below)))
            }
        }
    }
}
