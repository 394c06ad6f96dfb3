/// The rectangle data is drawn in, inside a chart's margins, and the furniture around
/// it: title, axes, ticks, gridlines and axis labels.
struct PlotArea {
    let left: Double, top: Double, right: Double, bottom: Double

    init(
        width: Double, height: Double,
        margins: (left: Double, top: Double, right: Double, bottom: Double) = (66, 40, 20, 56)
    ) {
        left = margins.left
        top = margins.top
        right = width - margins.right
        bottom = height - margins.bottom
    }

    var width: Double { right - left }
    var height: Double { bottom - top }

    func drawTitle(_ title: String, on canvas: inout SVGCanvas) {
        canvas.text(title, x: left, y: 22, size: 15, weight: "bold", cssClass: "chart-title")
    }

    /// Horizontal gridlines and labelled ticks for a vertical value scale.
    func drawValueAxis(_ scale: Scale, label: String, on canvas: inout SVGCanvas, tickCount: Int = 5) {
        for tick in scale.ticks(count: tickCount) {
            let y = scale.position(of: tick)
            canvas.line(
                x1: left, y1: y, x2: right, y2: y, stroke: Palette.grid, cssClass: "grid y",
                extra: " data-value=\"\(tick)\"")
            canvas.text(
                NumberText.tick(tick), x: left - 6, y: y + 4, anchor: .end, size: 11, fill: Palette.mutedText,
                cssClass: "tick-label y")
        }
        canvas.line(x1: left, y1: top, x2: left, y2: bottom, stroke: Palette.axis)
        canvas.text(
            label, x: 16, y: (top + bottom) / 2, anchor: .middle, size: 12, rotate: -90, cssClass: "axis-label y")
    }

    /// Vertical gridlines and labelled ticks for a horizontal numeric scale.
    func drawNumericXAxis(
        _ scale: Scale, label: String, on canvas: inout SVGCanvas, tickCount: Int = 8,
        format: (Double) -> String = NumberText.tick
    ) {
        for tick in scale.ticks(count: tickCount) {
            let x = scale.position(of: tick)
            canvas.line(
                x1: x, y1: top, x2: x, y2: bottom, stroke: Palette.grid, cssClass: "grid x",
                extra: " data-value=\"\(tick)\"")
            canvas.line(x1: x, y1: bottom, x2: x, y2: bottom + 4, stroke: Palette.axis)
            canvas.text(
                format(tick), x: x, y: bottom + 17, anchor: .middle, size: 11, fill: Palette.mutedText,
                cssClass: "tick-label x")
        }
        drawBaseline(on: &canvas)
        drawXLabel(label, on: &canvas)
    }

    /// Gridlines and ticks at given values with given labels (notes named on a frequency axis).
    func drawNamedXTicks(
        _ ticks: [(value: Double, label: String)], scale: Scale, label: String, on canvas: inout SVGCanvas
    ) {
        for tick in ticks {
            let x = scale.position(of: tick.value)
            canvas.line(x1: x, y1: top, x2: x, y2: bottom, stroke: Palette.grid)
            canvas.line(x1: x, y1: bottom, x2: x, y2: bottom + 4, stroke: Palette.axis)
            canvas.text(
                tick.label, x: x, y: bottom + 17, anchor: .middle, size: 11, fill: Palette.mutedText,
                cssClass: "tick-label x")
        }
        drawBaseline(on: &canvas)
        drawXLabel(label, on: &canvas)
    }

    func drawBaseline(on canvas: inout SVGCanvas) {
        canvas.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: Palette.axis)
    }

    func drawXLabel(_ label: String, on canvas: inout SVGCanvas) {
        canvas.text(label, x: (left + right) / 2, y: bottom + 40, anchor: .middle, size: 12, cssClass: "axis-label x")
    }

    /// Said inside the plot when there is nothing to draw, so an empty chart is never mistaken for zeros.
    func drawNoData(_ message: String, on canvas: inout SVGCanvas) {
        canvas.text(
            message, x: (left + right) / 2, y: (top + bottom) / 2, anchor: .middle, size: 13, fill: Palette.mutedText,
            cssClass: "no-data")
    }
}
