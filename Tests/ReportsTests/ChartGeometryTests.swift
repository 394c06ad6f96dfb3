import Foundation
import Testing

@testable import Reports

/// Bars must stand for their data: each bar's top sits where the value axis puts its
/// value, and each bar carries the label it was given.
@Suite struct ChartGeometryTests {
    /// The value axis's gridlines as (value, pixel) pairs, for interpolating any value.
    func valueAxis(_ nodes: [XMLElementNode], attribute: String) -> (Double) -> Double {
        let grid = nodes.filter { $0.classes.contains("grid") && $0.classes.contains(attribute == "y1" ? "y" : "x") }
            .compactMap { node -> (value: Double, pixel: Double)? in
                guard let value = node.number("data-value"), let pixel = node.number(attribute) else { return nil }
                return (value, pixel)
            }.sorted { $0.value < $1.value }
        precondition(grid.count >= 2, "a value axis needs two gridlines")
        let first = grid.first!, last = grid.last!
        return { value in first.pixel + (value - first.value) / (last.value - first.value) * (last.pixel - first.pixel)
        }
    }

    @Test func verticalBarsReachTheirValueOnTheAxis() throws {
        let values: [Double] = [3, 0, 17.5, 8, 42, 1]
        let labels = ["C4", "C#4", "D4", "Eb4", "E4", "F4"]
        let bars = zip(labels, values).map { BarChart.Bar(label: $0, value: $1) }
        let chart = BarChart(id: "t", title: "Test", bars: bars, valueLabel: "notes", categoryLabel: "pitch").render()
        let nodes = try XMLTree.parse(chart.svg)
        let drawn = marks(nodes, class: "bar")
        #expect(drawn.map { $0.attributes["data-label"] } == labels)
        let pixel = valueAxis(nodes, attribute: "y1")
        for (bar, value) in zip(drawn, values) {
            let top = try #require(bar.number("y")), height = try #require(bar.number("height"))
            #expect(abs(top - pixel(value)) < 0.02, "bar \(bar.attributes["data-label"]!) top")
            #expect(abs(top + height - pixel(0)) < 0.02, "bar \(bar.attributes["data-label"]!) stands on zero")
        }
        let tickLabels = nodes.filter { $0.classes.contains("tick-label") && $0.classes.contains("x") }.map(\.text)
        #expect(tickLabels == labels)
        #expect(chart.data.rows.map { Double($0[1]) } == values.map(Optional.some))
    }

    @Test func thinnedLabelsKeepTheOnesMarkedAlwaysLabelled() throws {
        let bars = (21...108).map { BarChart.Bar(label: "p\($0)", value: Double($0 % 7), alwaysLabelled: $0 % 12 == 0) }
        let chart = BarChart(id: "t", title: "Many", bars: bars, valueLabel: "notes", categoryLabel: "pitch").render()
        let nodes = try XMLTree.parse(chart.svg)
        #expect(marks(nodes, class: "bar").count == bars.count)
        let shown = nodes.filter { $0.classes.contains("tick-label") && $0.classes.contains("x") }.map(\.text)
        #expect(shown == bars.filter(\.alwaysLabelled).map(\.label))
    }

    @Test func horizontalBarsFoldTheTailIntoOthers() throws {
        let bars = (1...30).map { BarChart.Bar(label: "kind \($0)", value: Double($0)) }
        var chart = HorizontalBarChart(id: "t", title: "Kinds", bars: bars, valueLabel: "files")
        chart.maximumBars = 10
        let nodes = try XMLTree.parse(chart.render().svg)
        let drawn = nodes.filter { $0.classes.contains("bar") }
        #expect(drawn.count == 10)
        let others = try #require(drawn.last)
        #expect(others.attributes["data-label"] == "21 others")
        #expect(others.number("data-value") == Double((1...21).reduce(0, +)))
        let pixel = valueAxis(nodes, attribute: "x1")
        for bar in drawn {
            let value = try #require(bar.number("data-value"))
            #expect(abs(try #require(bar.number("width")) - (pixel(value) - pixel(0))) < 0.02)
        }
        #expect(chart.render().data.rows.count == 30, "the data file keeps every category")
    }

    @Test func histogramBinsSpanTheirEdges() throws {
        let bins = [
            HistogramChart.Bin(low: 100, high: 150, value: 4), HistogramChart.Bin(low: 150, high: 200, value: 0),
            HistogramChart.Bin(low: 200, high: 250, value: 9),
        ]
        for axis in [HistogramChart.Axis.linear, .logarithmic] {
            let nodes = try XMLTree.parse(
                HistogramChart(id: "t", title: "Hz", bins: bins, axis: axis, binLabel: "Hz", valueLabel: "notes")
                    .render().svg)
            let drawn = marks(nodes, class: "bar")
            #expect(drawn.map { $0.number("data-value") } == [4, 9], "empty bins draw nothing")
            let top = valueAxis(nodes, attribute: "y1")
            for bar in drawn {
                #expect(abs(try #require(bar.number("y")) - top(try #require(bar.number("data-value")))) < 0.02)
            }
            #expect(try #require(drawn[0].number("x")) < drawn[1].number("x")!)
        }
    }

    @Test func pitchClassBarsAreSharesAndTheProfileHasTheSameTotal() throws {
        let amounts: [Double] = [10, 0, 4, 0, 6, 3, 0, 8, 0, 2, 0, 1]
        let names = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
        let profile = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]
        let chart = PitchClassChart(
            id: "pc", title: "PC", amounts: amounts, names: names,
            overlay: .init(weights: profile, name: "profile")
        ).render()
        let nodes = try XMLTree.parse(chart.svg)
        let drawn = marks(nodes, class: "bar")
        #expect(drawn.map { $0.attributes["data-label"] } == names)
        let total = amounts.reduce(0, +)
        for (bar, amount) in zip(drawn, amounts) {
            #expect(abs(try #require(bar.number("data-value")) - 100 * amount / total) < 1e-9)
        }
        let profileShares = chart.data.rows.map { Double($0[2])! }
        #expect(abs(profileShares.reduce(0, +) - 100) < 1e-9)
        #expect(nodes.filter { $0.classes.contains("profile-point") }.count == 12)
    }
}
