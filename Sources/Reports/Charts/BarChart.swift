/// Vertical bars over named categories (pitches, keys, epochs). With more categories than
/// fit a readable label each, only some are labelled (every C for pitches, say); every
/// bar still names itself on hover and in the data file.
public struct BarChart: Sendable {
    public struct Bar: Sendable, Hashable {
        public var label: String
        public var value: Double
        /// Overrides the palette's bar colour (keys use their own colours).
        public var color: String?
        /// Shown on the axis even when labels are thinned out.
        public var alwaysLabelled: Bool

        public init(label: String, value: Double, color: String? = nil, alwaysLabelled: Bool = false) {
            self.label = label
            self.value = value
            self.color = color
            self.alwaysLabelled = alwaysLabelled
        }
    }

    public var id: String
    public var title: String
    public var bars: [Bar]
    /// Y axis, with its unit: "notes", "beats (quarter notes)".
    public var valueLabel: String
    public var categoryLabel: String
    public var caption: String?
    public var width: Double = 760
    public var height: Double = 320

    public init(
        id: String, title: String, bars: [Bar], valueLabel: String, categoryLabel: String, caption: String? = nil
    ) {
        self.id = id
        self.title = title
        self.bars = bars
        self.valueLabel = valueLabel
        self.categoryLabel = categoryLabel
        self.caption = caption
    }

    public func render() -> Chart {
        let rotateLabels = bars.count > 14 && bars.contains { $0.label.count > 3 }
        let plot = PlotArea(width: width, height: height, margins: (66, 40, 20, rotateLabels ? 84 : 56))
        var canvas = SVGCanvas(width: width, height: height)
        plot.drawTitle(title, on: &canvas)
        let scale = Scale.linear(covering: bars.map(\.value), from: plot.bottom, to: plot.top)
        plot.drawValueAxis(scale, label: valueLabel, on: &canvas)
        plot.drawBaseline(on: &canvas)
        if bars.isEmpty || bars.allSatisfy({ $0.value == 0 }) { plot.drawNoData("no data", on: &canvas) }

        let slot = plot.width / Double(max(1, bars.count))
        let gap = slot > 6 ? slot * 0.18 : 0
        let labelStep = labelStride(slot: slot, rotated: rotateLabels)
        let zero = scale.position(of: 0)
        for (index, bar) in bars.enumerated() {
            let x = plot.left + Double(index) * slot
            let top = scale.position(of: bar.value)
            canvas.rect(
                x: x + gap / 2, y: min(top, zero), width: slot - gap, height: abs(zero - top),
                fill: bar.color ?? Palette.bar, cssClass: "bar",
                tooltip: "\(bar.label): \(NumberText.value(bar.value))",
                extra: " data-label=\"\(XMLEscaping.escape(bar.label))\" data-value=\"\(bar.value)\"")
            let labelled =
                labelStep == 1 || bar.alwaysLabelled || (!bars.contains { $0.alwaysLabelled } && index % labelStep == 0)
            guard labelled else { continue }
            let centre = x + slot / 2
            canvas.line(x1: centre, y1: plot.bottom, x2: centre, y2: plot.bottom + 4, stroke: Palette.axis)
            if rotateLabels {
                canvas.text(
                    bar.label, x: centre + 3, y: plot.bottom + 12, anchor: .end, size: 11, fill: Palette.mutedText,
                    rotate: -45, cssClass: "tick-label x")
            } else {
                canvas.text(
                    bar.label, x: centre, y: plot.bottom + 17, anchor: .middle, size: 11, fill: Palette.mutedText,
                    cssClass: "tick-label x")
            }
        }
        canvas.text(
            categoryLabel, x: (plot.left + plot.right) / 2, y: height - 10, anchor: .middle, size: 12,
            cssClass: "axis-label x")
        let table = ChartTable(
            columns: ["label", valueLabel], rows: bars.map { [$0.label, NumberText.data($0.value)] })
        return Chart(id: id, title: title, svg: canvas.render(title: title), data: table, caption: caption)
    }

    /// Every n-th label, so labels keep about 14 px (rotated) or their width (flat) apart.
    private func labelStride(slot: Double, rotated: Bool) -> Int {
        let longest = Double(bars.map(\.label.count).max() ?? 1)
        let needed = rotated ? 14 : longest * 7 + 6
        return max(1, Int((needed / max(slot, 0.01)).rounded(.up)))
    }
}
