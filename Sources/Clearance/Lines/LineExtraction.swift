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
        // All notes sorted once: a track's notes taken from them in order are the track's notes
        // sorted (the sort is stable), so each track is not sorted again for its top and voices.
        let sorted = pitched.sorted { onsetThenHighest($0.note, $1.note) }
        var lines = [MelodicLine(source: .topVoice, notes: skyline(sorted: sorted.map(\.note)))]
        let tracks = Dictionary(grouping: sorted, by: \.track)
        for track in tracks.keys.sorted() {
            let ordered = tracks[track, default: []].map(\.note)
            let top = skyline(sorted: ordered)
            lines.append(MelodicLine(source: .track(track), notes: top))
            guard top.count < ordered.count else { continue }
            for (number, voice) in separateVoices(sorted: ordered).enumerated() {
                lines.append(MelodicLine(source: .voice(track: track, number: number), notes: voice))
            }
        }
        // A line is kept unless an earlier kept one has the same notes; only lines of equal
        // length are compared, which spares hashing every note of every line.
        var kept: [MelodicLine] = []
        for line in lines where line.notes.count >= minimumNotes {
            if !kept.contains(where: { $0.notes.count == line.notes.count && $0.notes == line.notes }) {
                kept.append(line)
            }
        }
        return kept
    }

    /// The reference `lines(ofTrackNotes:)` is tested against: each track sorted apart, voices
    /// by `naiveSeparateVoices`, repeated lines found by hashing them.
    static func naiveLines(ofTrackNotes pitched: [TrackNote]) -> [MelodicLine] {
        var lines = [MelodicLine(source: .topVoice, notes: skyline(pitched.map(\.note)))]
        let tracks = Dictionary(grouping: pitched, by: \.track)
        for track in tracks.keys.sorted() {
            let notes = tracks[track, default: []].map(\.note)
            let top = skyline(notes)
            lines.append(MelodicLine(source: .track(track), notes: top))
            guard top.count < notes.count else { continue }
            for (number, voice) in naiveSeparateVoices(notes).enumerated() {
                lines.append(MelodicLine(source: .voice(track: track, number: number), notes: voice))
            }
        }
        var seen = Set<[LineNote]>()
        return lines.filter { $0.notes.count >= minimumNotes && seen.insert($0.notes).inserted }
    }

    /// The highest note of each group of notes that start together, in onset order, leaving
    /// out notes that start under a higher note still sounding (an accompaniment's off-beat).
    public static func skyline(_ notes: [LineNote]) -> [LineNote] {
        skyline(sorted: notes.sorted(by: onsetThenHighest))
    }

    /// `skyline` of notes already in `onsetThenHighest` order.
    static func skyline(sorted notes: [LineNote]) -> [LineNote] {
        var line: [LineNote] = []
        for note in notes {
            if let last = line.last {
                if note.onsetBeats - last.onsetBeats < chordTolerance { continue }
                let underHeldNote = note.onsetBeats + chordTolerance < last.onsetBeats + last.durationBeats
                if underHeldNote && note.pitch < last.pitch { continue }
            }
            line.append(note)
        }
        return line
    }

    /// Stream segregation by pitch proximity: chord by chord, every note joins the free voice
    /// it continues best (nearest last pitch, a voice still sounding being a worse home), the
    /// best continuations in the whole chord made first, so a tune moving through the middle of
    /// a chord keeps its voice rather than losing it to whichever note of the chord came first.
    /// A note far from every free voice starts one (up to `maximumVoices`; beyond, it joins the
    /// nearest). Voices are numbered by their mean pitch, highest first.
    public static func separateVoices(_ notes: [LineNote]) -> [[LineNote]] {
        separateVoices(sorted: notes.sorted(by: onsetThenHighest))
    }

    /// `separateVoices` of notes already in `onsetThenHighest` order. The same choices as
    /// `naiveSeparateVoices` (the reference, tested against this), made without a dictionary or
    /// set per chord: a chord of one note (most of them) takes its cheapest voice directly.
    static func separateVoices(sorted ordered: [LineNote]) -> [[LineNote]] {
        var voices: [[LineNote]] = []
        // (voices) the last note of each voice.
        var lastNotes: [LineNote] = []
        // (chord notes × voices) every way to continue a voice: cost << 56 | its index in note
        // then voice order, so that sorting the integers orders them by (cost, note, voice).
        var options: [UInt64] = []
        // (chord notes) the voice each note of the chord joins; nil while it has none.
        var voiceOf: [Int?] = []
        // (voices) whether a voice has taken a note of the chord.
        var taken: [Bool] = []
        var index = 0
        while index < ordered.count {
            var chordEnd = index + 1
            while chordEnd < ordered.count && ordered[chordEnd].onsetBeats - ordered[index].onsetBeats < chordTolerance
            {
                chordEnd += 1
            }
            let crowded = voices.count >= maximumVoices
            voiceOf.removeAll(keepingCapacity: true)
            if chordEnd - index == 1 {
                // One note: its cheapest option (lowest voice among equals) or, when even that
                // is too far, a new voice; every other option costs as much or more.
                var best: (cost: Int, voice: Int)?
                for (voice, last) in lastNotes.enumerated() {
                    let cost = continuationCost(of: last, by: ordered[index])
                    if best == nil || cost < best!.cost { best = (cost, voice) }
                }
                voiceOf.append(best.flatMap { $0.cost <= newVoiceLeap || crowded ? $0.voice : nil })
            } else {
                options.removeAll(keepingCapacity: true)
                for note in index..<chordEnd {
                    for last in lastNotes {
                        let cost = UInt64(continuationCost(of: last, by: ordered[note]))
                        options.append(cost << 56 | UInt64(options.count))
                    }
                }
                options.sort()
                voiceOf.append(contentsOf: repeatElement(nil, count: chordEnd - index))
                taken.removeAll(keepingCapacity: true)
                taken.append(contentsOf: repeatElement(false, count: voices.count))
                for option in options {
                    let place = Int(option & (1 << 56 - 1))
                    let note = place / voices.count, voice = place % voices.count
                    guard voiceOf[note] == nil && !taken[voice] else { continue }
                    guard Int(option >> 56) <= newVoiceLeap || crowded else { continue }
                    voiceOf[note] = voice
                    taken[voice] = true
                }
            }
            for (number, note) in ordered[index..<chordEnd].enumerated() {
                if let voice = voiceOf[number] {
                    voices[voice].append(note)
                    lastNotes[voice] = note
                } else {
                    voices.append([note])
                    lastNotes.append(note)
                }
            }
            index = chordEnd
        }
        return byMeanPitch(voices)
    }

    /// The reference `separateVoices` is tested against: every option of a chord sorted, with a
    /// dictionary of the notes placed and a set of the voices taken.
    static func naiveSeparateVoices(_ notes: [LineNote]) -> [[LineNote]] {
        var voices: [[LineNote]] = []
        var index = 0
        let ordered = notes.sorted(by: onsetThenHighest)
        while index < ordered.count {
            var chordEnd = index + 1
            while chordEnd < ordered.count && ordered[chordEnd].onsetBeats - ordered[index].onsetBeats < chordTolerance
            {
                chordEnd += 1
            }
            let chord = ordered[index..<chordEnd]
            var options: [(cost: Int, note: Int, voice: Int)] = []
            for (number, note) in zip(chord.indices, chord) {
                for (voice, notes) in voices.enumerated() {
                    options.append((continuationCost(of: notes[notes.count - 1], by: note), number, voice))
                }
            }
            options.sort { ($0.cost, $0.note, $0.voice) < ($1.cost, $1.note, $1.voice) }
            var voiceOf: [Int: Int] = [:]
            var taken = Set<Int>()
            let crowded = voices.count >= maximumVoices
            for option in options where voiceOf[option.note] == nil && !taken.contains(option.voice) {
                guard option.cost <= newVoiceLeap || crowded else { continue }
                voiceOf[option.note] = option.voice
                taken.insert(option.voice)
            }
            for (number, note) in zip(chord.indices, chord) {
                if let voice = voiceOf[number] {
                    voices[voice].append(note)
                } else {
                    voices.append([note])
                }
            }
            index = chordEnd
        }
        return byMeanPitch(voices)
    }

    /// Voices numbered by their mean pitch, highest first (equal means keep their order).
    private static func byMeanPitch(_ voices: [[LineNote]]) -> [[LineNote]] {
        let means = voices.map { voice in Double(voice.reduce(0) { $0 + Int($1.pitch) }) / Double(voice.count) }
        return voices.indices.sorted { means[$0] > means[$1] }.map { voices[$0] }
    }

    /// How badly `note` continues a voice whose last note is `last`: the leap in semitones, and
    /// half a new voice's leap more while `last` still sounds.
    private static func continuationCost(of last: LineNote, by note: LineNote) -> Int {
        let leap = abs(Int(note.pitch) - Int(last.pitch))
        let stillSounding = last.onsetBeats + last.durationBeats > note.onsetBeats + chordTolerance
        return leap + (stillSounding ? newVoiceLeap / 2 : 0)
    }

    private static func onsetThenHighest(_ a: LineNote, _ b: LineNote) -> Bool {
        (a.onsetBeats, b.pitch) < (b.onsetBeats, a.pitch)
    }
}
