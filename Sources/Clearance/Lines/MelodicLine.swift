/// One note of a melodic line: when it starts and how long it lasts in quarter-note beats
/// (so a tempo change leaves the line as it is), and its MIDI key number.
public struct LineNote: Hashable, Sendable {
    public var onsetBeats: Float
    public var durationBeats: Float
    public var pitch: UInt8

    public init(onsetBeats: Float, durationBeats: Float, pitch: UInt8) {
        self.onsetBeats = onsetBeats
        self.durationBeats = durationBeats
        self.pitch = pitch
    }
}

/// A note with the track it belongs to: what lines are separated from.
public struct TrackNote: Hashable, Sendable {
    public var track: Int
    public var note: LineNote

    public init(track: Int, note: LineNote) {
        self.track = track
        self.note = note
    }
}

/// Where in a piece a line was heard.
public enum LineSource: Hashable, Sendable, Codable {
    /// The highest note at each moment, over every pitched track.
    case topVoice
    /// The highest note at each moment of one track.
    case track(Int)
    /// One of the voices a polyphonic track separates into, numbered from the top.
    case voice(track: Int, number: Int)
    /// Notes of any voice or track gathered where a catalogue line's rhythm puts its notes
    /// (`CrossVoiceGathering`): a tune moved into an inner voice. Matching makes these; a
    /// piece's own lines never are.
    case acrossVoices

    /// Plain words for a report: "top voice", "track 2", "track 2, voice 1".
    public var label: String {
        switch self {
        case .topVoice: "top voice"
        case .track(let track): "track \(track)"
        case .voice(let track, let number): "track \(track), voice \(number + 1)"
        case .acrossVoices: "notes of several voices, in the catalogue piece's rhythm"
        }
    }
}

/// A sequence of single notes that a listener follows as one tune: one note at a time, in
/// onset order. Matching compares lines by their pitch steps, so a transposed line is the same.
public struct MelodicLine: Hashable, Sendable {
    public var source: LineSource
    public var notes: [LineNote]

    public init(source: LineSource, notes: [LineNote]) {
        self.source = source
        self.notes = notes
    }

    public var pitches: [UInt8] { notes.map(\.pitch) }
}
