import Foundation
import Testing

@testable import Clearance
@testable import Reports

@Suite struct AuditionPageTests {
    /// A training piece's passage shared with a candidate, as the clearance check reports it.
    static let closest = MatchSummary(
        piece: "jazz/tune.mid", score: 41.5, percentile: 100, queryBars: [3, 9], sourceBars: [12, 18], sharedNotes: 52,
        queryStart: BarPosition(bar: 3, beat: 1), queryEnd: BarPosition(bar: 9, beat: 2),
        sourceStart: BarPosition(bar: 12, beat: 1), sourceEnd: BarPosition(bar: 18, beat: 2))

    static func candidate(_ name: String, seed: UInt64, copy: Bool, entropy: Double, audio: Bool)
        -> AuditionPage.Candidate
    {
        AuditionPage.Candidate(
            name: name, seed: seed, midi: "candidate-\(name).mid", audio: audio ? "candidate-\(name).flac" : nil,
            key: "D minor", notes: 40 + Int(seed),
            metrics: [
                DemoPage.Metric(name: "pitch_class_entropy", value: entropy, percentile: 0.4, typical: true),
                DemoPage.Metric(name: "groove", value: 0.5, percentile: 0.99, typical: false),
            ],
            verdict: AuditionPage.Verdict(verdict: copy ? .copy : .clear, closest: copy ? closest : nil),
            command: "tunesmith generate --run run --seed \(seed) -o 'out dir/candidate-\(name).mid'")
    }

    @Test func everyCandidateIsARowOfASortableTableWithItsPlayerAndVerdict() throws {
        let page = AuditionPage(
            run: "runs/steer", clearanceIndex: "runs/steer/clearance", referencePieces: 33,
            thresholds: VerdictThresholds(), settings: "temperature 0.9",
            candidates: [
                Self.candidate("1", seed: 7, copy: false, entropy: 2.5, audio: true),
                Self.candidate("2", seed: 8, copy: true, entropy: 3.25, audio: false),
            ]
        ).page().render()
        #expect(page.contains("<script>"))
        let start = try #require(page.range(of: "<table class=\"sortable\">"))
        let end = try #require(page.range(of: "</table>", range: start.upperBound..<page.endIndex))
        let nodes = try XMLTree.parse(String(page[start.lowerBound..<end.upperBound]))
        // The heading row and one row per candidate.
        #expect(nodes.filter { $0.name == "tr" }.count == 3)
        let players = nodes.filter { $0.name == "audio" }
        #expect(players.map { $0.attributes["src"] } == ["candidate-1.flac"])
        let cells = nodes.filter { $0.name == "td" }
        #expect(cells.contains { $0.text == "not rendered" })
        #expect(cells.contains { $0.text == "copy of a training piece" && $0.classes.contains("warn") })
        #expect(cells.contains { $0.text == "jazz/tune.mid" })
        #expect(cells.contains { $0.text == "52" && $0.attributes["data-sort"] == "52" })
        #expect(page.contains("1 of 2 clear of the 33 training pieces"))
        #expect(page.contains("tunesmith clearance check CANDIDATE.mid --against runs/steer/clearance"))
        #expect(page.contains("52 notes shared (bars 3–9 here, 12–18 there)"))
        #expect(cells.contains { $0.attributes["data-sort"] == "3.25" && $0.text == "3.250 (40)" })
        #expect(cells.contains { $0.text.hasPrefix("0.500 (99)") && $0.classes.contains("warn") })
        let links = nodes.filter { $0.name == "a" }.compactMap { $0.attributes["href"] }
        #expect(links == ["#candidate-1", "#candidate-2"])
        #expect(page.contains("tunesmith generate --run run --seed 8 -o &#39;out dir/candidate-2.mid&#39;"))
    }

    @Test func aCandidateShowsItsEngravedFirstPageOrWhyThereIsNone() throws {
        var engraved = Self.candidate("1", seed: 7, copy: false, entropy: 2.5, audio: true)
        engraved.score = .available(
            firstPageSVG: "/tmp/out/scores/candidate-1.svg", pdf: "/tmp/out/scores/candidate-1.pdf", pages: 2)
        var missing = Self.candidate("2", seed: 8, copy: false, entropy: 2.5, audio: true)
        missing.score = .unavailable(reason: "MuseScore 3 is not installed")
        let page = AuditionPage(
            run: "runs/steer", clearanceIndex: "runs/steer/clearance", referencePieces: 33,
            thresholds: VerdictThresholds(), settings: "", candidates: [engraved, missing]
        ).page().render()
        #expect(page.contains("src=\"scores/candidate-1.svg\""))
        #expect(page.contains("href=\"scores/candidate-1.pdf\""))
        #expect(page.contains("MuseScore 3 is not installed"))
        let plain = AuditionPage(
            run: "runs/steer", clearanceIndex: "runs/steer/clearance", referencePieces: 33,
            thresholds: VerdictThresholds(), settings: "",
            candidates: [Self.candidate("3", seed: 9, copy: false, entropy: 2.5, audio: true)]
        ).page().render()
        #expect(!plain.contains("score unavailable") && !plain.contains("scores/"))
    }

    @Test func pagesWithoutASortableTableCarryNoScript() {
        let page = HTMLPage(
            title: "t", sections: [.init(heading: "h", blocks: [.table(.init(columns: ["a"], rows: [[.init("x")]]))])])
        #expect(!page.render().contains("<script>"))
    }
}
