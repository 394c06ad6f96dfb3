import Foundation
import MIDIFile
import Testing

@testable import MusicTheory

@Suite struct TrackCleanupTests {
    /// Conductor track (tempo, 3/4, key of D), a named track with no notes, a piano track
    /// with one exact duplicate and one zero-length note, and a bass track.
    func scrapedFile() -> MIDIFile {
        var conductor = TrackBuilder()
        conductor.tempo(bpm: 90, at: 0)
        conductor.timeSignature(3, 4, at: 0)
        conductor.track.appendMeta(tick: 0, type: MetaType.keySignature.rawValue, payload: [2, 0])
        var empty = TrackBuilder()
        empty.track.appendMeta(tick: 0, type: MetaType.trackName.rawValue, payload: Array("Strings (unused)".utf8))
        empty.track.appendChannelEvent(tick: 0, status: 0xC1, data1: 33)  // bass channel's program
        var piano = TrackBuilder()
        piano.note(62, at: 0, length: 480)
        piano.note(62, at: 0, length: 480)  // exact duplicate
        piano.note(66, at: 480, length: 0)  // zero length
        piano.note(69, at: 480, length: 960)
        piano.note(69, at: 720, length: 960)  // overlaps the A above: first in, first out
        var bass = TrackBuilder()
        bass.note(38, at: 0, length: 1440, channel: 1)
        return MIDIFile(
            format: .multiTrack, division: .ticksPerQuarterNote(480),
            tracks: [conductor.sorted, empty.sorted, piano.sorted, bass.sorted])
    }

    @Test func dropsEmptyTracksKeepingTheirTempoMeterAndKey() throws {
        let original = scrapedFile()
        let cleaned = TrackCleanup.clean(original)
        #expect(cleaned.file.tracks.count == 2)
        let first = cleaned.file.tracks[0]
        #expect(first.events.contains { first.tempo(of: $0) == 60_000_000 / 90 })
        #expect(first.events.contains { first.timeSignature(of: $0) == TimeSignature(numerator: 3, denominator: 4) })
        #expect(first.events.contains { first.keySignature(of: $0) == KeySignature(sharps: 2, isMinor: false) })
        #expect(first.events.contains { $0.status == 0xC1 && $0.data1 == 33 })
        #expect(TempoMap(cleaned.file).changes.first?.microsecondsPerQuarter == 60_000_000 / 90)
        #expect(Meter(cleaned.file).measures.count == Meter(original).measures.count)
        let kinds = cleaned.changes.map(\.kind)
        #expect(kinds.filter { $0 == .droppedEmptyTrack }.count == 2)
        #expect(kinds.contains(.movedConductorEvents))
        #expect(cleaned.changes.first { $0.kind == .droppedDuplicateNote }?.count == 1)
        #expect(cleaned.changes.first { $0.kind == .droppedZeroLengthNote }?.count == 1)
        #expect(cleaned.changes.allSatisfy { !$0.message.isEmpty })
    }

    @Test func aCleanedFileWrittenAndReadBackKeepsEveryNote() throws {
        let original = scrapedFile()
        let kept = original.tracks.flatMap { $0.pairNotes().notes }.filter { $0.duration > 0 }
        let expected = Set(kept)  // the duplicate collapses into one
        let cleaned = TrackCleanup.clean(original)
        let bytes = MIDIWriter().encode(cleaned.file).bytes
        let reread = try MIDIReader.read(bytes)
        #expect(reread.findings.isEmpty)
        let notes = reread.file.tracks.flatMap { $0.pairNotes().notes }
        #expect(notes.count == expected.count)
        #expect(Set(notes) == expected)
        #expect(notes.contains { $0.pitch == 69 && $0.onset == 480 && $0.duration == 960 })
        #expect(notes.contains { $0.pitch == 69 && $0.onset == 720 && $0.duration == 960 })
    }

    @Test func aFileWithoutNotesKeepsOneConductorTrack() {
        var conductor = TrackBuilder()
        conductor.tempo(bpm: 100, at: 0)
        let cleaned = TrackCleanup.clean(MIDIFile(tracks: [conductor.sorted, Track()]))
        #expect(cleaned.file.tracks.count == 1)
        #expect(cleaned.file.tracks[0].events.count == 1)
    }
}
