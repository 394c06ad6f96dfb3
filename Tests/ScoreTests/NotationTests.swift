import Foundation
import MIDIFile
import MusicTheory
import Testing

@testable import Score

private func note(_ pitch: UInt8, at onset: Int, length: Int = 240, played: Int? = nil) -> ScoreNote {
    ScoreNote(channel: 0, pitch: pitch, velocity: 80, onset: onset, end: onset + length, playedEnd: played)
}

@Suite struct StaffSplitTests {
    func split(_ notes: [ScoreNote]) -> (right: [UInt8], left: [UInt8]) {
        let hands = StaffSplit.split(notes, ticksPerQuarter: 480)
        return (hands.right.map(\.pitch), hands.left.map(\.pitch))
    }

    /// A melody that walks down to A3 over a low bass stays on the treble staff; a fixed
    /// split at middle C would send its last three notes to the bass staff.
    @Test func aMelodyDippingBelowMiddleCStaysInTheRightHand() {
        let melody: [UInt8] = [67, 65, 64, 62, 60, 59, 57]
        let notes = melody.enumerated().map { note($1, at: $0 * 240) } + [note(40, at: 0, length: 1920)]
        let hands = split(notes)
        #expect(hands.right == melody)
        #expect(hands.left == [40])
    }

    /// A bass line climbing to D4 under a high melody stays on the bass staff.
    @Test func aBassLineClimbingAboveMiddleCStaysInTheLeftHand() {
        let bass: [UInt8] = [50, 53, 55, 57, 59, 60, 62]
        let notes = bass.enumerated().map { note($1, at: $0 * 240) } + [note(79, at: 0, length: 1920)]
        let hands = split(notes)
        #expect(hands.left == bass)
        #expect(hands.right == [79])
    }

    /// A line that goes all the way down crosses to the bass staff once it leaves the
    /// band around middle C, and not before.
    @Test func aLineCrossesWhenItGoesIntoTheOtherHandsRange() {
        let line: [UInt8] = [67, 64, 60, 57, 53, 50, 48]
        let hands = split(line.enumerated().map { note($1, at: $0 * 240) })
        #expect(hands.right == [67, 64, 60, 57])
        #expect(hands.left == [53, 50, 48])
    }

    /// With nothing to continue, middle C decides; a chord's inner note near the right
    /// hand's lowest note joins the right hand.
    @Test func middleCDecidesAloneAndChordsHoldTogether() {
        #expect(split([note(60, at: 0)]).right == [60])
        #expect(split([note(59, at: 0)]).left == [59])
        let hands = split([note(72, at: 0), note(66, at: 0), note(58, at: 0), note(43, at: 0)])
        #expect(hands.right == [58, 66, 72])
        #expect(hands.left == [43])
    }

    @Test func pianosArePrograms0To7OffTheDrumChannel() {
        #expect(StaffSplit.isPiano(program: nil, channel: 0))
        #expect(StaffSplit.isPiano(program: 7, channel: 3))
        #expect(!StaffSplit.isPiano(program: 8, channel: 0))
        #expect(!StaffSplit.isPiano(program: 0, channel: 9))
    }
}

@Suite struct VoiceAssignmentTests {
    static func sixteenth(_ tick: Int) -> Int { 120 }

    /// A whole note held under four quarter notes: two voices, the whole note written
    /// once at its full length.
    @Test func aHeldNoteUnderMovingNotesGetsASecondVoice() {
        let notes =
            [note(48, at: 0, length: 1920)] + (0..<4).map { note(UInt8(60 + 2 * $0), at: $0 * 480, length: 480) }
        let voices = VoiceAssignment.assign(notes, step: Self.sixteenth)
        #expect(voices.count == 2)
        #expect(voices[0].map(\.pitches) == [[60], [62], [64], [66]])
        #expect(voices[1] == [Chord(onset: 0, end: 1920, pitches: [48])])
    }

    @Test func notesStruckAndReleasedTogetherAreOneChord() {
        let voices = VoiceAssignment.assign(
            [note(60, at: 0, length: 480), note(64, at: 0, length: 480), note(67, at: 480, length: 480)],
            step: Self.sixteenth)
        #expect(voices.count == 1)
        #expect(voices[0].map(\.pitches) == [[60, 64], [67]])
    }

    /// Released a sixteenth into the next note: legato, so one voice, the first note
    /// ending where the next begins.
    @Test func aSmallLegatoOverlapIsNotASecondVoice() {
        let voices = VoiceAssignment.assign(
            [note(60, at: 0, length: 600), note(62, at: 480, length: 480)], step: Self.sixteenth)
        #expect(voices.count == 1)
        #expect(voices[0].map(\.end) == [480, 960])
    }

    /// Released 70 ticks early (less than a sixteenth): filled to the next note. Released
    /// 200 ticks early: a real rest.
    @Test func gapsBelowTheGridAreFilled() {
        let shortGap = VoiceAssignment.assign(
            [note(60, at: 0, length: 360, played: 410), note(62, at: 480, length: 480)], step: Self.sixteenth)
        #expect(shortGap[0].map(\.end) == [480, 960])
        let longGap = VoiceAssignment.assign(
            [note(60, at: 0, length: 240, played: 280), note(62, at: 480, length: 480)], step: Self.sixteenth)
        #expect(longGap[0].map(\.end) == [240, 960])
    }

    /// An arpeggio whose notes are each held on under the next ones (finger legato, as a
    /// sequenced performance plays it): one voice of sixteenths, not a thicket of voices.
    @Test func anArpeggioHeldOnUnderItselfStaysOneVoice() {
        let notes = (0..<8).map { note(UInt8([67, 72, 76][$0 % 3]), at: $0 * 120, length: 360) }
        let voices = VoiceAssignment.assign(notes, step: Self.sixteenth)
        #expect(voices.count == 1)
        #expect(voices[0].dropLast().allSatisfy { $0.end - $0.onset == 120 })
        #expect(voices[0].last.map { $0.end - $0.onset } == 360)
    }

    /// Three overlapping lines on one staff: the third shortens the note that would end
    /// soonest instead of opening a third voice.
    @Test func neverMoreThanTwoVoices() {
        let notes = [note(72, at: 0, length: 1920), note(48, at: 0, length: 960), note(60, at: 240, length: 480)]
        let voices = VoiceAssignment.assign(notes, step: Self.sixteenth)
        #expect(voices.count == VoiceAssignment.maximumVoices)
        for voice in voices {
            for (earlier, later) in zip(voice, voice.dropFirst()) { #expect(earlier.end <= later.onset) }
        }
        #expect(voices.flatMap { $0 }.count == 3)
    }
}

@Suite struct TempoMarkTests {
    func metronome(_ bar: Int, _ perMinute: Int) -> PlacedTempoMark {
        PlacedTempoMark(bar: bar, mark: .metronome(quarterNotesPerMinute: perMinute))
    }

    /// A performance's rubato: every bar within 10 % of the opening tempo. One mark.
    @Test func rubatoBecomesOneMark() {
        let tempos = (0..<32).map { 100 + 8 * sin(Double($0) * .pi / 2) }
        #expect(TempoMarks.reduce(tempos) == [metronome(0, 100)])
    }

    /// Phrase-by-phrase swings of more than 10 %, each held two bars (as in a Chopin
    /// prelude played freely): the ebb and flow of phrases, not tempo changes. One mark.
    @Test func swingsHeldTwoBarsGetNoMark() {
        let phrase: [Double] = [76, 75, 77, 76, 86, 87, 76, 75, 66, 67]
        #expect(TempoMarks.reduce(Array(repeating: phrase, count: 3).flatMap { $0 } + [76, 76]) == [metronome(0, 76)])
        let threeBars: [Double] = [100, 100, 100, 100, 130, 130, 130, 100, 100, 100, 100]
        #expect(TempoMarks.reduce(threeBars) == [metronome(0, 100)])
    }

    /// A slow first bar (a held opening chord) does not set the piece's tempo: the
    /// opening mark is the first bars' median.
    @Test func theOpeningMarkIsTheFirstBarsMedian() {
        let tempos: [Double] = [116, 62, 64, 63, 63, 64, 62, 63]
        #expect(TempoMarks.reduce(tempos) == [metronome(0, 64)])
    }

    /// A new tempo held for bars: one new mark where it starts, at the bars' median.
    @Test func aLastingChangeGetsANewMark() {
        let tempos = Array(repeating: 100.0, count: 8) + [139, 141, 140, 140] + Array(repeating: 140.0, count: 4)
        #expect(TempoMarks.reduce(tempos) == [metronome(0, 100), metronome(8, 140)])
    }

    /// Slowing bar by bar for four bars without settling, then back: rit. and a tempo, no
    /// numbers; the same pressing on.
    @Test func aDriftIsWrittenAsWords() {
        let slowing: [Double] = [100, 100, 100, 100, 88, 76, 64, 52, 100, 100]
        #expect(
            TempoMarks.reduce(slowing) == [
                metronome(0, 100), PlacedTempoMark(bar: 4, mark: .ritardando), PlacedTempoMark(bar: 8, mark: .aTempo),
            ])
        let pressing: [Double] = [100, 100, 100, 100, 125, 150, 175, 200, 100]
        #expect(
            TempoMarks.reduce(pressing).dropFirst() == [
                PlacedTempoMark(bar: 4, mark: .accelerando), PlacedTempoMark(bar: 8, mark: .aTempo),
            ])
    }

    /// Slowing over two bars into a slower section: rit., then the new tempo's mark.
    @Test func aRitardandoIntoANewTempo() {
        let tempos: [Double] = [100, 100, 100, 100, 88, 78, 70, 70, 70, 70, 70, 70]
        #expect(
            TempoMarks.reduce(tempos) == [
                metronome(0, 100), PlacedTempoMark(bar: 4, mark: .ritardando), metronome(6, 70),
            ])
    }

    /// The last bars slowing down: the piece's final rit., though it lasts only two bars;
    /// one slow last bar (a fermata) gets nothing.
    @Test func theFinalRitardando() {
        let steady = Array(repeating: 100.0, count: 8)
        #expect(
            TempoMarks.reduce(steady + [85, 70]) == [metronome(0, 100), PlacedTempoMark(bar: 8, mark: .ritardando)])
        #expect(TempoMarks.reduce(steady + [70]) == [metronome(0, 100)])
    }

    /// One bar much slower (a breath at a phrase end), then the old tempo: no mark.
    @Test func aSingleSlowBarIsNoDrift() {
        #expect(TempoMarks.reduce([100, 100, 100, 70, 100, 100]).count == 1)
    }

    /// Bar tempos come from the tempo map: a bar at 120 bpm, then one at 60.
    @Test func barTemposFollowTheTempoMap() {
        let map = TempoMap(
            division: .ticksPerQuarterNote(480), tempos: [(0, 500_000), (1920, 1_000_000)])
        let tempos = TempoMarks.barTempos(map, bars: [(0, 4), (4, 8), (2, 6)])
        #expect(abs(tempos[0] - 120) < 1e-9)
        #expect(abs(tempos[1] - 60) < 1e-9)
        #expect(abs(tempos[2] - 80) < 1e-9)
    }
}

@Suite struct NoteValueTests {
    func types(_ values: [WrittenValue]) -> [String] {
        values.map { $0.type + String(repeating: ".", count: $0.dots) + ($0.isTriplet ? "3" : "") }
    }

    @Test func valuesStartWhereSuchValuesMayStart() {
        // A whole bar of 4/4; a dotted half from beat 2; half a beat then the rest of the bar.
        #expect(types(NoteValues.straightValues(from: 0, to: 1920, beat: 480, ticksPerQuarter: 480)) == ["whole"])
        #expect(types(NoteValues.straightValues(from: 480, to: 1920, beat: 480, ticksPerQuarter: 480)) == ["half."])
        #expect(
            types(NoteValues.straightValues(from: 240, to: 1920, beat: 480, ticksPerQuarter: 480))
                == ["eighth", "half."])
        #expect(
            types(NoteValues.straightValues(from: 60, to: 480, beat: 480, ticksPerQuarter: 480))
                == ["32nd", "eighth."])
        // A sixteenth into the bar, held to the half: a dotted eighth to the beat, then a quarter.
        #expect(
            types(NoteValues.straightValues(from: 120, to: 960, beat: 480, ticksPerQuarter: 480))
                == ["eighth.", "quarter"])
    }

    @Test func valuesAddUpToTheStretch() {
        for start in stride(from: 0, to: 1920, by: 60) {
            for end in stride(from: start + 60, through: 1920, by: 60) {
                let values = NoteValues.straightValues(from: start, to: end, beat: 480, ticksPerQuarter: 480)
                #expect(values.reduce(0) { $0 + $1.length } == end - start)
                #expect(values.first?.start == start)
            }
        }
    }

    /// Compound meters are counted in dotted quarters.
    @Test func sixEightBeatsAreDottedQuarters() {
        let sixEight = TimeSignature(numerator: 6, denominator: 8)
        #expect(NoteValues.beatTicks(sixEight, ticksPerQuarter: 480) == 720)
        #expect(types(NoteValues.straightValues(from: 720, to: 1440, beat: 720, ticksPerQuarter: 480)) == ["quarter."])
    }

    /// In a triplet bar, beats with a triplet boundary are triplets; whole beats are plain.
    @Test func tripletBeatsAndPlainBeats() {
        let beats = NoteValues.tripletBeats(boundaries: [0, 160, 480, 960, 1920], ticksPerQuarter: 480)
        #expect(beats == [0])
        #expect(
            types(NoteValues.tripletBarValues(from: 0, to: 160, tripletBeats: beats, ticksPerQuarter: 480))
                == ["eighth3"])
        #expect(
            types(NoteValues.tripletBarValues(from: 160, to: 960, tripletBeats: beats, ticksPerQuarter: 480))
                == ["quarter3", "quarter"])
        #expect(
            types(NoteValues.tripletBarValues(from: 960, to: 1920, tripletBeats: beats, ticksPerQuarter: 480))
                == ["half"])
    }
}

@Suite struct ScoreTitleTests {
    @Test func longTitlesWrapBetweenWords() {
        let title = "Das wohltemperierte Klavier I - Praeludium und Fuge 1 in C-Dur BWV 846"
        let lines = ScoreTitle.wrap(title, width: 42)
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.count <= 42 })
        #expect(lines.joined(separator: " ") == title)
        #expect(ScoreTitle.wrap("Short", width: 42) == ["Short"])
        #expect(ScoreTitle.wrap(String(repeating: "x", count: 50), width: 20).map(\.count) == [20, 20, 10])
    }

    @Test func theComposerComesFromATextEvent() {
        func file(_ texts: [String]) -> MIDIFile {
            var track = Track()
            track.appendMeta(tick: 0, type: MetaType.trackName.rawValue, payload: Array("Prelude".utf8))
            for text in texts { track.appendMeta(tick: 0, type: MetaType.text.rawValue, payload: Array(text.utf8)) }
            return MIDIFile(format: .multiTrack, division: .ticksPerQuarterNote(480), tracks: [track, Track()])
        }
        #expect(ScoreTitle.composer(of: file(["Andantino", "Isaac Albeniz", "Dauer: 1:36"])) == "Isaac Albeniz")
        #expect(ScoreTitle.composer(of: file(["Fertiggestellt am 29.10.97", "Composer: Satie"])) == "Satie")
        #expect(ScoreTitle.composer(of: file(["Ludwig van Beethoven"])) == "Ludwig van Beethoven")
        #expect(ScoreTitle.composer(of: file(["Andantino", "bdca426d104a26ac"])) == nil)
    }

    @Test func placeholderNamesGiveWayToTheFileName() {
        var conductor = Track()
        conductor.appendMeta(tick: 0, type: MetaType.trackName.rawValue, payload: Array("Track 1".utf8))
        var file = ScoreFixtures.dMajorPiano()
        file.tracks.insert(conductor, at: 0)
        #expect(ScoreTitle.title(of: file, path: "/music/night_train.mid") == "night train")
        file.tracks[0] = Track()
        file.tracks[0].appendMeta(tick: 0, type: MetaType.trackName.rawValue, payload: Array("Night Train".utf8))
        #expect(ScoreTitle.title(of: file, path: "/music/night_train.mid") == "Night Train")
        #expect(ScoreTitle.isPlaceholder("untitled"))
        #expect(ScoreTitle.isPlaceholder("Track_12"))
        #expect(!ScoreTitle.isPlaceholder("Track of the Cat"))
    }
}
