import Testing

@testable import MIDIFile

/// One track around the given event bytes, with the chunk length counted for them.
func singleTrackFile(_ events: [UInt8], division: UInt16 = 96) -> [UInt8] {
    let header = hex("4D 54 68 64 00 00 00 06 00 00 00 01") + [UInt8(division >> 8), UInt8(division & 0xFF)]
    let length = events.count
    return header + hex("4D 54 72 6B") + [0, 0, UInt8(length >> 8), UInt8(length & 0xFF)] + events
}

@Suite struct EventDefectTests {
    func kinds(_ result: ReadResult) -> [Finding.Kind] { result.findings.map(\.kind) }

    @Test func runningStatusWithNoPriorStatusSkipsToTheNextStatus() throws {
        let bytes = singleTrackFile(
            hex(
                """
                00 3C 64                  # offset 23: data bytes with no status before them
                90 40 64                  # a status byte: read as a note on at delta 0
                60 80 40 40
                00 FF 2F 00
                """))
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.runningStatusWithoutStatus])
        #expect(result.findings[0].offset == 23)
        #expect(result.findings[0].action == .droppedEvent)
        #expect(result.file.tracks[0].pairNotes().notes.map(\.pitch) == [64])
    }

    @Test func runningStatusAcrossAMetaEventUsesTheLastChannelStatus() throws {
        let bytes = singleTrackFile(
            hex(
                """
                00 90 3C 64
                00 FF 01 01 41            # a text event: cancels running status in the spec
                00 40 64                  # offset 32 (after the delta): running status after the meta event
                60 80 3C 40 00 80 40 40
                00 FF 2F 00
                """))
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.runningStatusAfterMetaOrSysex])
        #expect(result.findings[0].offset == 32)
        #expect(result.file.tracks[0].pairNotes().notes.map(\.pitch) == [60, 64])
    }

    @Test func dataByteOver127IsClippedByDefault() throws {
        let bytes = singleTrackFile(
            hex(
                """
                00 90 3C D0               # velocity 208
                60 80 3C 40
                00 FF 2F 00
                """))
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.dataByteOutOfRange])
        #expect(result.findings[0].action == .clipped)
        #expect(result.file.tracks[0].pairNotes().notes.first?.velocity == 127)
    }

    @Test func dataByteOver127DropsTheMessageWhenAsked() throws {
        let bytes = singleTrackFile(hex("00 90 3C D0 60 80 3C 40 00 FF 2F 00"))
        let result = try MIDIReader.read(bytes, options: ReadOptions(outOfRangeDataBytes: .drop))
        #expect(result.findings.map(\.action) == [.droppedEvent])
        #expect(result.file.tracks[0].events.map(\.status) == [0x80])
    }

    @Test func repeatedDefectsFoldIntoOneFindingWithACount() throws {
        let bytes = singleTrackFile(
            hex(
                """
                00 90 3C D0 00 90 3E D0 00 90 40 D0      # three velocities over 127
                00 FF 2F 00
                """))
        let result = try MIDIReader.read(bytes)
        #expect(result.findings.count == 1)
        #expect(result.findings[0].occurrences == 3)
        #expect(result.findings[0].offset == 22)
    }

    @Test func undefinedStatusBytesAreDropped() throws {
        let bytes = singleTrackFile(
            hex(
                """
                00 F4                     # offset 23: undefined
                00 90 3C 64 60 80 3C 40
                00 FF 2F 00
                """))
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.undefinedStatus])
        #expect(result.findings[0].offset == 23)
        #expect(result.file.tracks[0].pairNotes().notes.count == 1)
    }

    @Test func systemRealTimeMessagesInAFileAreDropped() throws {
        let bytes = singleTrackFile(
            hex(
                """
                00 F8                     # timing clock
                00 F2 10 20               # song position pointer, two data bytes
                00 90 3C 64 60 80 3C 40
                00 FF 2F 00
                """))
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.systemMessageInFile])
        #expect(result.findings[0].occurrences == 2)
        #expect(result.file.tracks[0].events.count == 2)
    }

    @Test func variableLengthQuantityLongerThanFourBytes() throws {
        let bytes = singleTrackFile(
            hex(
                """
                80 80 80 80 00 90 3C 64   # five-byte delta of zero
                60 80 3C 40 00 FF 2F 00
                """))
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.overlongVariableLength])
        #expect(result.file.tracks[0].events.map(\.tick) == [0, 96])
    }

    @Test func absurdDeltaTimeIsClipped() throws {
        let bytes = singleTrackFile(
            hex(
                """
                00 90 3C 64
                FF FF FF 7F 80 3C 40      # 268,435,455 ticks: about 1,400 hours at 96 tpq
                00 FF 2F 00
                """))
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.absurdDeltaTime])
        #expect(result.findings[0].offset == 26)
        #expect(result.file.tracks[0].lastTick == 0)
    }
}

@Suite struct MetaDefectTests {
    func read(_ meta: String) throws -> ReadResult {
        try MIDIReader.read(singleTrackFile(hex(meta) + hex("00 FF 2F 00")))
    }

    @Test func keySignatureWithTenSharps() throws {
        let result = try read("00 FF 59 02 0A 00")
        #expect(result.findings.map(\.kind) == [.invalidKeySignature])
        #expect(result.findings[0].action == .keptRaw)
        let track = result.file.tracks[0]
        #expect(track.events.count == 1)
        #expect(track.keySignature(of: track.events[0]) == nil)
    }

    @Test func keySignatureWithModeTwo() throws {
        let result = try read("00 FF 59 02 FE 02")
        #expect(result.findings.map(\.kind) == [.invalidKeySignature])
    }

    @Test func validKeySignatureDecodes() throws {
        let result = try read("00 FF 59 02 FD 01")  // three flats, minor
        #expect(result.findings.isEmpty)
        let track = result.file.tracks[0]
        #expect(track.keySignature(of: track.events[0])?.name == "C minor")
    }

    @Test func smpteOffsetFramesOutOfRange() throws {
        let result = try read("00 FF 54 05 01 00 00 28 00")  // frame 40 at 24 fps
        #expect(result.findings.map(\.kind) == [.invalidSMPTEOffset])
    }

    @Test func tempoOfZero() throws {
        let result = try read("00 FF 51 03 00 00 00")
        #expect(result.findings.map(\.kind) == [.invalidTempo])
        #expect(TempoMap(result.file).changes.map(\.microsecondsPerQuarter) == [500_000])
    }

    @Test func shortTimeSignaturePayload() throws {
        let result = try read("00 FF 58 02 04 02")
        #expect(result.findings.map(\.kind) == [.badMetaLength])
        #expect(result.findings[0].message.contains("expected 4"))
    }

    @Test func metaLengthPastTheTrackIsCutOff() throws {
        let result = try read("00 FF 01 40 41 42")  // text claims 64 bytes
        #expect(result.findings.map(\.kind).contains(.truncatedEvent))
    }
}
