import Foundation
import Testing

@testable import Reports

@Suite struct KeyBandChartTests {
    let cMajor = KeyBandChart.KeyLabel(name: "C major", tonic: 0, isMinor: false)
    let aMinor = KeyBandChart.KeyLabel(name: "A minor", tonic: 9, isMinor: true)
    let gMajor = KeyBandChart.KeyLabel(name: "G major", tonic: 7, isMinor: false)

    @Test func oneBandPerWindowInItsKeyWithMinorStriped() throws {
        let keys: [KeyBandChart.KeyLabel?] = [cMajor, cMajor, aMinor, nil, gMajor, aMinor]
        let correlations: [Double?] = [0.9, 0.8, 0.7, nil, 0.6, 0.75]
        let windows = keys.indices.map {
            KeyBandChart.Window(firstMeasure: $0 + 1, lastMeasure: $0 + 1, key: keys[$0], correlation: correlations[$0])
        }
        let chart = KeyBandChart(id: "keys", title: "Keys", windows: windows).render()
        let nodes = try XMLTree.parse(chart.svg)
        let bands = marks(nodes, class: "band")
        #expect(bands.count == windows.count)
        #expect(bands.map { $0.attributes["data-key"] } == keys.map { $0?.name })
        let stripes = nodes.filter {
            $0.classes.contains("band-stripes") && $0.attributes["fill"] == "url(#keys-minor-stripes)"
        }
        #expect(stripes.count == keys.filter { $0?.isMinor == true }.count)
        #expect(
            bands[0].attributes["fill"] != bands[2].attributes["fill"],
            "a major key and its relative minor differ in colour too")

        let strengths = marks(nodes, class: "strength")
        #expect(strengths.map { $0.number("data-value") } == correlations.compactMap { $0 })
        let heights = strengths.map { $0.number("height")! }
        let expected = correlations.compactMap { $0 }.map { $0 * KeyBandChart.strengthHeight }
        for (height, want) in zip(heights, expected) { #expect(abs(height - want) < 0.02) }

        let legend = nodes.filter { $0.classes.contains("legend") }.map(\.text)
        #expect(legend.contains("C major (2)"))
        #expect(legend.contains("A minor (2)"))
        #expect(legend.contains("G major (1)"))
        #expect(legend.contains("no notes"))
    }

    @Test func noWindowsSaysSo() throws {
        let nodes = try XMLTree.parse(KeyBandChart(id: "k", title: "Keys", windows: []).render().svg)
        #expect(nodes.contains { $0.classes.contains("no-data") })
    }
}

@Suite struct TrainingRunTests {
    @Test func bestEpochIsTheLowestValidationLossAndIsMarked() throws {
        let run = TrainingRunReport(
            name: "lstm <test>", model: "LSTM", trainLoss: [3.0, 2.0, 1.5, 1.2, 1.0],
            validationLoss: [3.1, 2.4, 2.1, .nan, 2.3],
            settings: [.init("learning rate", "0.001"), .init("batch size", "64")])
        #expect(run.bestEpoch == 3)
        let output = TrainingRunPage.output(for: run, path: "runs/lstm.html")
        let html = output.page.render()
        #expect(html.contains("lstm &lt;test&gt;"))
        #expect(html.contains("learning rate") && html.contains("0.001"))
        let svg = try #require(svgFragments(in: html).first)
        let nodes = try XMLTree.parse(svg)
        let label = try #require(nodes.first { $0.classes.contains("marker-label") })
        #expect(label.text == "best epoch 3: 2.10")
        #expect(
            nodes.filter { $0.classes.contains("series-line") }.count == 2,
            "training is one line, validation one up to its NaN")
        #expect(
            nodes.filter { $0.classes.contains("series-point") }.count == 1,
            "the validation point after the NaN stands alone")
        #expect(output.dataFiles.map(\.path) == ["runs/lstm/loss.csv"])
        let csv = try #require(output.dataFiles.first?.contents)
        #expect(csv.hasPrefix("epoch,training,validation\r\n1,3,3.1\r\n"))
    }

    @Test func withoutValidationTheBestTrainingEpochCounts() {
        let run = TrainingRunReport(
            name: "r", model: "WaveNet", trainLoss: [2, 1, 1.5], validationLoss: [], settings: [])
        #expect(run.bestEpoch == 2)
        #expect(
            TrainingRunReport(name: "r", model: "m", trainLoss: [.nan], validationLoss: [], settings: []).bestEpoch
                == nil)
    }
}

@Suite struct EscapingTests {
    @Test func hostileNamesStayTextInSVGAndHTML() throws {
        let nasty = "a<b>&\"c'\u{01}d"
        let chart = BarChart(
            id: "x", title: nasty, bars: [.init(label: nasty, value: 1)], valueLabel: "v", categoryLabel: nasty
        ).render()
        let nodes = try XMLTree.parse(chart.svg)
        #expect(nodes.first { $0.classes.contains("bar") }?.attributes["data-label"] == "a<b>&\"c'\u{FFFD}d")
        let page = HTMLPage(
            title: nasty, sections: [.init(heading: nasty, blocks: [.chart(chart, dataPath: "x/x.csv")])]
        ).render()
        #expect(!page.contains("<b>"))
    }

    @Test func csvQuotesFieldsThatNeedIt() {
        let table = ChartTable(columns: ["name", "value"], rows: [["plain", "1"], ["with, comma", "say \"hi\""]])
        #expect(table.csv == "name,value\r\nplain,1\r\n\"with, comma\",\"say \"\"hi\"\"\"\r\n")
    }

    @Test func ticksAreRoundNumbersCoveringTheData() {
        let scale = Scale.linear(covering: [0, 37], from: 300, to: 0)
        #expect(scale.domain.upperBound >= 37)
        let ticks = scale.ticks()
        #expect(ticks.first == 0)
        #expect(ticks.allSatisfy { ($0 / 10).rounded() * 10 == $0 || ($0 / 5).rounded() * 5 == $0 })
        #expect(NumberText.tick(0.1 + 0.2) == "0.3")
        #expect(NumberText.tick(25_000) == "25k")
    }

    @Test func coordinatesKeepTwoDecimalsAtMost() {
        #expect(SVGNumber.format(12) == "12")
        #expect(SVGNumber.format(2.5) == "2.5")
        #expect(SVGNumber.format(-1.05) == "-1.05")
        #expect(SVGNumber.format(3.14159) == "3.14")
        #expect(SVGNumber.format(0.004) == "0")
        #expect(SVGNumber.format(.nan) == "0")
    }

    @Test func countsAreGroupedInThousands() {
        #expect(NumberText.count(0) == "0")
        #expect(NumberText.count(999) == "999")
        #expect(NumberText.count(298_540) == "298,540")
        #expect(NumberText.count(-1_234_567) == "-1,234,567")
    }
}

@Suite struct LongPieceKeyBandTests {
    /// 20,000 one-measure windows: C major, then A minor from measure 15,001.
    @Test func longPiecesAreBinnedToTheKeyMostWindowsHave() throws {
        let cMajor = KeyBandChart.KeyLabel(name: "C major", tonic: 0, isMinor: false)
        let aMinor = KeyBandChart.KeyLabel(name: "A minor", tonic: 9, isMinor: true)
        let windows = (1...20_000).map {
            KeyBandChart.Window(
                firstMeasure: $0, lastMeasure: $0, key: $0 <= 15_000 ? cMajor : aMinor, correlation: 0.8)
        }
        let chart = KeyBandChart(id: "k", title: "Keys", windows: windows).render()
        let nodes = try XMLTree.parse(chart.svg)
        let bands = marks(nodes, class: "band")
        #expect(bands.count <= Int(674 / KeyBandChart.minimumBandWidth))
        #expect(bands.count == chart.data.rows.count, "the data file has one row per band drawn")
        #expect(bands.first?.attributes["data-key"] == "C major")
        #expect(bands.last?.attributes["data-key"] == "A minor")
        let windowsCovered = chart.data.rows.map { Int($0[4])! }.reduce(0, +)
        #expect(windowsCovered == windows.count)
        let shareOfMinorBands =
            Double(bands.filter { $0.attributes["data-key"] == "A minor" }.count) / Double(bands.count)
        #expect(abs(shareOfMinorBands - 0.25) < 0.01)
        #expect(chart.svg.utf8.count < 400_000)
        let ticks = nodes.filter { $0.classes.contains("tick-label") && $0.classes.contains("x") }.compactMap {
            Int($0.text)
        }
        #expect(ticks.count >= 3 && ticks == ticks.sorted() && ticks.last! <= 20_000)
    }
}
