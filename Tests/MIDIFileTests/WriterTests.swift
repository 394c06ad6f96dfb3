import Foundation
import Testing
import Utilities

@testable import MIDIFile

@Suite struct WriterTests {
    /// Two tracks with a tempo, text, sysex, running-status-friendly notes and a pitch bend.
    func richFile() -> MIDIFile {
        var conductor = Track()
        conductor.appendMeta(tick: 0, type: MetaType.tempo.rawValue, payload: [0x07, 0xA1, 0x20])
        conductor.appendMeta(tick: 0, type: MetaType.timeSignature.rawValue, payload: [3, 2, 24, 8])
        conductor.appendMeta(tick: 0, type: MetaType.trackName.rawValue, payload: Array("Waltz".utf8))
        var piano = Track()
        piano.appendSysex(tick: 0, payload: [0x7E, 0x7F, 0x09, 0x01, 0xF7])
        piano.appendChannelEvent(tick: 0, status: 0xC0, data1: 0)
        for (index, pitch) in [60, 64, 67].enumerated() {
            piano.appendChannelEvent(tick: index * 96, status: 0x90, data1: UInt8(pitch), data2: 80)
            piano.appendChannelEvent(tick: index * 96 + 90, status: 0x90, data1: UInt8(pitch), data2: 0)
        }
        piano.appendChannelEvent(tick: 300, status: 0xE0, data1: 0x00, data2: 0x40)
        piano.endOfTrackTick = 384
        return MIDIFile(format: .multiTrack, division: .ticksPerQuarterNote(96), tracks: [conductor, piano])
    }

    @Test(arguments: [false, true])
    func writeThenReadGivesTheSameEvents(runningStatus: Bool) throws {
        let original = richFile()
        let bytes = MIDIWriter(useRunningStatus: runningStatus).encode(original).bytes
        let reread = try MIDIReader.read(bytes)
        #expect(reread.findings.isEmpty)
        #expect(reread.file == original)
    }

    @Test func runningStatusMakesTheFileSmaller() {
        let plain = MIDIWriter().encode(richFile()).bytes.count
        let compact = MIDIWriter(useRunningStatus: true).encode(richFile()).bytes.count
        #expect(compact == plain - 5)  // five note messages repeat the status of the one before
    }

    @Test func endOfTrackIsWrittenOnceAndLast() throws {
        var track = Track()
        track.appendChannelEvent(tick: 0, status: 0x90, data1: 60, data2: 100)
        track.appendMeta(tick: 10, type: MetaType.endOfTrack.rawValue, payload: [])
        track.appendChannelEvent(tick: 96, status: 0x80, data1: 60, data2: 0)
        let bytes = MIDIWriter().encode(MIDIFile(tracks: [track])).bytes
        #expect(bytes.suffix(3) == [0xFF, 0x2F, 0x00])
        let reread = try MIDIReader.read(bytes)
        #expect(reread.findings.isEmpty)
        #expect(reread.file.tracks[0].events.count == 2)
        #expect(reread.file.format == .singleTrack)
    }

    @Test func invalidMetaEventsAreLeftOutOfWhatIsWritten() throws {
        let damaged = singleTrackFile(
            hex(
                """
                00 FF 59 02 0A 00         # ten sharps
                00 FF 51 03 00 00 00      # tempo 0
                00 90 3C 64 60 80 3C 40
                00 FF 2F 00
                """))
        let read = try MIDIReader.read(damaged)
        #expect(read.findings.count == 2)
        let encoded = MIDIWriter().encode(read.file)
        #expect(encoded.omittedInvalidEvents == 2)
        let reread = try MIDIReader.read(encoded.bytes)
        #expect(reread.findings.isEmpty)
        #expect(reread.file.tracks[0].pairNotes().notes == read.file.tracks[0].pairNotes().notes)
    }

    @Test func eventsOutOfOrderAreWrittenInTickOrder() throws {
        var track = Track()
        track.appendChannelEvent(tick: 96, status: 0x80, data1: 60)
        track.appendChannelEvent(tick: 0, status: 0x90, data1: 60, data2: 100)
        let reread = try MIDIReader.read(MIDIWriter().encode(MIDIFile(tracks: [track])).bytes)
        #expect(reread.file.tracks[0].events.map(\.tick) == [0, 96])
        #expect(reread.file.tracks[0].pairNotes().notes.first?.duration == 96)
    }

    @Test func variableLengthQuantitiesAtTheirBoundaries() {
        for (value, expected) in [
            (0, [0x00]), (0x7F, [0x7F]), (0x80, [0x81, 0x00]), (0x3FFF, [0xFF, 0x7F]),
            (0x4000, [0x81, 0x80, 0x00]), (0x0FFF_FFFF, [0xFF, 0xFF, 0xFF, 0x7F]),
        ] {
            var out: [UInt8] = []
            appendVariableLength(value, to: &out)
            #expect(out == expected.map(UInt8.init), "value \(value)")
        }
    }

    @Test func atomicWriteLeavesOnlyTheFinishedFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tunesmith-writer-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("out.mid").path
        try MIDIWriter().write(richFile(), to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.mid"])
        #expect(try MIDIReader.read(contentsOf: path).file == richFile())
    }

    @Test func writingIntoAMissingFolderNamesTheFile() {
        let path = "/nonexistent-tunesmith-folder/out.mid"
        #expect(throws: UnwritableFileError.self) { try MIDIWriter().write(richFile(), to: path) }
        do {
            try MIDIWriter().write(richFile(), to: path)
        } catch {
            #expect("\(error)".hasPrefix(path))
        }
    }
}

@Suite struct WriterDeltaLimitTests {
    @Test func aGapLongerThanTheReadersLimitIsWrittenInStepsAndKeepsItsLength() throws {
        var track = Track()
        let gap = 3 * 96 * 2 * 3600 + 5  // three hours and five ticks at 96 ticks per quarter
        track.appendChannelEvent(tick: gap, status: 0x90, data1: 60, data2: 100)
        track.appendChannelEvent(tick: gap + 96, status: 0x80, data1: 60)
        let reread = try MIDIReader.read(
            MIDIWriter().encode(MIDIFile(division: .ticksPerQuarterNote(96), tracks: [track])).bytes)
        #expect(reread.findings.isEmpty)
        #expect(reread.file.tracks[0].pairNotes().notes.map(\.onset) == [gap])
        #expect(reread.file.tracks[0].events.filter(\.isMeta).count == 3)
    }
}
