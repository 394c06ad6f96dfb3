import Testing

@testable import MIDIFile

@Suite struct ValidFileTests {
    @Test func readsEventsTicksAndDivision() throws {
        let result = try MIDIReader.read(validSingleNote)
        #expect(result.findings.isEmpty)
        #expect(result.file.format == .multiTrack)
        #expect(result.file.division == .ticksPerQuarterNote(96))
        let events = result.file.tracks[0].events
        #expect(events.map(\.tick) == [0, 96])
        #expect(events.map(\.status) == [0x90, 0x80])
        #expect(result.file.tracks[0].endOfTrackTick == 96)
    }

    @Test func pairsNotesAndConvertsToSeconds() throws {
        let file = try MIDIReader.read(validSingleNote).file
        let notes = file.tracks[0].pairNotes().notes
        #expect(notes == [Note(channel: 0, pitch: 60, velocity: 100, onset: 0, duration: 96)])
        // No tempo event: 120 bpm, so one quarter note lasts half a second.
        #expect(abs(file.durationSeconds - 0.5) < 1e-9)
    }

    @Test func runningStatusContinuesTheLastChannelStatus() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 00 00 01 00 60   # MThd: format 0, 1 track, 96 tpq
            4D 54 72 6B 00 00 00 0E                     # MTrk, 14 bytes
            00 90 3C 64                                 # note on C4
            00 40 64                                    # running status: note on E4
            60 3C 00                                    # running status, velocity 0: C4 off
            00 FF 2F 00                                 # end of track
            """)
        let result = try MIDIReader.read(bytes)
        #expect(result.findings.isEmpty)
        #expect(result.file.tracks[0].events.map(\.data1) == [60, 64, 60])
        let notes = result.file.tracks[0].pairNotes()
        #expect(notes.notes.map(\.pitch) == [60, 64])
        #expect(notes.notes[0].duration == 96)
        #expect(notes.closedAtTrackEnd == 1)
    }

    @Test func sysexAndEscapesKeepTheirBytes() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 00 00 01 00 60   # MThd
            4D 54 72 6B 00 00 00 11                     # MTrk, 17 bytes
            00 F0 05 7E 7F 09 01 F7                     # GM system on, terminated by F7
            00 F7 02 F3 01                              # escape: raw song select
            00 FF 2F 00                                 # end of track
            """)
        let result = try MIDIReader.read(bytes)
        #expect(result.findings.isEmpty)
        let track = result.file.tracks[0]
        #expect(track.events.map(\.status) == [0xF0, 0xF7])
        #expect(Array(track.payload(of: track.events[0])) == [0x7E, 0x7F, 0x09, 0x01, 0xF7])
        #expect(Array(track.payload(of: track.events[1])) == [0xF3, 0x01])
    }

    @Test func tempoOnASecondTrackGovernsEveryTrack() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 01 00 02 00 60   # MThd: format 1, 2 tracks, 96 tpq
            4D 54 72 6B 00 00 00 0D                     # track 0: notes only, 13 bytes
            00 90 3C 64 83 00 80 3C 40 00 FF 2F 00      # C4 from tick 0 to 384 (4 beats)
            4D 54 72 6B 00 00 00 0C                     # track 1: tempo only, 12 bytes
            81 40 FF 51 03 0F 42 40                     # tick 192: 60 bpm (1,000,000 µs per quarter)
            00 FF 2F 00
            """)
        let file = try MIDIReader.read(bytes).file
        let map = TempoMap(file)
        // Two beats at 120 bpm, then two at 60 bpm.
        #expect(abs(map.seconds(atTick: 384) - 3.0) < 1e-9)
        #expect(abs(map.seconds(atTick: 192) - 1.0) < 1e-9)
        #expect(map.beats(atTick: 384) == 4)
    }

    @Test func smpteDivisionCountsTicksInFrames() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 00 00 01
            E7 28                                       # SMPTE: −25 fps, 40 ticks per frame = 1000 ticks/s
            4D 54 72 6B 00 00 00 0D
            00 90 3C 64 87 68 80 3C 40 00 FF 2F 00      # note off at tick 1000
            """)
        let file = try MIDIReader.read(bytes).file
        #expect(file.division == .smpte(framesPerSecond: 25, ticksPerFrame: 40))
        #expect(abs(file.durationSeconds - 1.0) < 1e-9)
        #expect(abs(TempoMap(file).beats(atTick: 1000) - 2.0) < 1e-9)
    }
}
