import Foundation
import MIDIFile
import MusicTheory
import Testing

@testable import Score

@Suite struct PreparationTests {
    let key = KeySignature(sharps: 2, isMinor: false)

    @Test func aOneTrackPianoBecomesTwoStavesBelowAConductorTrack() throws {
        let prepared = ScorePreparation.prepare(ScoreFixtures.dMajorPiano(), title: "Scale in D", keySignature: key)
        #expect(prepared.file.tracks.count == 3)
        #expect(prepared.staves.count == 2)
        let hands = prepared.file.tracks.dropFirst().map { $0.pairNotes().notes }
        #expect(hands[0].allSatisfy { $0.pitch >= 60 })
        #expect(hands[1].allSatisfy { $0.pitch < 60 })
        #expect(hands[0].count == 64)
        #expect(hands[1].count == 8)
    }

    @Test func notesLandOnTheDetectedGridAtTheNewResolution() throws {
        let prepared = ScorePreparation.prepare(ScoreFixtures.dMajorPiano(), title: "Scale in D", keySignature: key)
        #expect(prepared.grid == .sixteenths)
        #expect(prepared.file.division == .ticksPerQuarterNote(480))
        // Re-read from bytes, as MuseScore will see it.
        let reread = try MIDIReader.read(MIDIWriter().encode(prepared.file).bytes)
        #expect(reread.findings.isEmpty)
        let notes = reread.file.tracks.flatMap { $0.pairNotes().notes }
        #expect(notes.allSatisfy { $0.onset % 120 == 0 && $0.duration % 120 == 0 && $0.duration > 0 })
        // The right hand plays eighths: 240 ticks at 480 per quarter, struck every 240.
        let rightHand = reread.file.tracks[1].pairNotes().notes.sorted { $0.onset < $1.onset }
        #expect(rightHand.map(\.onset) == (0..<64).map { $0 * 240 })
    }

    @Test func keySignatureTitleAndMeterAreWritten() throws {
        let prepared = ScorePreparation.prepare(ScoreFixtures.dMajorPiano(), title: "Scale in D", keySignature: key)
        let tracks = prepared.file.tracks
        let conductor = tracks[0]
        #expect(conductor.name == "Scale in D")
        #expect(
            conductor.events.contains { conductor.timeSignature(of: $0) == TimeSignature(numerator: 4, denominator: 4) }
        )
        #expect(conductor.events.contains { conductor.tempo(of: $0) == 600_000 })
        for track in tracks.dropFirst() {
            #expect(track.events.contains { track.keySignature(of: $0) == key })
        }
        let titleEvent = try #require(tracks[1].events.first { $0.isMeta && $0.data1 == 0x10 })
        #expect(String(decoding: tracks[1].payload(of: titleEvent), as: UTF8.self) == "Scale in D")
    }

    /// A string part (program 48) spanning middle C keeps one staff: only pianos split.
    @Test func otherInstrumentsAreNotSplit() {
        let low = ScoreFixtures.file(onsets: (0..<8).map { $0 * 96 }, pitch: 55, program: 48)
        var file = ScoreFixtures.file(onsets: (0..<8).map { $0 * 96 }, pitch: 72, program: 48)
        for event in low.tracks[0].events where event.isChannelMessage && event.status & 0xF0 != 0xC0 {
            file.tracks[0].append(event, from: low.tracks[0])
        }
        file.tracks[0].events.sort { $0.tick < $1.tick }
        let prepared = ScorePreparation.prepare(file, title: "Strings", keySignature: nil)
        #expect(prepared.staves.count == 1)
        #expect(prepared.file.tracks[1].events.contains { $0.status == 0xC0 && $0.data1 == 48 })
    }

    /// Drums get a staff of their own and no key signature.
    @Test func drumsGetNoKeySignature() {
        let prepared = ScorePreparation.prepare(
            ScoreFixtures.file(onsets: [0, 96, 192], pitch: 38, channel: 9),
            title: "Beat", keySignature: key)
        let drums = prepared.file.tracks[1]
        #expect(prepared.staves == ["Drums"])
        #expect(!drums.events.contains { drums.keySignature(of: $0) != nil })
    }

    @Test func theFixtureIsInDMajorAndEightBarsLong() {
        let file = ScoreFixtures.dMajorPiano()
        #expect(ScoreKey.estimate(for: file) == Key(tonic: 2, mode: .major))
        #expect(Meter(file).measures.count == 8)
    }

    @Test func severalInputsGetOneOutputEach() {
        #expect(ScoreRenderer.outputPaths(for: ["a/x.mid"], output: "out/s.pdf") == ["out/s.pdf"])
        #expect(
            ScoreRenderer.outputPaths(for: ["a/x.mid", "b/y.mid", "c/x.mid"], output: "out/s.svg")
                == ["out/s-x.svg", "out/s-y.svg", "out/s-x-2.svg"])
        #expect(ScoreRenderer.pagePath("out/s.svg", page: 1) == "out/s.svg")
        #expect(ScoreRenderer.pagePath("out/s.svg", page: 3) == "out/s-3.svg")
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

    /// SMPTE time (25 frames × 40 ticks = 1000 ticks a second) at the default 120 bpm:
    /// 500 ticks per quarter, so eighth notes every 250 ticks.
    @Test func smpteTimeBecomesBeats() {
        var file = ScoreFixtures.file(onsets: [0, 250, 500, 750], pitch: 67, length: 240)
        file.division = .smpte(framesPerSecond: 25, ticksPerFrame: 40)
        let prepared = ScorePreparation.prepare(file, title: "SMPTE", keySignature: nil)
        #expect(prepared.file.tracks[1].pairNotes().notes.map(\.onset) == [0, 240, 480, 720])
    }
}
