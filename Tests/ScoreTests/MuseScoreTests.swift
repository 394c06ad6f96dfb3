import Foundation
import MIDIFile
import MusicTheory
import Testing

@testable import Score

#if canImport(FoundationXML)
    import FoundationXML
#endif

let museScoreInstalled = (try? MuseScore.locate()) != nil

/// End to end through the real mscore3: these run only where it is installed.
@Suite(.enabled(if: museScoreInstalled, "mscore3 is not installed: run `make deps-score` to run the MuseScore tests"))
struct MuseScoreTests {
    let museScore = try! MuseScore.locate()

    @Test func aPDFWithAtLeastOnePageAndItsFirstPageAsSVG() throws {
        let folder = try ScoreFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = try ScoreFixtures.write(ScoreFixtures.dMajorPiano(), named: "scale.mid", in: folder)
        let preview = ScorePreview.make(for: input, in: folder + "/report")
        guard case .available(let svgPath, let pdfPath, let pages) = preview else {
            Issue.record("expected a score, got \(preview)")
            return
        }
        let pdf = try #require(FileManager.default.contents(atPath: pdfPath))
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        let pdfPages = try PDFPages.pageCount([UInt8](pdf))
        #expect(pdfPages >= 1)
        #expect(pdfPages == pages)
        let svg = try #require(FileManager.default.contents(atPath: svgPath))
        let parsed = XMLSummary(svg)
        #expect(parsed.parsed, "the SVG does not parse as XML: \(parsed.error ?? "")")
        #expect(parsed.rootElement == "svg")
        let inline = try #require(preview.inlineSVG)
        #expect(inline.hasPrefix("<svg"))
        #expect(inline.contains("<title>scale"))
    }

    @Test func musicXMLKeyAndMeasuresMatchTheAnalysis() throws {
        let folder = try ScoreFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = ScoreFixtures.dMajorPiano()
        let input = try ScoreFixtures.write(source, named: "scale.mid", in: folder)
        let result = try ScoreRenderer.render(input, to: folder + "/scale.musicxml", museScore: museScore)
        let xml = XMLSummary(try #require(FileManager.default.contents(atPath: folder + "/scale.musicxml")))
        #expect(xml.parsed)

        let key = try #require(ScoreKey.estimate(for: source))
        #expect(key == Key(tonic: 2, mode: .major), "the fixture is written in D major")
        #expect(!xml.fifths.isEmpty)
        #expect(xml.fifths.allSatisfy { $0 == key.signatureAccidentals })
        #expect(result.fifths == key.signatureAccidentals)

        let measures = Meter(source).measures.count
        #expect(measures == 8)
        // The two hands come back as one piano part on a grand staff.
        #expect(xml.stavesPerPart == [2])
        #expect(xml.stavesPerPart.reduce(0, +) == result.staves.count)
        #expect(xml.measuresPerPart.allSatisfy { $0 == measures })
        #expect(xml.credits.contains("scale"))
        // MuseScore engraved at the staff size the score asks for, not its own 7 mm.
        let millimetres = try #require(xml.staffMillimetres)
        #expect(abs(millimetres - PageLayout.a4.staffHeightMillimetres) < 0.01)
    }

    /// A quantised piece with a pickup, written by Tunesmith: the MusicXML of the engraved
    /// score has exactly its bars, the pickup as measure 0 (implicit), on one grand staff.
    @Test func theEngravedScoreHasExactlyTheBarsPickupIncluded() throws {
        let folder = try ScoreFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = try ScoreFixtures.write(ScoreFixtures.pickupPiece(), named: "pickup.mid", in: folder)
        let result = try ScoreRenderer.render(input, to: folder + "/pickup.musicxml", museScore: museScore)
        let xml = XMLSummary(try #require(FileManager.default.contents(atPath: folder + "/pickup.musicxml")))
        #expect(xml.parsed)
        #expect(xml.measuresPerPart == [ScoreFixtures.pickupPieceBars])
        #expect(xml.measureNumbers.first == "0")
        #expect(xml.firstMeasureImplicit)
        #expect(xml.stavesPerPart == [2])
        #expect(result.measures == ScoreFixtures.pickupPieceBars)
    }

    @Test func svgPagesAreWrittenUnderTheNameAsked() throws {
        let folder = try ScoreFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = try ScoreFixtures.write(ScoreFixtures.dMajorPiano(), named: "scale.mid", in: folder)
        let result = try ScoreRenderer.render(input, to: folder + "/scale.svg", museScore: museScore)
        #expect(result.outputs.first == folder + "/scale.svg")
        for output in result.outputs {
            #expect(XMLSummary(try #require(FileManager.default.contents(atPath: output))).rootElement == "svg")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
            $0.hasPrefix(".") || $0.contains("tmp")
        }
        #expect(leftovers.isEmpty)
    }

    /// Forty bars of sixteenths fill more than one page; `--pages 1` keeps one.
    @Test func pagesLimitCutsALongScore() throws {
        let folder = try ScoreFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let onsets = (0..<(40 * 16)).map { $0 * 24 }
        var file = ScoreFixtures.file(onsets: onsets, pitch: 72, length: 20)
        for (index, onset) in onsets.enumerated() where index % 2 == 1 {
            file.tracks[0].appendChannelEvent(tick: onset, status: 0x90, data1: UInt8(74 + index % 5), data2: 70)
            file.tracks[0].appendChannelEvent(tick: onset + 20, status: 0x80, data1: UInt8(74 + index % 5))
        }
        file.tracks[0].events.sort { $0.tick < $1.tick }
        let input = try ScoreFixtures.write(file, named: "long.mid", in: folder)
        let result = try ScoreRenderer.render(input, to: folder + "/long.pdf", pages: 1, museScore: museScore)
        let total = try #require(result.totalPages)
        #expect(total > 1)
        #expect(result.pages == 1)
        #expect(
            try PDFPages.pageCount([UInt8](try #require(FileManager.default.contents(atPath: folder + "/long.pdf"))))
                == 1)
    }

    @Test func aFileMuseScoreCannotUseFailsNamingIt() throws {
        let folder = try ScoreFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/noise.mid"
        try Data("this is not a MIDI file".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try ScoreRenderer.render(path, to: folder + "/noise.pdf", museScore: museScore)
            Issue.record("a file without MIDI data must fail")
        } catch {
            #expect("\(error)".contains(path))
        }
    }
}

/// What the tests need from an XML document, read with Foundation's XMLParser.
final class XMLSummary: NSObject, XMLParserDelegate {
    private(set) var parsed = false
    private(set) var error: String?
    private(set) var rootElement: String?
    private(set) var fifths: [Int] = []
    private(set) var measuresPerPart: [Int] = []
    /// From each part's <staves> element; 1 when it has none.
    private(set) var stavesPerPart: [Int] = []
    private(set) var credits: [String] = []
    /// The first part's measure numbers, and whether its first measure is marked implicit
    /// (a pickup).
    private(set) var measureNumbers: [String] = []
    private(set) var firstMeasureImplicit = false
    /// The staff height MuseScore engraved at (its `<defaults>` scaling).
    private(set) var staffMillimetres: Double?
    private var text = ""

    init(_ data: Data) {
        super.init()
        let parser = XMLParser(data: data)
        parser.delegate = self
        parsed = parser.parse()
        error = parser.parserError.map { "\($0)" }
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if rootElement == nil { rootElement = name }
        if name == "part" {
            measuresPerPart.append(0)
            stavesPerPart.append(1)
        }
        if name == "measure", !measuresPerPart.isEmpty { measuresPerPart[measuresPerPart.count - 1] += 1 }
        if name == "measure", measuresPerPart.count == 1 {
            if measureNumbers.isEmpty { firstMeasureImplicit = attributes["implicit"] == "yes" }
            measureNumbers.append(attributes["number"] ?? "")
        }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "fifths", let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            fifths.append(value)
        }
        if name == "credit-words" { credits.append(text) }
        if name == "millimeters" { staffMillimetres = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) }
        if name == "staves", let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)),
            !stavesPerPart.isEmpty
        {
            stavesPerPart[stavesPerPart.count - 1] = max(stavesPerPart[stavesPerPart.count - 1], value)
        }
    }
}
