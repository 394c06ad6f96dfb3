/// Bars lying down, for categories with long names (defect kinds, folders), largest
/// first; beyond `maximumBars` the rest are summed into one "others" bar so the chart
/// keeps its size however many categories a corpus has.
public struct HorizontalBarChart: Sendable {
    public var id: String
    public var title: String
    public var bars: [BarChart.Bar]
    public var valueLabel: String
    public var caption: String?
    public var maximumBars = 20
    public var width: Double = 760

    public init(id: String, title: String, bars: [BarChart.Bar], valueLabel: String, caption: String? = nil) {
        self.id = id
        self.title = title
        self.bars = bars
        self.valueLabel = valueLabel
        self.caption = caption
    }

    public func render() -> Chart {
        var shown = bars.sorted { $0.value > $1.value }
        if shown.count > maximumBars {
            let others = shown[(maximumBars - 1)...]
            shown = Array(shown.prefix(maximumBars - 1))
            shown.append(
                BarChart.Bar(
                    label: "\(others.count) others", value: others.reduce(0) { $0 + $1.value }, color: Palette.axis))
        }
        let rowHeight = 22.0
        let longest = Double(shown.map(\.label.count).max() ?? 4)
        let leftMargin = min(300, max(80, longest * 7 + 16))
        let height = 40 + 56 + Double(max(1, shown.count)) * rowHeight
        let plot = PlotArea(width: width, height: height, margins: (leftMargin, 40, 60, 56))
        var canvas = SVGCanvas(width: width, height: height)
        plot.drawTitle(title, on: &canvas)
        let scale = Scale.linear(covering: shown.map(\.value), from: plot.left, to: plot.right)
        plot.drawNumericXAxis(scale, label: valueLabel, on: &canvas, tickCount: 6)
        if shown.isEmpty { plot.drawNoData("none", on: &canvas) }
        for (index, bar) in shown.enumerated() {
            let y = plot.top + Double(index) * rowHeight
            let end = scale.position(of: bar.value)
            canvas.rect(
                x: plot.left, y: y + 3, width: end - plot.left, height: rowHeight - 6, fill: bar.color ?? Palette.bar,
                cssClass: "bar", tooltip: "\(bar.label): \(NumberText.value(bar.value))",
                extra: " data-label=\"\(XMLEscaping.escape(bar.label))\" data-value=\"\(bar.value)\"")
            canvas.text(
                bar.label, x: plot.left - 6, y: y + rowHeight / 2 + 4, anchor: .end, size: 11, cssClass: "tick-label y")
            canvas.text(
                NumberText.value(bar.value), x: end + 4, y: y + rowHeight / 2 + 4, size: 11, fill: Palette.mutedText,
                cssClass: "value-label")
        }
        let table = ChartTable(
            columns: ["label", valueLabel],
            rows: bars.sorted { $0.value > $1.value }.map { [$0.label, NumberText.data($0.value)] })
        return Chart(id: id, title: title, svg: canvas.render(title: title), data: table, caption: caption)
    }
}
