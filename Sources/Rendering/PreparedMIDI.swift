import MIDIFile

/// A MIDI file made ready for FluidSynth: read leniently (so damaged files still play),
/// written back as clean bytes, with what rendering needs to know about its notes.
public struct PreparedMIDI: Sendable {
    public var name: String
    /// A spec-valid Standard MIDI File that FluidSynth's stricter parser accepts.
    public var cleanBytes: [UInt8]
    public var noteCount: Int
    /// When the last note is released, in seconds from the start.
    public var lastNoteEndSeconds: Double
    /// What the lenient reader repaired on the way.
    public var findings: [Finding]

    public init(contentsOf path: String) throws {
        let result = try MIDIReader.read(contentsOf: path)
        self.init(result.file, name: path, findings: result.findings)
    }

    public init(_ file: MIDIFile, name: String, findings: [Finding] = []) {
        let playable = file.withMusicalTiming()
        let tempoMap = TempoMap(playable)
        var noteCount = 0
        var lastNoteEndTick = 0
        for track in playable.tracks {
            let notes = track.pairNotes().notes
            noteCount += notes.count
            for note in notes { lastNoteEndTick = max(lastNoteEndTick, note.onset + note.duration) }
        }
        self.name = name
        self.cleanBytes = MIDIWriter().encode(playable).bytes
        self.noteCount = noteCount
        self.lastNoteEndSeconds = noteCount == 0 ? 0 : tempoMap.seconds(atTick: lastNoteEndTick)
        self.findings = findings
    }
}
