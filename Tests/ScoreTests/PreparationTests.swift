import Foundation
import MIDIFile
import MusicTheory
import Testing

@testable import Score

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct PreparationTests {
    let key = KeySignature(sharps: 2, isMinor: false)

    func prepare(_ file: MIDIFile, title: String = "Piece", keySignature: KeySignature? = nil) -> PreparedScore {
        ScorePreparation.prepare(file, title: title, keySignature: keySignature)
    }

    @Test func aOneTrackPianoBecomesAGrandStaff() throws {
        let prepared = prepare(ScoreFixtures.dMajorPiano(), keySignature: key)
        #expect(prepared.staves == ["Piano", "Piano"])
        let piano = try #require(prepared.notated.parts.first)
        #expect(piano.staves.map(\.clef) == [.treble, .bass])
        let right = piano.staves[0].voices.flatMap { $0 }.flatMap(\.pitches)
        let left = piano.staves[1].voices.flatMap { $0 }.flatMap(\.pitches)
        #expect(right.count == 64 && right.allSatisfy { $0 >= 62 })
        #expect(left.count == 8 && left.allSatisfy { $0 <= 50 })
        #expect(prepared.noteCount == 72)
    }

    /// Humanised eighths come back as exact eighths, every bar on the sixteenth grid, and
    /// the bass's whole notes are whole notes.
    @Test func notesLandOnTheGridAndHoldTheirLength() throws {
        let prepared = prepare(ScoreFixtures.dMajorPiano(), keySignature: key)
        #expect(prepared.barsByGrid == [.sixteenths: 8])
        #expect(prepared.measureCount == 8)
        let piano = try #require(prepared.notated.parts.first)
        #expect(piano.staves[0].voices.count == 1)
        #expect(piano.staves[0].voices[0].map(\.onset) == (0..<64).map { $0 * 240 })
        #expect(piano.staves[0].voices[0].allSatisfy { $0.end - $0.onset == 240 })
        #expect(piano.staves[1].voices[0].map(\.onset) == (0..<8).map { $0 * 1920 })
        #expect(piano.staves[1].voices[0].allSatisfy { $0.end - $0.onset == 1920 })
    }

    /// A sequenced piano piece keeps each hand (or each fugue voice) on its own track,
    /// with a conductor track and an empty track: one part, two staves.
    @Test func pianoTracksMergeAndEmptyTracksVanish() throws {
        let hands = ScoreFixtures.dMajorPiano()
        var right = Track(), left = Track()
        right.appendMeta(tick: 0, type: MetaType.trackName.rawValue, payload: Array("Piano right".utf8))
        left.appendMeta(tick: 0, type: MetaType.trackName.rawValue, payload: Array("Piano left".utf8))
        let source = hands.tracks[0]
        var conductor = Track()
        for event in source.events {
            if event.isMeta {
                conductor.append(event, from: source)
            } else if event.data1 >= 60 {
                right.append(event, from: source)
            } else {
                left.append(event, from: source)
            }
        }
        var empty = Track()
        empty.appendMeta(tick: 0, type: MetaType.trackName.rawValue, payload: Array("Fuga 1".utf8))
        let file = MIDIFile(
            format: .multiTrack, division: hands.division, tracks: [conductor, right, left, empty])
        let prepared = prepare(file)
        #expect(prepared.notated.parts.count == 1)
        #expect(prepared.staves == ["Piano", "Piano"])
        #expect(prepared.noteCount == 72)
    }

    /// A string part (program 48) spanning middle C keeps one staff: only pianos split.
    @Test func otherInstrumentsKeepOneStaff() {
        let low = ScoreFixtures.file(onsets: (0..<8).map { $0 * 96 }, pitch: 55, program: 48)
        var file = ScoreFixtures.file(onsets: (0..<8).map { $0 * 96 }, pitch: 72, program: 48)
        for event in low.tracks[0].events where event.isChannelMessage && event.status & 0xF0 != 0xC0 {
            file.tracks[0].append(event, from: low.tracks[0])
        }
        file.tracks[0].events.sort { $0.tick < $1.tick }
        let prepared = prepare(file)
        #expect(prepared.notated.parts.map(\.staves.count) == [1])
        #expect(prepared.notated.parts.first?.program == 48)
        #expect(prepared.musicXML.contains("<midi-program>49</midi-program>"))
    }

    @Test func drumsGetAPercussionStaffAndNoKey() {
        let prepared = prepare(ScoreFixtures.file(onsets: [0, 96, 192], pitch: 38, channel: 9), keySignature: key)
        #expect(prepared.staves == ["Drums"])
        #expect(prepared.notated.parts.first?.staves.first?.clef == .percussion)
        #expect(prepared.musicXML.contains("<unpitched>"))
        #expect(prepared.musicXML.contains("<fifths>0</fifths>"))
    }

    /// A 1/4 bar before 3/4 is a pickup: measure 0, written in 3/4, and the bar count
    /// includes it.
    @Test func aPickupIsMeasureZero() throws {
        var file = ScoreFixtures.file(onsets: [0] + (0..<6).map { 96 + $0 * 96 }, pitch: 67, length: 90)
        file.tracks[0].appendMeta(tick: 0, type: MetaType.timeSignature.rawValue, payload: [1, 2, 24, 8])
        file.tracks[0].appendMeta(tick: 96, type: MetaType.timeSignature.rawValue, payload: [3, 2, 24, 8])
        file.tracks[0].events.sort { $0.tick < $1.tick }
        let prepared = prepare(file)
        #expect(prepared.notated.bars.measures.map(\.number) == [0, 1, 2])
        let check = MusicXMLCheck(prepared.musicXML)
        #expect(check.problems.isEmpty, "\(check.problems)")
        #expect(check.measureNumbers == ["0", "1", "2"])
        #expect(check.timeSignatures == ["3/4"])
        #expect(check.measureLengths == [480, 1440, 1440])
    }

    /// A tempo change on every beat (a performance's rubato, within 8 %) is written as
    /// one metronome mark.
    @Test func beatByBeatRubatoIsOneMark() {
        var file = ScoreFixtures.dMajorPiano()
        for beat in 0..<32 {
            let bpm = 100 + 8 * sin(Double(beat))
            let micros = Int(60_000_000 / bpm)
            file.tracks[0].appendMeta(
                tick: beat * 96, type: MetaType.tempo.rawValue,
                payload: [UInt8(micros >> 16), UInt8(micros >> 8 & 0xFF), UInt8(micros & 0xFF)])
        }
        file.tracks[0].events.sort { $0.tick < $1.tick }
        let prepared = prepare(file)
        #expect(prepared.notated.tempoMarks.count == 1)
        #expect(MusicXMLCheck(prepared.musicXML).metronomeMarks == 1)
    }

    /// Every voice of every bar adds up to the bar, ties pair up, and triplets come in
    /// threes' worth: in a piece of straight eighths, triplet bars and held chords.
    @Test func theMusicXMLAddsUp() throws {
        let prepared = prepare(ScoreFixtures.mixedPiano(), title: "Mixed", keySignature: key)
        #expect(prepared.barsByGrid[.triplets] == 1)
        let check = MusicXMLCheck(prepared.musicXML)
        #expect(check.problems.isEmpty, "\(check.problems)")
        #expect(check.measureLengths == Array(repeating: 1920, count: prepared.measureCount))
        #expect(check.tupletStarts > 0 && check.tupletStarts == check.tupletStops)
        #expect(check.tieStarts == check.tieStops)
        #expect(check.workTitle == "Mixed")
    }

    /// The page is A4 at a 6.5 mm staff, whatever MuseScore's default page on this machine:
    /// the tenths written convert back to 210 × 297 mm.
    @Test func thePageIsA4WithARastralFourStaff() throws {
        let check = MusicXMLCheck(prepare(ScoreFixtures.dMajorPiano()).musicXML)
        #expect(check.problems.isEmpty, "\(check.problems)")
        let millimetres = try #require(check.staffMillimetres)
        let page = try #require(check.pageTenths)
        #expect(millimetres == 6.5)
        #expect(abs(page.width * millimetres / 40 - 210) < 0.01)
        #expect(abs(page.height * millimetres / 40 - 297) < 0.01)
    }

    @Test func aLongTitleIsWrappedAndTheComposerWritten() {
        let title = "Das wohltemperierte Klavier I - Praeludium und Fuge 1 in C-Dur BWV 846"
        let prepared = ScorePreparation.prepare(
            ScoreFixtures.dMajorPiano(), title: title, composer: "Johann Sebastian Bach", keySignature: key)
        let check = MusicXMLCheck(prepared.musicXML)
        #expect(check.workTitle.split(separator: "\n").count == 2)
        #expect(check.composer == "Johann Sebastian Bach")
    }

    @Test func aStatedKeySignatureIsFound() {
        var file = ScoreFixtures.dMajorPiano()
        #expect(ScorePreparation.statedKeySignature(of: file) == nil)
        file.tracks[0].appendMeta(tick: 0, type: MetaType.keySignature.rawValue, payload: [UInt8(bitPattern: -3), 1])
        #expect(ScorePreparation.statedKeySignature(of: file) == KeySignature(sharps: -3, isMinor: true))
        #expect(ScoreKey.key(of: KeySignature(sharps: -3, isMinor: true)) == Key(tonic: 0, mode: .minor))
        #expect(ScoreKey.key(of: KeySignature(sharps: 2, isMinor: false)) == Key(tonic: 2, mode: .major))
    }

    @Test func severalInputsGetOneOutputEach() {
        #expect(ScoreRenderer.outputPaths(for: ["a/x.mid"], output: "out/s.pdf") == ["out/s.pdf"])
        #expect(
            ScoreRenderer.outputPaths(for: ["a/x.mid", "b/y.mid", "c/x.mid"], output: "out/s.svg")
                == ["out/s-x.svg", "out/s-y.svg", "out/s-x-2.svg"])
        #expect(ScoreRenderer.pagePath("out/s.svg", page: 1) == "out/s.svg")
        #expect(ScoreRenderer.pagePath("out/s.svg", page: 3) == "out/s-3.svg")
    }

    /// SMPTE time (25 frames × 40 ticks = 1000 ticks a second) at the default 120 bpm:
    /// 500 ticks per quarter, so eighth notes every 250 ticks.
    @Test func smpteTimeBecomesBeats() {
        var file = ScoreFixtures.file(onsets: [0, 250, 500, 750], pitch: 67, length: 240)
        file.division = .smpte(framesPerSecond: 25, ticksPerFrame: 40)
        let prepared = prepare(file)
        let chords = prepared.notated.parts.first?.staves.first?.voices.first ?? []
        #expect(chords.map(\.onset) == [0, 240, 480, 720])
    }
}

/// Reads back what the writer wrote: per measure, each voice's total duration (notes,
/// rests and forwards; chord notes and backups do not advance), and the counts of
/// paired notations.
final class MusicXMLCheck: NSObject, XMLParserDelegate {
    private(set) var problems: [String] = []
    private(set) var measureNumbers: [String] = []
    private(set) var measureLengths: [Int] = []
    private(set) var timeSignatures: [String] = []
    private(set) var tupletStarts = 0
    private(set) var tupletStops = 0
    private(set) var tieStarts = 0
    private(set) var tieStops = 0
    private(set) var metronomeMarks = 0
    private(set) var workTitle = ""
    private(set) var composer: String?
    /// From `<defaults>`: the staff height and the page, in tenths of a staff space.
    private(set) var staffMillimetres: Double?
    private(set) var pageTenths: (width: Double, height: Double)?

    private var text = ""
    private var voiceTotals: [String: Int] = [:]
    private var isChordNote = false
    private var duration = 0, voice = "1", beats = "", partIndex = 0

    init(_ xml: String) {
        super.init()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = self
        if !parser.parse() { problems.append("does not parse: \(parser.parserError.map { "\($0)" } ?? "")") }
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        text = ""
        switch name {
        case "part": partIndex += 1
        case "measure":
            voiceTotals = [:]
            if partIndex == 1 { measureNumbers.append(attributes["number"] ?? "?") }
        case "note": (isChordNote, duration, voice) = (false, 0, "1")
        case "chord": isChordNote = true
        case "forward": (duration, voice) = (0, "1")
        case "tuplet":
            if attributes["type"] == "start" { tupletStarts += 1 } else { tupletStops += 1 }
        case "tied":
            if attributes["type"] == "start" { tieStarts += 1 } else { tieStops += 1 }
        case "metronome": metronomeMarks += 1
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "duration": duration = Int(text) ?? -1
        case "voice": voice = text
        case "beats": beats = text
        case "beat-type": if partIndex == 1 { timeSignatures.append("\(beats)/\(text)") }
        case "work-title": workTitle = text
        case "creator": composer = text
        case "millimeters": staffMillimetres = Double(text)
        case "page-width": pageTenths = (Double(text) ?? 0, pageTenths?.height ?? 0)
        case "page-height": pageTenths = (pageTenths?.width ?? 0, Double(text) ?? 0)
        case "note":
            if !isChordNote { voiceTotals[voice, default: 0] += duration }
        case "forward":
            voiceTotals[voice, default: 0] += duration
        case "measure":
            let lengths = Set(voiceTotals.values)
            let main = voiceTotals["1"] ?? voiceTotals.values.max() ?? 0
            if lengths.count > 1 { problems.append("measure \(measureNumbers.last ?? "?"): voices \(voiceTotals)") }
            if partIndex == 1 { measureLengths.append(main) }
        default: break
        }
    }
}
