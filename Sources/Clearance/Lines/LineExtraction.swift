import MIDIFile
import MusicTheory

/// Reads a piece as the melodic lines a quotation could hide in: the top voice of the whole
/// piece, the top of each track, and the voices inside each polyphonic track. Drum-channel
/// notes name drums rather than pitches and are left out. Lines that repeat another line
/// note for note (a one-voice track is its own top voice) are kept once.
public enum LineExtraction {
    /// Notes whose onsets lie this close (in beats) sound together: a chord played by hand.
    static let chordTolerance: Float = 1.0 / 32
    /// Shorter lines hold too few steps to seed a match.
    public static let minimumNotes = 6
    /// Voices a track may separate into; more are folded into the nearest.
    static let maximumVoices = 6
    /// A note further than this (semitones) from every voice starts a new one.
    static let newVoiceLeap = 9

    public static func lines(of piece: PieceNotes) -> [MelodicLine] {
        lines(ofTrackNotes: pitchedNotes(of: piece))
    }

    /// The piece's notes that have a pitch (not drums), in beats, with their tracks.
    public static func pitchedNotes(of piece: PieceNotes) -> [TrackNote] {
        piece.notes.filter { !$0.isDrum }.map {
            TrackNote(
                track: $0.track,
                note: LineNote(
                    onsetBeats: Float($0.onsetBeats), durationBeats: Float($0.durationBeats), pitch: $0.pitch))
        }
    }

    /// The lines of a piece given as pitched notes with their tracks.
    public static func lines(ofTrackNotes pitched: [TrackNote]) -> [MelodicLine] {
        var lines = [MelodicLine(source: .topVoice, notes: skyline(pitched.map(\.note)))]
        let tracks = Dictionary(grouping: pitched, by: \.track)
        for track in tracks.keys.sorted() {
            let notes = tracks[track, default: []].map(\.note)
            let top = skyline(notes)
            lines.append(MelodicLine(source: .track(track), notes: top))
            guard top.count < notes.count else { continue }
            for (number, voice) in separateVoices(notes).enumerated() {
                lines.append(MelodicLine(source: .voice(track: track, number: number), notes: voice))
            }
        }
        var seen = Set<[LineNote]>()
        return lines.filter { $0.notes.count >= minimumNotes && seen.insert($0.notes).inserted }
    }

    /// The highest note of each group of notes that start together, in onset order, leaving
    /// out notes that start under a higher note still sounding (an accompaniment's off-beat).
    public static func skyline(_ notes: [LineNote]) -> [LineNote] {
        var line: [LineNote] = []
        for note in notes.sorted(by: onsetThenHighest) {
            if let last = line.last {
                if note.onsetBeats - last.onsetBeats < chordTolerance { continue }
                let underHeldNote = note.onsetBeats + chordTolerance < last.onsetBeats + last.durationBeats
                if underHeldNote && note.pitch < last.pitch { continue }
            }
            line.append(note)
        }
        return line
    }

    /// Stream segregation by pitch proximity: each note, chord by chord from the top, joins
    /// the free voice whose last pitch is nearest, or starts a voice when every voice is far
    /// away or still sounding. Voices are numbered by their mean pitch, highest first.
    public static func separateVoices(_ notes: [LineNote]) -> [[LineNote]] {
        var voices: [[LineNote]] = []
        var index = 0
        let ordered = notes.sorted(by: onsetThenHighest)
        while index < ordered.count {
            var chordEnd = index + 1
            while chordEnd < ordered.count && ordered[chordEnd].onsetBeats - ordered[index].onsetBeats < chordTolerance
            {
                chordEnd += 1
            }
            var taken = Set<Int>()
            for note in ordered[index..<chordEnd] {
                let voice = nearestVoice(for: note, among: voices, excluding: taken)
                if let voice {
                    voices[voice].append(note)
                    taken.insert(voice)
                } else {
                    voices.append([note])
                    taken.insert(voices.count - 1)
                }
            }
            index = chordEnd
        }
        func meanPitch(_ voice: [LineNote]) -> Double {
            Double(voice.reduce(0) { $0 + Int($1.pitch) }) / Double(voice.count)
        }
        return voices.sorted { meanPitch($0) > meanPitch($1) }
    }

    private static func nearestVoice(for note: LineNote, among voices: [[LineNote]], excluding taken: Set<Int>) -> Int?
    {
        var best: (voice: Int, cost: Int)?
        for (number, voice) in voices.enumerated() where !taken.contains(number) {
            guard let last = voice.last else { continue }
            let leap = abs(Int(note.pitch) - Int(last.pitch))
            // A voice still holding its note is a worse home than a free one at the same distance.
            let stillSounding = last.onsetBeats + last.durationBeats > note.onsetBeats + chordTolerance
            let cost = leap + (stillSounding ? newVoiceLeap / 2 : 0)
            if best.map({ cost < $0.cost }) ?? true { best = (number, cost) }
        }
        guard let best else { return nil }
        if best.cost > newVoiceLeap && voices.count < maximumVoices { return nil }
        return best.voice
    }

    private static func onsetThenHighest(_ a: LineNote, _ b: LineNote) -> Bool {
        (a.onsetBeats, b.pitch) < (b.onsetBeats, a.pitch)
    }
}
