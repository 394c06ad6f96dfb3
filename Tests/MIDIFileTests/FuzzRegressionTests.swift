import MIDIFile
import Testing

/// Inputs the round-trip fuzzer (Fuzz/MIDIFuzz) broke: read leniently, write with
/// MIDIWriter, and the copy must read back with no findings and the same timeline.
struct FuzzRegressionTests {
    private func roundTrip(_ bytes: [UInt8]) throws -> (original: ReadResult, copy: ReadResult) {
        let original = try MIDIReader.read(bytes)
        return (original, try MIDIReader.read(MIDIWriter().encode(original.file).bytes))
    }

    static let onlyChunkIsNotATrack = hex("""
        4D 54 68 64 00 00 00 06   # MThd, length 6
        00 00 00 01 00 78         # format 0, 1 track, 120 ticks per quarter note
        4D 58 72 6B 00 00 00 04   # 'MXrk' (a misspelt MTrk, as in drywetmidi's arkanoid_modified.mid), 4 bytes
        00 FF 2F 00               # end-of-track
        """)

    @Test("a file that recovers no track is written as a file that reads back clean")
    func fileWithoutTracksWritesClean() throws {
        let (original, copy) = try roundTrip(Self.onlyChunkIsNotATrack)
        #expect(original.file.tracks.isEmpty)
        withKnownIssue("MIDIWriter writes a header with 0 tracks, which the SMF spec does not allow (format 0 has one track, format 1 one or more); it reads back as noTracks") {
            #expect(copy.findings.isEmpty, "\(copy.findings.map(\.message))")
        }
    }

    // Each delta is under the reader's one-hour limit (48 × 2 × 3600 = 345600 ticks), but
    // the writer leaves the invalid meta event out and joins both into one delta of 364321.
    static let omittedMetaJoinsTwoLongDeltas = hex("""
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
        withKnownIssue("MIDIWriter joins the deltas around an omitted event into one the reader rejects as absurd and sets to 0") {
            #expect(copy.findings.isEmpty, "\(copy.findings.map(\.message))")
            #expect(copy.file.tracks.first?.lastTick == original.file.tracks.first?.lastTick)
        }
    }
}
