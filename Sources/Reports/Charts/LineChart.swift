/// Lines over a numeric x (losses per epoch), with an optional marked point (the best
/// epoch) drawn as a dashed rule and a labelled dot.
public struct LineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        /// y per x; non-finite values (a diverged loss) break the line.
        public var points: [(x: Double, y: Double)]

        public init(name: String, points: [(x: Double, y: Double)]) {
            self.name = name
            self.points = points
        }
    }

    public struct Marker: Sendable, Hashable {
        public var x: Double
        public var y: Double
        public var label: String

        public init(x: Double, y: Double, label: String) {
            self.x = x
            self.y = y
            self.label = label
        }
    }

    public var id: String
    public var title: String
    public var series: [Series]
    public var xLabel: String
    public var yLabel: String
    public var marker: Marker?
    public var caption: String?
    public var width: Double = 760
    public var height: Double = 340

    public init(
        id: String, title: String, series: [Series], xLabel: String, yLabel: String, marker: Marker? = nil,
        caption: String? = nil
    ) {
        self.id = id
        self.title = title
        self.series = series
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.marker = marker
        self.caption = caption
    }

    public func render() -> Chart {
        let plot = PlotArea(width: width, height: height, margins: (66, 58, 20, 56))
        var canvas = SVGCanvas(width: width, height: height)
        plot.drawTitle(title, on: &canvas)
        let finite = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        let xs = finite.map(\.x), ys = finite.map(\.y)
        let xScale = Scale.linear(
            covering: xs.isEmpty ? [0, 1] : [xs.min()!, xs.max()!], from: plot.left, to: plot.right, includeZero: false)
        let yScale = Scale.linear(covering: ys, from: plot.bottom, to: plot.top, includeZero: true)
        plot.drawValueAxis(yScale, label: yLabel, on: &canvas)
        // Epochs are whole numbers: a short run gets one tick per epoch, never "epoch 1.5".
        let xSpan = (xs.max() ?? 1) - (xs.min() ?? 0)
        plot.drawNumericXAxis(xScale, label: xLabel, on: &canvas, tickCount: min(8, max(1, Int(xSpan.rounded(.up)))))
        if finite.isEmpty { plot.drawNoData("no data", on: &canvas) }

        for (index, line) in series.enumerated() {
            let colour = Palette.series(index)
            var run: [(x: Double, y: Double)] = []
            func flush() {
                if run.count == 1 {
                    canvas.circle(x: run[0].x, y: run[0].y, radius: 2.5, fill: colour, cssClass: "series-point")
                }
                if run.count > 1 { canvas.polyline(run, stroke: colour, cssClass: "series-line", tooltip: line.name) }
                run = []
            }
            for point in line.points {
                guard point.x.isFinite, point.y.isFinite else {
                    flush()
                    continue
                }
                run.append((xScale.position(of: point.x), yScale.position(of: point.y)))
            }
            flush()
            let legendX = plot.left + Double(index) * 160
            canvas.line(x1: legendX, y1: 40, x2: legendX + 22, y2: 40, stroke: colour, width: 3)
            canvas.text(line.name, x: legendX + 28, y: 44, size: 12, cssClass: "legend")
        }
        if let marker, marker.x.isFinite, marker.y.isFinite {
            let x = xScale.position(of: marker.x), y = yScale.position(of: marker.y)
            canvas.line(
                x1: x, y1: plot.top, x2: x, y2: plot.bottom, stroke: Palette.highlight, width: 1.5, dashed: true,
                cssClass: "marker")
            canvas.circle(
                x: x, y: y, radius: 5, fill: "white", stroke: Palette.highlight, cssClass: "marker",
                tooltip: marker.label)
            let anchor: SVGCanvas.Anchor = x > plot.left + plot.width * 0.7 ? .end : .start
            canvas.text(
                marker.label, x: anchor == .end ? x - 8 : x + 8, y: plot.top + 14, anchor: anchor, size: 12,
                weight: "bold", fill: Palette.highlight, cssClass: "marker-label")
        }
        let xValues = Array(Set(series.flatMap { $0.points.map(\.x) })).sorted()
        let rows = xValues.map { x in
            [NumberText.data(x)]
                + series.map { line in line.points.first { $0.x == x }.map { NumberText.data($0.y) } ?? "" }
        }
        let table = ChartTable(columns: [xLabel] + series.map(\.name), rows: rows)
        return Chart(id: id, title: title, svg: canvas.render(title: title), data: table, caption: caption)
    }
}
