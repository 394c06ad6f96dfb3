import MIDIFile
import Testing

/// Inputs that broke the round trip (found by Fuzz/MIDIFuzz, or by Benchmarks/verify-written
/// loading repaired copies in other libraries): read leniently, write with MIDIWriter, and the
/// copy must read back with no findings, the same timeline, and nothing strict readers refuse.
struct FuzzRegressionTests {
    private func roundTrip(_ bytes: [UInt8]) throws -> (original: ReadResult, copy: ReadResult) {
        let original = try MIDIReader.read(bytes)
        return (original, try MIDIReader.read(MIDIWriter().encode(original.file).bytes))
    }

    static let onlyChunkIsNotATrack = hex(
        """
        4D 54 68 64 00 00 00 06   # MThd, length 6
        00 00 00 01 00 78         # format 0, 1 track, 120 ticks per quarter note
        4D 58 72 6B 00 00 00 04   # 'MXrk' (a misspelt MTrk, as in drywetmidi's arkanoid_modified.mid), 4 bytes
        00 FF 2F 00               # end-of-track
        """)

    @Test("a file that recovers no track is written as a file that reads back clean")
    func fileWithoutTracksWritesClean() throws {
        let (original, copy) = try roundTrip(Self.onlyChunkIsNotATrack)
        #expect(original.file.tracks.isEmpty)
        #expect(copy.findings.isEmpty, "\(copy.findings.map(\.message))")
        #expect(copy.file.tracks.count == 1)
    }

    // Each delta is under the reader's one-hour limit (48 × 2 × 3600 = 345600 ticks), but
    // the writer leaves the invalid meta event out and joins both into one delta of 364321.
    static let omittedMetaJoinsTwoLongDeltas = hex(
        """
        4D 54 68 64 4F 70 43 68   # MThd with a length of 0x4F704368 (damaged)
        61 72 61 6C 00 30         # format 0x6172 (unknown), 0x616C tracks, 48 ticks per quarter note
        4D 54 72 6B 59 02 00 00   # MTrk whose length overruns the file
        8A 8D 60 FF 59 00         # delta 165600, key signature with no data bytes (invalid, kept raw)
        8C 90 41                  # delta 198721, then the file ends
        """)

    @Test("leaving out an invalid meta event never makes a delta time the reader calls absurd")
    func omittedMetaKeepsDeltasReadable() throws {
        let (original, copy) = try roundTrip(Self.omittedMetaJoinsTwoLongDeltas)
        #expect(original.file.tracks.count == 1)
        #expect(copy.findings.isEmpty, "\(copy.findings.map(\.message))")
        #expect(copy.file.tracks.first?.lastTick == original.file.tracks.first?.lastTick)
    }

    // Sysex recovered from damaged bytes can carry bytes over 127; mido (strict) and
    // pretty_midi refuse such a file ("data byte must be in range 0..127"), as they did
    // for the repaired copies of five drywetmidi "Unknown Channel Event" files.
    static let sysexWithHighDataByte = hex(
        """
        4D 54 68 64 00 00 00 06   # MThd, length 6
        00 00 00 01 00 60         # format 0, 1 track, 96 ticks per quarter note
        4D 54 72 6B 00 00 00 12   # MTrk, 18 bytes
        00 F0 03 43 F4 F7         # tick 0: sysex of 3 bytes, the second one 0xF4
        00 90 3C 64               # tick 0: note on C4
        60 80 3C 40               # tick 96: note off C4
        00 FF 2F 00               # end of track
        """)

    @Test("MIDIWriter writes no sysex data byte over 127, so strict readers load the copy")
    func writtenSysexDataIsSevenBit() throws {
        let (original, copy) = try roundTrip(Self.sysexWithHighDataByte)
        #expect(original.file.tracks.first?.pairNotes().notes.count == 1)
        #expect(copy.file.tracks.first?.pairNotes().notes == original.file.tracks.first?.pairNotes().notes)
        let track = try #require(copy.file.tracks.first)
        let highBytes = track.events.filter(\.isSysex).flatMap { event in
            let payload = track.payload(of: event)
            return payload.last == 0xF7 ? Array(payload.dropLast()) : Array(payload)
        }.filter { $0 > 0x7F }
        #expect(highBytes.isEmpty, "sysex data bytes over 127 in the written file: \(highBytes)")
        #expect(original.findings.map(\.kind) == [.sysexDataByteOutOfRange])
    }
}
