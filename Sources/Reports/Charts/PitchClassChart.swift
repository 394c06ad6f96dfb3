/// Twelve pitch-class bars as shares of the piece (percent), with a key profile rotated
/// to the estimated key drawn over them at the same total, so a reader sees where the
/// music agrees with the profile and where it departs from it.
public struct PitchClassChart: Sendable {
    public struct Overlay: Sendable, Hashable {
        /// Profile weights for pitch classes C … B (already rotated to the key).
        public var weights: [Double]
        public var name: String

        public init(weights: [Double], name: String) {
            self.weights = weights
            self.name = name
        }
    }

    public var id: String
    public var title: String
    /// Amounts per pitch class C … B in any unit; drawn as percentages of their sum.
    public var amounts: [Double]
    /// Names C … B as spelled for the key.
    public var names: [String]
    public var overlay: Overlay?
    public var caption: String?
    public var width: Double = 760
    public var height: Double = 320

    public init(
        id: String, title: String, amounts: [Double], names: [String], overlay: Overlay?, caption: String? = nil
    ) {
        precondition(amounts.count == 12 && names.count == 12, "a pitch-class chart has 12 classes")
        self.id = id
        self.title = title
        self.amounts = amounts
        self.names = names
        self.overlay = overlay
        self.caption = caption
    }

    static func percentages(_ values: [Double]) -> [Double] {
        let total = values.reduce(0, +)
        return values.map { total > 0 ? 100 * $0 / total : 0 }
    }

    public func render() -> Chart {
        let plot = PlotArea(width: width, height: height, margins: (66, 58, 20, 56))
        var canvas = SVGCanvas(width: width, height: height)
        plot.drawTitle(title, on: &canvas)
        let shares = Self.percentages(amounts)
        let profileShares = overlay.map { Self.percentages($0.weights) }
        let scale = Scale.linear(covering: shares + (profileShares ?? []), from: plot.bottom, to: plot.top)
        plot.drawValueAxis(scale, label: "share of the piece (%)", on: &canvas)
        plot.drawBaseline(on: &canvas)
        if shares.allSatisfy({ $0 == 0 }) { plot.drawNoData("no pitched notes", on: &canvas) }
        let slot = plot.width / 12
        let zero = scale.position(of: 0)
        for index in 0..<12 {
            let x = plot.left + Double(index) * slot
            let top = scale.position(of: shares[index])
            canvas.rect(
                x: x + slot * 0.15, y: top, width: slot * 0.7, height: zero - top, fill: Palette.bar, cssClass: "bar",
                tooltip: "\(names[index]): \(NumberText.value(shares[index]))%",
                extra: " data-label=\"\(XMLEscaping.escape(names[index]))\" data-value=\"\(shares[index])\"")
            canvas.text(
                names[index], x: x + slot / 2, y: plot.bottom + 17, anchor: .middle, size: 12, fill: Palette.text,
                cssClass: "tick-label x")
        }
        canvas.text(
            "pitch class", x: (plot.left + plot.right) / 2, y: height - 10, anchor: .middle, size: 12,
            cssClass: "axis-label x")
        canvas.rect(x: plot.left, y: 34, width: 14, height: 10, fill: Palette.bar)
        canvas.text("this piece", x: plot.left + 20, y: 43, size: 12, cssClass: "legend")
        if let overlay, let profileShares {
            let points = profileShares.enumerated().map {
                (x: plot.left + (Double($0.offset) + 0.5) * slot, y: scale.position(of: $0.element))
            }
            canvas.polyline(points, stroke: Palette.overlay, width: 2.5, cssClass: "profile", tooltip: overlay.name)
            for (index, point) in points.enumerated() {
                canvas.circle(
                    x: point.x, y: point.y, radius: 4, fill: Palette.overlay, cssClass: "profile-point",
                    tooltip: "\(overlay.name), \(names[index]): \(NumberText.value(profileShares[index]))%")
            }
            canvas.line(x1: plot.left + 120, y1: 39, x2: plot.left + 142, y2: 39, stroke: Palette.overlay, width: 2.5)
            canvas.circle(x: plot.left + 131, y: 39, radius: 4, fill: Palette.overlay)
            canvas.text(overlay.name + " (same total)", x: plot.left + 148, y: 43, size: 12, cssClass: "legend")
        }
        var columns = ["pitch class", "share %"]
        if let overlay { columns.append("\(overlay.name) %") }
        let rows = (0..<12).map { index in
            [names[index], NumberText.data(shares[index])] + (profileShares.map { [NumberText.data($0[index])] } ?? [])
        }
        return Chart(
            id: id, title: title, svg: canvas.render(title: title), data: ChartTable(columns: columns, rows: rows),
            caption: caption)
    }
}
