import Testing

@testable import MIDIFile

/// Fixtures named after the failure they reproduce, one per header-level defect.
@Suite struct HeaderDefectTests {
    func kinds(_ result: ReadResult) -> [Finding.Kind] { result.findings.map(\.kind) }

    @Test func junkBeforeMThd() throws {
        let junk = hex(
            """
            3C 68 74 6D 6C 3E 0A      # "<html>\\n" left by a scraper
            """)
        let result = try MIDIReader.read(junk + validSingleNote)
        #expect(kinds(result) == [.junkBeforeHeader])
        #expect(result.findings[0].offset == 0)
        #expect(result.findings[0].message.contains("7 bytes"))
        #expect(result.file.tracks[0].pairNotes().notes.count == 1)
    }

    @Test func riffRMIDWrapper() throws {
        let riff =
            hex(
                """
                52 49 46 46 2A 00 00 00   # RIFF, 42 bytes follow
                52 4D 49 44               # form RMID
                64 61 74 61 22 00 00 00   # data chunk, 34 bytes (the SMF)
                """) + validSingleNote
        let result = try MIDIReader.read(riff)
        #expect(kinds(result) == [.riffWrapper])
        #expect(result.file.tracks[0].events.count == 2)
    }

    @Test func riffWithoutRMIDDataChunkIsNotMIDI() {
        let riff = hex(
            """
            52 49 46 46 0C 00 00 00 52 4D 49 44   # RIFF RMID
            49 4E 46 4F 00 00 00 00               # an empty INFO chunk, no data chunk
            """)
        #expect(throws: NotMIDIError(found: "RIFF file without an RMID data chunk")) { try MIDIReader.read(riff) }
    }

    @Test func headerLengthOfEightWithTwoExtraBytes() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 08   # MThd claims 8 bytes
            00 00 00 01 00 60 00 00   # the 6 fields, then 2 extra bytes
            4D 54 72 6B 00 00 00 04 00 FF 2F 00
            """)
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.badHeaderLength])
        #expect(result.findings[0].offset == 4)
        #expect(result.file.tracks.count == 1)
    }

    @Test func headerLengthLiesAndTrackFollowsAtFourteen() throws {
        var bytes = validSingleNote
        bytes[7] = 0x40  // header length 64: points into the track
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.badHeaderLength])
        #expect(result.findings[0].action == .resynchronised)
        #expect(result.file.tracks[0].pairNotes().notes.count == 1)
    }

    @Test func unknownFormatThree() throws {
        var bytes = validSingleNote
        bytes[9] = 3
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.unknownFormat])
        #expect(result.findings[0].offset == 8)
        #expect(result.file.format == .multiTrack)
    }

    @Test func headerTrackCountDisagreesWithChunks() throws {
        var bytes = validSingleNote
        bytes[11] = 32  // header says 32 tracks, the file holds 1
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.trackCountMismatch])
        #expect(result.findings[0].message.contains("32"))
        #expect(result.file.tracks.count == 1)
    }

    @Test func zeroTracks() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 01 00 00 00 60   # format 1, no tracks, and none follow
            """)
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.noTracks])
        #expect(result.file.tracks.isEmpty)
    }

    @Test func formatZeroWithTwoTracksIsReadAsFormatOne() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 00 00 02 00 60
            4D 54 72 6B 00 00 00 04 00 FF 2F 00
            4D 54 72 6B 00 00 00 04 00 FF 2F 00
            """)
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.formatZeroWithSeveralTracks])
        #expect(result.file.format == .multiTrack)
        #expect(result.file.tracks.count == 2)
    }

    @Test func zeroTimeDivisionAssumesADefault() throws {
        var bytes = validSingleNote
        bytes[13] = 0
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.invalidDivision])
        #expect(result.file.division == .ticksPerQuarterNote(480))
    }
}

@Suite struct NotMIDITests {
    func found(_ bytes: [UInt8]) -> String? {
        do {
            _ = try MIDIReader.read(bytes)
            return nil
        } catch {
            return error.found
        }
    }

    @Test func emptyFile() { #expect(found([]) == "an empty file") }

    @Test func htmlPage() {
        let page = Array("<!DOCTYPE html>\n<html><head><title>404</title></head></html>".utf8)
        #expect(found(page)?.contains("an HTML page") == true)
    }

    @Test func frontPageMetadata() {
        let metadata = Array("vti_encoding:SR|utf8-nl\nvti_timelastmodified:TR|01 Jan 2001".utf8)
        #expect(found(metadata)?.contains("FrontPage") == true)
    }

    @Test func waveFile() {
        let wave = hex("52 49 46 46 24 00 00 00 57 41 56 45 66 6D 74 20")  // RIFF....WAVEfmt
        #expect(found(wave) == "a WAV audio file (RIFF WAVE)")
    }

    @Test func binaryNoise() {
        let noise: [UInt8] = (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 0x80) }
        #expect(found(noise)?.contains("binary data") == true)
    }

    @Test func errorNamesTheFileAndWhatToDo() {
        let error = NotMIDIError(file: "songs/a.mid", found: "an empty file")
        #expect(error.description.hasPrefix("songs/a.mid: no MIDI data: found an empty file"))
        #expect(error.description.contains("MThd"))
    }
}
