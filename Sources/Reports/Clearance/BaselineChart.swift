import Clearance

/// The human baseline as a small histogram: how many catalogue pieces reach each score
/// against their closest unrelated piece, with the review and copy thresholds and the
/// checked piece's best score marked, so a reader sees where it falls among human pieces.
struct BaselineChart {
    var baseline: Baseline
    var thresholds: VerdictThresholds
    var checkedScore: Float?
    var width: Double = 620
    var height: Double = 240
    static let binCount = 24

    func render() -> Chart {
        let plot = PlotArea(width: width, height: height, margins: (56, 40, 20, 50))
        var canvas = SVGCanvas(width: width, height: height)
        let title = "How much catalogue pieces share with their closest unrelated piece"
        plot.drawTitle(title, on: &canvas)
        let reviewScore = Double(baseline.score(atPercentile: thresholds.review))
        let copyScore = Double(baseline.score(atPercentile: thresholds.copy))
        let highest = max(Double(baseline.scores.last ?? 1), Double(checkedScore ?? 0), 1) * 1.05
        let binWidth = highest / Double(Self.binCount)
        var counts = [Int](repeating: 0, count: Self.binCount)
        for score in baseline.scores { counts[min(Self.binCount - 1, Int(Double(score) / binWidth))] += 1 }
        let tallest = Double(max(counts.max() ?? 1, 1))
        func x(_ score: Double) -> Double { plot.left + score / highest * plot.width }
        for (bin, count) in counts.enumerated() where count > 0 {
            let barHeight = Double(count) / tallest * plot.height
            canvas.rect(
                x: x(Double(bin) * binWidth) + 0.5, y: plot.bottom - barHeight,
                width: plot.width / Double(Self.binCount) - 1,
                height: barHeight, fill: Palette.bar, cssClass: "bar",
                tooltip: "\(count) pieces score \(NumberText.value(Double(bin) * binWidth))"
                    + "–\(NumberText.value(Double(bin + 1) * binWidth))"
            )
        }
        for (score, label) in [(reviewScore, "review"), (copyScore, "copy")] {
            canvas.line(
                x1: x(score), y1: plot.top, x2: x(score), y2: plot.bottom, stroke: Palette.mutedText, dashed: true)
            canvas.text(label, x: x(score) + 3, y: plot.top + 10, size: 11, fill: Palette.mutedText)
        }
        if let checkedScore {
            canvas.line(
                x1: x(Double(checkedScore)), y1: plot.top, x2: x(Double(checkedScore)), y2: plot.bottom,
                stroke: Palette.overlay, width: 3)
            canvas.text(
                "this piece", x: x(Double(checkedScore)) + 4, y: plot.top + 26, size: 12, weight: "bold",
                fill: Palette.overlay)
        }
        canvas.line(x1: plot.left, y1: plot.bottom, x2: plot.right, y2: plot.bottom, stroke: Palette.axis)
        for tick in 0...4 {
            let score = highest * Double(tick) / 4
            canvas.text(
                NumberText.tick((score * 10).rounded() / 10), x: x(score), y: plot.bottom + 16, anchor: .middle,
                size: 11,
                fill: Palette.mutedText)
        }
        canvas.text(
            "score of the closest unrelated match", x: (plot.left + plot.right) / 2, y: height - 10, anchor: .middle,
            size: 12)
        canvas.text("pieces", x: 16, y: (plot.top + plot.bottom) / 2, anchor: .middle, size: 12, rotate: -90)
        let rows = counts.enumerated().map {
            [
                NumberText.data(Double($0.offset) * binWidth), NumberText.data(Double($0.offset + 1) * binWidth),
                String($0.element),
            ]
        }
        return Chart(
            id: "baseline", title: title, svg: canvas.render(title: title),
            data: ChartTable(columns: ["score from", "score to", "catalogue pieces"], rows: rows),
            caption:
                "\(baseline.scores.count) catalogue pieces, each matched "
                + "against every piece of another work in the index."
        )
    }
}
