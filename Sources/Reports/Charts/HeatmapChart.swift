import Foundation

/// Rows × columns of shares shaded from white to blue with the number in each cell:
/// pitch-class profiles per folder stay readable for 3 folders or 40, where 40
/// overlaid lines would not. Rows past `maximumRows` are left to the data file.
public struct HeatmapChart: Sendable {
    public struct Row: Sendable, Hashable {
        public var label: String
        public var values: [Double]

        public init(label: String, values: [Double]) {
            self.label = label
            self.values = values
        }
    }

    public var id: String
    public var title: String
    public var columns: [String]
    public var rows: [Row]
    /// What a cell's number means, with its unit ("share of the folder's notes, %").
    public var valueLabel: String
    public var caption: String?
    public var maximumRows = 40
    public var width: Double = 760

    public init(id: String, title: String, columns: [String], rows: [Row], valueLabel: String, caption: String? = nil) {
        self.id = id
        self.title = title
        self.columns = columns
        self.rows = rows
        self.valueLabel = valueLabel
        self.caption = caption
    }

    public func render() -> Chart {
        let shown = Array(rows.prefix(maximumRows))
        let rowHeight = 22.0
        let longest = Double(shown.map(\.label.count).max() ?? 4)
        let leftMargin = min(260, max(70, longest * 7 + 14))
        let height = 40 + 30 + Double(max(1, shown.count)) * rowHeight + 30
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(title, x: leftMargin, y: 22, size: 15, weight: "bold", cssClass: "chart-title")
        let top = 60.0
        let cellWidth = (width - leftMargin - 20) / Double(max(1, columns.count))
        let maximum = shown.flatMap(\.values).max() ?? 0
        for (index, column) in columns.enumerated() {
            canvas.text(
                column, x: leftMargin + (Double(index) + 0.5) * cellWidth, y: top - 8, anchor: .middle, size: 12,
                cssClass: "tick-label x")
        }
        if shown.isEmpty {
            canvas.text(
                "no data", x: width / 2, y: top + 16, anchor: .middle, size: 13, fill: Palette.mutedText,
                cssClass: "no-data")
        }
        for (rowIndex, row) in shown.enumerated() {
            let y = top + Double(rowIndex) * rowHeight
            canvas.text(
                row.label, x: leftMargin - 6, y: y + rowHeight / 2 + 4, anchor: .end, size: 11, cssClass: "tick-label y"
            )
            for (columnIndex, value) in row.values.enumerated() {
                let fraction = maximum > 0 ? value / maximum : 0
                let x = leftMargin + Double(columnIndex) * cellWidth
                canvas.rect(
                    x: x, y: y, width: cellWidth - 1, height: rowHeight - 1, fill: Palette.intensity(fraction),
                    cssClass: "cell",
                    tooltip: "\(row.label), \(columns[columnIndex]): \(NumberText.value(value))",
                    extra: " data-value=\"\(value)\"")
                canvas.text(
                    String(format: "%.1f", value), x: x + cellWidth / 2, y: y + rowHeight / 2 + 4, anchor: .middle,
                    size: 10,
                    fill: fraction > 0.6 ? "white" : Palette.text, cssClass: "cell-label")
            }
        }
        let note =
            rows.count > shown.count
            ? "\(valueLabel). The \(shown.count) largest of \(rows.count) rows are shown; all are in the data file."
            : valueLabel
        canvas.text(note, x: leftMargin, y: height - 10, size: 12, fill: Palette.mutedText, cssClass: "axis-label x")
        let table = ChartTable(
            columns: ["row"] + columns, rows: rows.map { [$0.label] + $0.values.map(NumberText.data) })
        return Chart(id: id, title: title, svg: canvas.render(title: title), data: table, caption: caption)
    }
}
