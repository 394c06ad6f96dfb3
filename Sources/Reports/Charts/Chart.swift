/// A drawn chart and the numbers it was drawn from, which the page writes next to it.
public struct Chart: Sendable {
    /// File-name stem for the chart's data ("pitch-histogram" → pitch-histogram.csv).
    public var id: String
    public var title: String
    public var svg: String
    public var data: ChartTable
    /// What the reader should know to read it right (weighting, scaling, what was left out).
    public var caption: String?

    public init(id: String, title: String, svg: String, data: ChartTable, caption: String? = nil) {
        self.id = id
        self.title = title
        self.svg = svg
        self.data = data
        self.caption = caption
    }
}

/// Rows of a chart's data, written as CSV (RFC 4180 quoting).
public struct ChartTable: Sendable, Hashable {
    public var columns: [String]
    public var rows: [[String]]

    public init(columns: [String], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }

    public var csv: String {
        ([columns] + rows).map { $0.map(Self.quoted).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
