import Foundation
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

    /// Dense chords (up to 9 notes at once, more voices than `maximumVoices`) over several
    /// tracks, with repeated pitches and onsets a hair apart: the fast paths choose as their
    /// references do.
    static func crowdedNotes(seed: UInt64, count: Int) -> [TrackNote] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var notes: [TrackNote] = [], beat: Float = 0
        while notes.count < count {
            beat += [0, 1.0 / 64, 0.25, 0.5, 1][next(5)]
            for _ in 0...next(9) {
                let note = LineNote(
                    onsetBeats: beat, durationBeats: Float(1 + next(8)) / 4, pitch: UInt8(30 + next(60)))
                notes.append(TrackNote(track: next(3), note: note))
            }
        }
        return notes
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func voicesAndLinesAreTheReferences(seed: UInt64) {
        let notes = Self.crowdedNotes(seed: seed, count: 600)
        let voices = LineExtraction.separateVoices(notes.map(\.note))
        #expect(voices.count > LineExtraction.maximumVoices)
        #expect(voices == LineExtraction.naiveSeparateVoices(notes.map(\.note)))
        let lines = LineExtraction.lines(ofTrackNotes: notes)
        #expect(lines.count > 3)
        #expect(lines == LineExtraction.naiveLines(ofTrackNotes: notes))
        // A track repeated note for note in another gives its lines once.
        let doubled = notes + notes.map { TrackNote(track: $0.track + 10, note: $0.note) }
        #expect(LineExtraction.lines(ofTrackNotes: doubled) == LineExtraction.naiveLines(ofTrackNotes: doubled))
    }

    /// Files of the shared corpus (skipped when it is absent): real voicings, drums, pedal notes.
    @Test(arguments: ["jazz", "classical"])
    func corpusPiecesReadToTheReferenceLines(folder: String) throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus/\(folder)")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: corpus.path) else { return }
        for name in names.filter({ $0.lowercased().hasSuffix(".mid") }).sorted().prefix(10) {
            guard let read = try? MIDIReader.read(contentsOf: corpus.appendingPathComponent(name).path) else {
                continue
            }
            let pitched = LineExtraction.pitchedNotes(of: PieceNotes(read.file))
            let lines = LineExtraction.lines(ofTrackNotes: pitched)
            #expect(lines == LineExtraction.naiveLines(ofTrackNotes: pitched), "\(name)")
        }
    }
}
