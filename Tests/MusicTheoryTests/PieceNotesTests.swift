import MIDIFile
import Testing

@testable import MusicTheory

@Suite struct PieceNotesTests {
    @Test func notesCarryTrackChannelProgramAndTimes() throws {
        var conductor = TrackBuilder()
        conductor.tempo(bpm: 60, at: 480)  // 120 bpm for the first beat, then 60
        var strings = TrackBuilder()
        strings.track.appendChannelEvent(tick: 0, status: 0xC2, data1: 48)
        strings.note(60, at: 0, length: 960, channel: 2)
        strings.track.appendChannelEvent(tick: 960, status: 0xC2, data1: 40)
        strings.note(64, at: 960, length: 480, channel: 2)
        var drums = TrackBuilder()
        drums.note(36, at: 0, length: 120, channel: 9)
        let file = MIDIFile(
            format: .multiTrack, division: .ticksPerQuarterNote(480),
            tracks: [conductor.sorted, strings.sorted, drums.sorted])
        let notes = PieceNotes(file).notes
        #expect(notes.count == 3)
        let first = try #require(notes.first { $0.pitch == 60 })
        #expect(first.track == 1 && first.channel == 2 && first.program == 48 && !first.isDrum)
        #expect(first.durationBeats == 2)
        #expect(abs(first.durationSeconds - 1.5) < 1e-9)  // half a second, then one second
        let second = try #require(notes.first { $0.pitch == 64 })
        #expect(second.program == 40)
        #expect(abs(second.onsetSeconds - 1.5) < 1e-9)
        #expect(try #require(notes.first { $0.pitch == 36 }).isDrum)
    }

    @Test func velocityZeroEndsANoteAndOpenNotesCloseAtTrackEnd() {
        var track = Track()
        track.appendChannelEvent(tick: 0, status: 0x90, data1: 60, data2: 90)
        track.appendChannelEvent(tick: 240, status: 0x90, data1: 60, data2: 0)
        track.appendChannelEvent(tick: 480, status: 0x90, data1: 67, data2: 90)
        track.endOfTrackTick = 1920
        let notes = PieceNotes(MIDIFile(tracks: [track]))
        #expect(notes.notes.map(\.durationTicks) == [240, 1440])
        #expect(notes.closedAtTrackEnd == [1])
    }

    /// Re-struck key without its off: on 0, on 480, off 960, off 1920.
    @Test func pairingPoliciesForReStruckKeys() {
        var track = Track()
        track.appendChannelEvent(tick: 0, status: 0x90, data1: 60, data2: 90)
        track.appendChannelEvent(tick: 480, status: 0x90, data1: 60, data2: 90)
        track.appendChannelEvent(tick: 960, status: 0x80, data1: 60)
        track.appendChannelEvent(tick: 1920, status: 0x80, data1: 60)
        let fifo = NotePairing.firstInFirstOut.pair(track)
        #expect(fifo.notes.map(\.duration) == [960, 1440])
        let endsAll = NotePairing.offEndsAll.pair(track)
        #expect(endsAll.notes.map(\.duration) == [960, 480])
        #expect(endsAll.unmatchedNoteOffs == 1)
    }
}

@Suite struct DurationGridTests {
    @Test func music21GridSnapsToSixteenthsOrTriplets() {
        let grid = DurationGrid.music21
        #expect(grid.snap(beats: 1) == 1)
        #expect(grid.snap(beats: 0.49) == 0.5)
        #expect(abs(grid.snap(beats: 0.34) - 1.0 / 3) < 1e-12)
        #expect(grid.snap(beats: 0.01) == 0.25)  // a sounding note never becomes 0
        #expect(grid.snap(beats: 0) == 0.25)
        #expect(DurationGrid.none.snap(beats: 0.37) == 0.37)
    }
}

@Suite struct AnalysisReadingTests {
    /// E4 struck at 0 and never released, then struck eight times for a sixteenth each
    /// beat: pairing first-in first-out would hold every later E until the next one's
    /// off (1¼ beats each, the last closed at the track's end) and make E weigh three times
    /// as much.
    @Test func aMissingNoteOffStretchesOneNoteNotEveryLaterOne() {
        var builder = TrackBuilder()
        builder.track.appendChannelEvent(tick: 0, status: 0x90, data1: 64, data2: 80)
        for beat in 1...8 { builder.note(64, at: beat * 480, length: 120) }
        let file = MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(480), tracks: [builder.sorted])

        let heard = Analyzer.analyze(file, file: "stuck", options: AnalysisOptions())
        #expect(heard.histograms.pitchClass[4] == 1.25 + 8 * 0.25)
        let asWritten = Analyzer.analyze(
            file, file: "stuck", options: AnalysisOptions(pairing: .firstInFirstOut, durationGrid: .none))
        #expect(asWritten.histograms.pitchClass[4] == 8 * 1.25 + 0.25)
    }
}
