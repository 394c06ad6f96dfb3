import MIDIFile
import MusicTheory
import Testing

@testable import Clearance

@Suite struct LineExtractionTests {
    @Test func skylineKeepsTheHighestNoteOfEachChord() {
        let chordNotes = [(0, 60), (0, 64), (0, 67), (1, 62), (1, 69), (2, 65)].map {
            LineNote(onsetBeats: Float($0.0), durationBeats: 1, pitch: UInt8($0.1))
        }
        #expect(LineExtraction.skyline(chordNotes).map(\.pitch) == [67, 69, 65])
    }

    @Test func voicesOfOneTrackAreSeparatedByPitch() {
        let tune = Melodies.melody(seed: 1, count: 24, lowest: 72)
        let bass = Melodies.melody(seed: 2, count: 24, lowest: 36)
        let voices = LineExtraction.separateVoices(tune + bass)
        #expect(voices.count == 2)
        #expect(voices.first?.map(\.pitch) == tune.sorted { $0.onsetBeats < $1.onsetBeats }.map(\.pitch))
        #expect(Set(voices.last?.map(\.pitch) ?? []) == Set(bass.map(\.pitch)))
    }

    /// A tune moved into the middle of a track, between its melody and its bass, comes out
    /// as a voice of its own: what lets a quotation hidden in an inner voice be matched.
    @Test func anInnerVoiceIsSeparatedWhole() {
        let melody = Melodies.melody(seed: 8, count: 40, lowest: 84)
        let inner = Melodies.melody(seed: 9, count: 30, lowest: 58)
        let bass = Melodies.melody(seed: 10, count: 36, lowest: 28)
        let voices = LineExtraction.separateVoices(melody + inner + bass)
        #expect(voices.contains { $0 == inner })
    }

    @Test func aPolyphonicTrackGivesTopVoiceTrackAndVoiceLines() {
        let tune = Melodies.melody(seed: 3, count: 20, lowest: 72)
        let bass = Melodies.melody(seed: 4, count: 20, lowest: 36)
        let lines = Melodies.piece(tune + bass).lines
        #expect(lines.map(\.source).contains(.voice(track: 0, number: 1)))
        #expect(lines.contains { $0.source == .voice(track: 0, number: 1) && $0.notes.count == bass.count })
        // The top voice and the track's top are the same notes, kept once.
        #expect(!lines.map(\.source).contains(.track(0)))
    }

    @Test func drumsAreLeftOut() {
        let tune = Melodies.melody(seed: 5, count: 12)
        let drums = PieceNotes(Melodies.file(tune, channel: 9))
        #expect(LineExtraction.lines(of: drums).isEmpty)
        #expect(LineExtraction.lines(of: PieceNotes(Melodies.file(tune))).first?.pitches == tune.map(\.pitch))
    }

    @Test func linesAreInBeatsWhateverTheTempo() {
        let tune = Melodies.melody(seed: 6, count: 16)
        let slow = ClearancePiece(Melodies.file(tune, microsecondsPerQuarter: 1_000_000))
        let fast = ClearancePiece(Melodies.file(tune, microsecondsPerQuarter: 300_000))
        #expect(slow.lines == fast.lines)
        #expect(slow.lines.first?.notes.map(\.onsetBeats) == tune.map(\.onsetBeats))
    }

    @Test func barPositionsCountFromOne() {
        let piece = Melodies.piece(Melodies.melody(seed: 7, count: 8))
        #expect(piece.position(atBeat: 0).description == "1:1")
        #expect(piece.position(atBeat: 9.5).description == "3:2.5")
    }
}
