import Testing

@testable import MIDIFile

@Suite struct ChunkDefectTests {
    func kinds(_ result: ReadResult) -> [Finding.Kind] { result.findings.map(\.kind) }

    @Test func unknownChunkIsSkipped() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 01 00 01 00 60
            58 46 49 48 00 00 00 02 AB CD               # "XFIH", 2 bytes: a vendor chunk
            4D 54 72 6B 00 00 00 08 00 90 3C 64 00 FF 2F 00
            """)
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.unknownChunk])
        #expect(result.findings[0].offset == 14)
        #expect(result.findings[0].action == .skippedChunk)
        #expect(result.file.tracks.count == 1)
    }

    @Test func chunkLengthOverrunsIntoTheNextTrack() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 01 00 02 00 60
            4D 54 72 6B 00 00 00 40                     # claims 64 bytes, holds 12
            00 90 3C 64 60 80 3C 40 00 FF 2F 00
            4D 54 72 6B 00 00 00 0C                     # offset 42: second track, honest
            00 90 40 64 60 80 40 40 00 FF 2F 00
            """)
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.chunkLengthOverrun])
        #expect(result.findings[0].offset == 18)
        #expect(result.findings[0].action == .resynchronised)
        #expect(result.findings[0].track == 0)
        #expect(result.file.tracks.map { $0.pairNotes().notes.map(\.pitch) } == [[60], [64]])
    }

    @Test func chunkLengthOverrunEndingInsideTheNextTrack() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 01 00 02 00 60
            4D 54 72 6B 00 00 00 18                     # claims 24 bytes: ends inside track 2
            00 90 3C 64 60 80 3C 40 00 FF 2F 00
            4D 54 72 6B 00 00 00 0C
            00 90 40 64 60 80 40 40 00 FF 2F 00
            """)
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.chunkLengthOverrun])
        #expect(result.file.tracks.map { $0.pairNotes().notes.map(\.pitch) } == [[60], [64]])
    }

    @Test func chunkLengthUnderrunsTheTrackData() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 01 00 02 00 60
            4D 54 72 6B 00 00 00 04                     # claims 4 bytes, holds 12
            00 90 3C 64 60 80 3C 40 00 FF 2F 00
            4D 54 72 6B 00 00 00 0C
            00 90 40 64 60 80 40 40 00 FF 2F 00
            """)
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.chunkLengthUnderrun])
        #expect(result.file.tracks.map { $0.pairNotes().notes.map(\.pitch) } == [[60], [64]])
    }

    @Test func lengthPastTheEndOfALastTrackThatEndsProperly() throws {
        var bytes = validSingleNote
        bytes[21] = 0x7F  // 127 bytes claimed, the file ends after 12
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.chunkLengthOverrun])
        #expect(result.file.tracks[0].pairNotes().notes.count == 1)
    }

    @Test func truncatedFileKeepsWhatParsed() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 01 00 01 00 60
            4D 54 72 6B 00 00 00 20                     # claims 32 bytes
            00 90 3C 64 60 80 3C 40                     # a whole note
            00 90 40                                    # cut off inside the next message
            """)
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result).contains(.truncatedFile))
        #expect(kinds(result).contains(.missingEndOfTrack))
        #expect(result.file.tracks[0].pairNotes().notes.map(\.pitch) == [60])
    }

    @Test func missingEndOfTrack() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 01 00 01 00 60
            4D 54 72 6B 00 00 00 08 00 90 3C 64 60 80 3C 40   # no FF 2F 00
            """)
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.missingEndOfTrack])
        #expect(result.findings[0].action == .insertedEndOfTrack)
        #expect(result.file.tracks[0].endOfTrackTick == 96)
    }

    @Test func eventsAfterEndOfTrackAreDropped() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 01 00 01 00 60
            4D 54 72 6B 00 00 00 10
            00 90 3C 64 60 80 3C 40 00 FF 2F 00
            00 90 40 64                                 # offset 34: after end-of-track
            """)
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.eventsAfterEndOfTrack])
        #expect(result.findings[0].offset == 34)
        #expect(result.file.tracks[0].events.count == 2)
    }

    @Test func zeroPaddingCountedInTheChunkLengthIsNoted() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 01 00 01 00 60
            4D 54 72 6B 00 00 00 0D
            00 90 3C 64 60 80 3C 40 00 FF 2F 00 00      # one zero byte after end-of-track
            """)
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.trailingBytes])
        #expect(result.findings[0].action == .ignored)
    }

    @Test func garbageBetweenTracksIsSkippedToTheNextTrack() throws {
        let bytes =
            validSingleNote
            + hex(
                """
                12 34 56 78 9A                              # five stray bytes at offset 34
                """) + hex("4D 54 72 6B 00 00 00 04 00 FF 2F 00")
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.trailingBytes, .trackCountMismatch])
        #expect(result.findings[0].offset == 34)
        #expect(result.file.tracks.count == 2)
    }

    @Test func hostileLengthsAllocateNothingLarge() throws {
        let bytes = hex(
            """
            4D 54 68 64 FF FF FF FF 00 01 FF FF 00 60   # header length and track count absurd
            4D 54 72 6B FF FF FF FF                     # track claims 4 GiB
            00 F0 FF FF FF 7F 01 02                     # sysex claims 256 MiB
            """)
        let result = try MIDIReader.read(bytes)
        let track = result.file.tracks[0]
        #expect(track.payloadBytes.count == 2)
        #expect(track.events.capacity < 64)
        #expect(result.findings.contains { $0.kind == .truncatedEvent || $0.kind == .truncatedFile })
    }

    /// A text-mode transfer put 0D before every 0A: both chunks outgrow their lengths.
    @Test func textModeTransferIsUndone() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 01 00 02 00 60
            4D 54 72 6B 00 00 00 0C                     # 12 bytes written, 14 after the transfer
            00 90 3C 0D 0A                              # velocity 10 (0A) got a 0D before it
            0D 0A 80 3C 40                              # so did delta time 10
            00 FF 2F 00
            4D 54 72 6B 00 00 00 0C
            00 90 40 64 60 80 40 40 00 FF 2F 00
            """)
        let result = try MIDIReader.read(bytes)
        #expect(kinds(result) == [.textModeTransfer])
        #expect(result.findings[0].offset == 25)
        #expect(result.findings[0].action == .removedBytes)
        #expect(result.findings[0].message.hasPrefix("2 CR bytes"))
        let notes = result.file.tracks.map { $0.pairNotes().notes }
        #expect(notes.map { $0.map(\.pitch) } == [[60], [64]])
        #expect(notes[0][0].velocity == 10 && notes[0][0].duration == 10)
    }

    /// A lone LF cannot come from a text-mode transfer: the file is read as it is.
    @Test func loneLineFeedIsNotTakenForATextModeTransfer() throws {
        let bytes = hex(
            """
            4D 54 68 64 00 00 00 06 00 01 00 02 00 60
            4D 54 72 6B 00 00 00 0C
            00 90 3C 0D 0A                              # 0D 0A, as above
            0A 80 3C 40                                 # but this 0A stands alone
            00 FF 2F 00
            4D 54 72 6B 00 00 00 0C
            00 90 40 64 60 80 40 40 00 FF 2F 00
            """)
        let result = try MIDIReader.read(bytes)
        #expect(!kinds(result).contains(.textModeTransfer))
    }
}
