/// Bars over numeric bins (frequencies in Hz), on a linear or a logarithmic x axis. The
/// axis spans the bins that hold something, so a piano piece is not squeezed into the
/// left tenth of a 0–13 kHz axis.
public struct HistogramChart: Sendable {
    public struct Bin: Sendable, Hashable {
        public var low: Double
        public var high: Double
        public var value: Double

        public init(low: Double, high: Double, value: Double) {
            self.low = low
            self.high = high
            self.value = value
        }
    }

    public enum Axis: Sendable { case linear, logarithmic }

    public var id: String
    public var title: String
    public var bins: [Bin]
    public var axis: Axis
    public var binLabel: String
    public var valueLabel: String
    public var caption: String?
    /// Ticks to label instead of round numbers: (value, label), e.g. every A with its Hz.
    public var namedTicks: [(value: Double, label: String)]?
    public var width: Double = 760
    public var height: Double = 320

    public init(
        id: String, title: String, bins: [Bin], axis: Axis, binLabel: String, valueLabel: String,
        caption: String? = nil,
        namedTicks: [(value: Double, label: String)]? = nil
    ) {
        self.namedTicks = namedTicks
        self.id = id
        self.title = title
        self.bins = bins
        self.axis = axis
        self.binLabel = binLabel
        self.valueLabel = valueLabel
        self.caption = caption
    }

    public func render() -> Chart {
        let plot = PlotArea(width: width, height: height)
        var canvas = SVGCanvas(width: width, height: height)
        plot.drawTitle(title, on: &canvas)
        let filled = bins.filter { $0.value > 0 }
        let valueScale = Scale.linear(covering: filled.map(\.value), from: plot.bottom, to: plot.top)
        plot.drawValueAxis(valueScale, label: valueLabel, on: &canvas)
        let low = filled.map(\.low).min() ?? 0, high = filled.map(\.high).max() ?? 1
        let binScale: Scale
        switch axis {
        case .linear:
            binScale = Scale.linear(covering: [low, high], from: plot.left, to: plot.right, includeZero: true)
        case .logarithmic:
            binScale = Scale.logarithmic(from: low / 1.1, to: high * 1.1, pixelsFrom: plot.left, to: plot.right)
        }
        if let namedTicks {
            plot.drawNamedXTicks(
                namedTicks.filter { $0.value >= binScale.domain.lowerBound && $0.value <= binScale.domain.upperBound },
                scale: binScale, label: binLabel, on: &canvas)
        } else {
            plot.drawNumericXAxis(binScale, label: binLabel, on: &canvas)
        }
        if filled.isEmpty { plot.drawNoData("no data", on: &canvas) }
        let zero = valueScale.position(of: 0)
        for bin in filled {
            let x0 = binScale.position(of: bin.low), x1 = binScale.position(of: bin.high)
            let top = valueScale.position(of: bin.value)
            // A hairline gap between bins keeps neighbours apart without hiding narrow bins.
            let gap = x1 - x0 > 3 ? 0.5 : 0
            canvas.rect(
                x: x0 + gap, y: top, width: x1 - x0 - 2 * gap, height: zero - top, fill: Palette.bar, cssClass: "bar",
                tooltip: "\(NumberText.value(bin.low))–\(NumberText.value(bin.high)): \(NumberText.value(bin.value))",
                extra: " data-low=\"\(bin.low)\" data-high=\"\(bin.high)\" data-value=\"\(bin.value)\"")
        }
        let firstFilled = bins.firstIndex { $0.value > 0 } ?? 0, lastFilled = bins.lastIndex { $0.value > 0 } ?? -1
        let drawnRange =
            bins.indices.contains(firstFilled) && lastFilled >= firstFilled ? Array(bins[firstFilled...lastFilled]) : []
        let table = ChartTable(
            columns: ["low", "high", valueLabel],
            rows: drawnRange.map { [NumberText.data($0.low), NumberText.data($0.high), NumberText.data($0.value)] })
        return Chart(id: id, title: title, svg: canvas.render(title: title), data: table, caption: caption)
    }
}
