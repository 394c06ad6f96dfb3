import Foundation
import MIDIFile
import Testing

@testable import Generation

@Suite struct PipelineNoteTokenizerTests {
    @Test func namesNotesAsMusic21Does() {
        #expect(NoteTokenizer.noteName(60) == "C4")
        #expect(NoteTokenizer.noteName(61) == "C#4")
        #expect(NoteTokenizer.noteName(63) == "E-4")
        #expect(NoteTokenizer.noteName(21) == "A0")
        #expect(NoteTokenizer.noteName(70) == "B-4")
    }

    @Test func chordsAreInNormalOrder() {
        #expect(NoteTokenizer.normalOrder(of: [4, 7, 11]) == [4, 7, 11])
        // C major in first inversion (E G C) is still 0.4.7.
        #expect(NoteTokenizer.normalOrder(of: [4, 7, 12]) == [0, 4, 7])
        // G7 spelt from the bass: the most compact rotation (a minor sixth) starts on B.
        #expect(NoteTokenizer.normalOrder(of: [7, 11, 14, 17]) == [11, 2, 5, 7])
        // A diminished seventh is symmetric: ties go to the lowest starting class.
        #expect(NoteTokenizer.normalOrder(of: [9, 0, 3, 6]) == [0, 3, 6, 9])
        // Doubled pitch classes count once.
        #expect(NoteTokenizer.normalOrder(of: [60, 72, 64]) == [0, 4])
    }

    @Test func namesReadBackAndDecodeOneTokenPerBeat() {
        #expect(NoteTokenizer.pitch(ofName: "E-4") == 63)
        #expect(NoteTokenizer.pitch(ofName: "C#4") == 61)
        #expect(NoteTokenizer.pitch(ofName: "C-1") == 0)
        #expect(NoteTokenizer.pitch(ofName: "H4") == nil)
        // Octave −1 is ambiguous in music21's spelling (`E-1` is E♭1 or E−1); no piano reaches it.
        for pitch in 12..<128 { #expect(NoteTokenizer.pitch(ofName: NoteTokenizer.noteName(pitch)) == pitch) }
        let piece = NoteTokenizer().piece(from: ["C4", "4.7.11", "nonsense", "B-3"])
        #expect(piece.notes.map(\.onset) == [0, 12, 12, 12, 36])
        #expect(piece.notes.map(\.pitch) == [60, 64, 67, 71, 58])
    }

    @Test func notesAndChordsOfPianoPartsOnly() {
        var violin = Track()
        violin.appendChannelEvent(tick: 0, status: 0xC1, data1: 40)
        violin.appendChannelEvent(tick: 0, status: 0x91, data1: 76, data2: 80)
        violin.appendChannelEvent(tick: 480, status: 0x81, data1: 76)
        var drums = Track()
        drums.appendChannelEvent(tick: 0, status: 0x99, data1: 36, data2: 100)
        drums.appendChannelEvent(tick: 100, status: 0x89, data1: 36)
        let file = PipelineFixtures.file(
            notes: [(60, 0, 1), (64, 1, 1), (67, 1, 1), (72, 1.01, 1), (61, 2, 1)],
            extraTracks: [violin, drums])
        #expect(NoteTokenizer().tokens(for: file) == ["C4", "0.4.7", "C#4"])
    }
}

@Suite struct PipelineEventTokenizerTests {
    let tokenizer = EventTokenizer()

    /// A 3/4 bar then 6/8, a tempo change, a triplet figure and a repeated note.
    var handMadePiece: QuantisedPiece {
        QuantisedPiece(
            notes: [
                .init(onset: 0, duration: 12, pitch: 60, velocityBucket: 10),
                .init(onset: 0, duration: 24, pitch: 48, velocityBucket: 6),
                .init(onset: 12, duration: 4, pitch: 62, velocityBucket: 10),
                .init(onset: 16, duration: 4, pitch: 64, velocityBucket: 10),
                .init(onset: 20, duration: 4, pitch: 65, velocityBucket: 10),
                .init(onset: 36, duration: 9, pitch: 67, velocityBucket: 12),
                .init(onset: 39, duration: 3, pitch: 67, velocityBucket: 12),
                .init(onset: 72, duration: 96, pitch: 55, velocityBucket: 3),
            ],
            tempos: [.init(step: 0, bucket: 20), .init(step: 36, bucket: 25)],
            meters: [
                .init(bar: 0, meter: TokenMeter(numerator: 3, denominator: 4)),
                .init(bar: 1, meter: TokenMeter(numerator: 6, denominator: 8)),
            ])
    }

    @Test func tokensSayBarsPositionsAndNotes() {
        let tokens = tokenizer.tokens(for: handMadePiece)
        // The header lists the one instrument; a piano's notes need no instrument token of their own.
        #expect(
            Array(tokens.prefix(12)) == [
                "Program_0", "Bar", "Meter_3/4", "Polyphony_3", "Pos_0", "Tempo_20", "Pitch_48", "Dur_24", "Vel_6",
                "Pitch_60", "Dur_12", "Vel_10",
            ])
        #expect(tokens.filter { $0 == "Bar" }.count == 3)
        // Every bar names its meter, the bars after a change as much as the bar of the change.
        #expect(
            tokens.indices.filter { tokens[$0] == "Bar" }.map { tokens[$0 + 1] } == [
                "Meter_3/4", "Meter_6/8", "Meter_6/8",
            ])
        // ...and its texture: two notes at each onset of the 3/4 bar, one in each 6/8 bar.
        #expect(
            tokens.indices.filter { tokens[$0] == "Bar" }.map { tokens[$0 + 2] } == [
                "Polyphony_3", "Polyphony_1", "Polyphony_1",
            ])
        // The repeated G is cut where it is struck again: 9 steps become 3.
        #expect(handMadePiece.notes.first { $0.pitch == 67 }?.duration == 3)
        #expect(tokens.allSatisfy { tokenizer.vocabulary.id(of: $0) != nil })
    }

    @Test func handMadePieceRoundTripsThroughTokensAndMIDI() throws {
        let piece = handMadePiece
        #expect(tokenizer.piece(from: tokenizer.tokens(for: piece)) == piece)
        let bytes = MIDIWriter().encode(piece.midiFile()).bytes
        let reread = try MIDIReader.read(bytes).file
        #expect(QuantisedPiece(reread) == piece)
    }

    @Test func quantisesOntoTheSixteenthAndTripletGrid() {
        let file = PipelineFixtures.file(notes: [(60, 0.02, 0.98), (62, 1.30, 0.3), (64, 1.74, 0.26), (65, 2.5, 0.01)])
        let piece = QuantisedPiece(file)
        #expect(piece.notes.map(\.onset) == [0, 16, 21, 30])
        #expect(piece.notes.map(\.duration) == [12, 4, 3, 3])
    }

    @Test func meterChangesMoveToTheNearestBarLine() {
        var conductor = Track()
        // 4/4 at 0; 3/4 written one eighth after the second bar line.
        conductor.appendMeta(tick: 0, type: MetaType.timeSignature.rawValue, payload: [4, 2, 24, 8])
        conductor.appendMeta(tick: 4 * 480 + 240, type: MetaType.timeSignature.rawValue, payload: [3, 2, 24, 8])
        let file = PipelineFixtures.file(notes: [(60, 0, 1), (62, 10, 1)], extraTracks: [conductor])
        let piece = QuantisedPiece(file)
        #expect(
            piece.meters
                == [.init(bar: 0, meter: .common), .init(bar: 1, meter: TokenMeter(numerator: 3, denominator: 4))])
        #expect(tokenizer.piece(from: tokenizer.tokens(for: piece)) == piece)
    }

    @Test func decodingForgivesWhatAModelMayWrite() {
        let piece = tokenizer.piece(from: [
            "Pitch_60", "Bar", "Pos_6", "Pitch_64", "Vel_3", "Dur_7", "Nonsense", "Pos_x",
        ])
        #expect(piece.notes.map(\.pitch) == [60, 64])
        // Before the first bar line is still bar 0.
        #expect(piece.notes[1].onset == 6)
        #expect(piece.notes[1].velocityBucket == 3)
    }

    @Test(.enabled(if: PipelineFixtures.hasSharedCorpus), .timeLimit(.minutes(10)))
    func realCorpusFilesRoundTripAgainstTheirQuantisedReference() throws {
        let paths =
            PipelineFixtures.sharedFiles("jazz", every: 12) + PipelineFixtures.sharedFiles("classical", every: 15)
        #expect(paths.count > 30)
        for path in paths {
            let piece = QuantisedPiece(try MIDIReader.read(contentsOf: path).file)
            #expect(!piece.notes.isEmpty, "\(path)")
            let tokens = tokenizer.tokens(for: piece)
            #expect(tokens.allSatisfy { tokenizer.vocabulary.id(of: $0) != nil }, "\(path)")
            #expect(firstDifference(tokenizer.piece(from: tokens), piece) == nil, "\(path)")
            let reread = try MIDIReader.read(MIDIWriter().encode(piece.midiFile()).bytes).file
            #expect(firstDifference(QuantisedPiece(reread), piece) == nil, "\(path)")
        }
    }

    /// Where two pieces part, in words short enough to read in a failure message.
    func firstDifference(_ decoded: QuantisedPiece, _ reference: QuantisedPiece) -> String? {
        if decoded.tempos != reference.tempos { return "tempos \(decoded.tempos.count) vs \(reference.tempos.count)" }
        if decoded.meters != reference.meters { return "meters \(decoded.meters) vs \(reference.meters)" }
        if let index = zip(decoded.notes, reference.notes).enumerated().first(where: { $0.element.0 != $0.element.1 })?
            .offset
        {
            return "note \(index): \(decoded.notes[index]) vs \(reference.notes[index])"
        }
        return decoded.notes.count == reference.notes.count
            ? nil : "\(decoded.notes.count) notes vs \(reference.notes.count)"
    }
}
