/// One offline HTML page: inline CSS, inline SVG charts, no script but the few lines that
/// sort a sortable table by a clicked column, nothing fetched from anywhere, so it opens
/// the same from a USB stick as from a web server.
public struct HTMLPage: Sendable {
    public enum Block: Sendable {
        case paragraph(String)
        /// A sentence ending in a link: "The same table as CSV: " + pieces.csv.
        case linkedParagraph(String, linkText: String, href: String)
        /// A chart, with its data file's path relative to the page.
        case chart(Chart, dataPath: String)
        case table(Table)
        case facts([(label: String, value: String)])
        /// A picture file beside the page (an engraved score), with a link under it.
        case image(source: String, alternative: String, link: (text: String, href: String)?)
        /// A sound file beside the page, with a player and a link under it.
        case audio(source: String, title: String, link: (text: String, href: String)?)
        /// Text whose columns line up, such as a command's report.
        case preformatted(String)
        /// Charts side by side on wide screens.
        case row([Block])
    }

    public struct Table: Sendable {
        public struct Cell: Sendable {
            public var text: String
            public var link: String?
            public var isNumber: Bool
            public var isWarning: Bool
            /// What a sortable table orders the row by in this column (the text when nil).
            public var sortKey: String?
            /// A sound file (relative path) played by a small player in the cell, before the text.
            public var audio: String?

            public init(
                _ text: String, link: String? = nil, isNumber: Bool = false, isWarning: Bool = false,
                sortKey: String? = nil, audio: String? = nil
            ) {
                self.text = text
                self.link = link
                self.isNumber = isNumber
                self.isWarning = isWarning
                self.sortKey = sortKey
                self.audio = audio
            }

            public static func number(_ value: Int) -> Cell { Cell(String(value), isNumber: true) }
        }

        public var caption: String?
        public var columns: [String]
        public var rows: [[Cell]]
        /// Shown instead of an empty table.
        public var emptyMessage: String
        /// Clicking a column heading orders the rows by it (again: the other way).
        public var sortable: Bool

        public init(
            caption: String? = nil, columns: [String], rows: [[Cell]], emptyMessage: String = "none",
            sortable: Bool = false
        ) {
            self.caption = caption
            self.columns = columns
            self.rows = rows
            self.emptyMessage = emptyMessage
            self.sortable = sortable
        }
    }

    public struct Section: Sendable {
        public var heading: String
        public var blocks: [Block]

        public init(heading: String, blocks: [Block]) {
            self.heading = heading
            self.blocks = blocks
        }
    }

    public var title: String
    public var subtitle: String?
    /// Links shown above the title: (text, relative path).
    public var breadcrumbs: [(text: String, link: String)]
    public var sections: [Section]

    public init(
        title: String, subtitle: String? = nil, breadcrumbs: [(text: String, link: String)] = [], sections: [Section]
    ) {
        self.title = title
        self.subtitle = subtitle
        self.breadcrumbs = breadcrumbs
        self.sections = sections
    }

    public func render() -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<title>\(XMLEscaping.escape(title))</title>\n<style>\(Self.style)</style>\n</head>\n<body>\n"
        if !breadcrumbs.isEmpty {
            html +=
                "<nav>"
                + breadcrumbs.map { "<a href=\"\(XMLEscaping.escape($0.link))\">\(XMLEscaping.escape($0.text))</a>" }
                .joined(separator: " › ") + "</nav>\n"
        }
        html += "<h1>\(XMLEscaping.escape(title))</h1>\n"
        if let subtitle { html += "<p class=\"subtitle\">\(XMLEscaping.escape(subtitle))</p>\n" }
        for section in sections {
            html += "<section>\n<h2>\(XMLEscaping.escape(section.heading))</h2>\n"
            for block in section.blocks { html += render(block) }
            html += "</section>\n"
        }
        if sections.contains(where: { $0.blocks.contains(where: Self.holdsSortableTable) }) {
            html += "<script>\(Self.tableSorter)</script>\n"
        }
        html +=
            "<footer>Written by tunesmith report. Charts are SVG; hover a mark for its value. Each chart's numbers are in the file linked under it.</footer>\n"
        html += "</body>\n</html>\n"
        return html
    }

    private func render(_ block: Block) -> String {
        switch block {
        case .paragraph(let text):
            return "<p>\(XMLEscaping.escape(text))</p>\n"
        case .linkedParagraph(let text, let linkText, let href):
            return
                "<p>\(XMLEscaping.escape(text))<a href=\"\(XMLEscaping.escape(href))\">\(XMLEscaping.escape(linkText))</a></p>\n"
        case .chart(let chart, let dataPath):
            var html = "<figure id=\"\(XMLEscaping.escape(chart.id))\">\n\(chart.svg)\n<figcaption>"
            if let caption = chart.caption { html += XMLEscaping.escape(caption) + " " }
            html +=
                "Data: <a href=\"\(XMLEscaping.escape(dataPath))\">\(XMLEscaping.escape(dataPath.split(separator: "/").last.map(String.init) ?? dataPath))</a></figcaption>\n</figure>\n"
            return html
        case .table(let table):
            return render(table)
        case .image(let source, let alternative, let link):
            var html =
                "<figure class=\"picture\"><img src=\"\(XMLEscaping.escape(source))\" alt=\"\(XMLEscaping.escape(alternative))\">"
            if let link {
                html +=
                    "<figcaption><a href=\"\(XMLEscaping.escape(link.href))\">\(XMLEscaping.escape(link.text))</a></figcaption>"
            }
            return html + "</figure>\n"
        case .audio(let source, let title, let link):
            var html =
                "<figure class=\"sound\"><figcaption>\(XMLEscaping.escape(title))</figcaption><audio controls=\"controls\" preload=\"none\" src=\"\(XMLEscaping.escape(source))\"></audio>"
            if let link {
                html +=
                    "<figcaption><a href=\"\(XMLEscaping.escape(link.href))\">\(XMLEscaping.escape(link.text))</a></figcaption>"
            }
            return html + "</figure>\n"
        case .preformatted(let text):
            return "<pre>\(XMLEscaping.escape(text))</pre>\n"
        case .facts(let facts):
            return "<dl class=\"facts\">"
                + facts.map {
                    "<div><dt>\(XMLEscaping.escape($0.label))</dt><dd>\(XMLEscaping.escape($0.value))</dd></div>"
                }.joined() + "</dl>\n"
        case .row(let blocks):
            return "<div class=\"row\">\n" + blocks.map(render).joined() + "</div>\n"
        }
    }

    private func render(_ table: Table) -> String {
        var html = ""
        if let caption = table.caption { html += "<h3>\(XMLEscaping.escape(caption))</h3>\n" }
        guard !table.rows.isEmpty else {
            return html + "<p class=\"empty\">\(XMLEscaping.escape(table.emptyMessage))</p>\n"
        }
        html +=
            "<div class=\"table-wrap\"><table\(table.sortable ? " class=\"sortable\"" : "")>\n<thead><tr>"
            + table.columns.map { "<th>\(XMLEscaping.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>"
            for cell in row {
                let classes = [cell.isNumber ? "num" : nil, cell.isWarning ? "warn" : nil].compactMap { $0 }
                let classAttribute = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                let text = XMLEscaping.escape(cell.text)
                let sortAttribute =
                    table.sortable ? " data-sort=\"\(XMLEscaping.escape(cell.sortKey ?? cell.text))\"" : ""
                let player =
                    cell.audio.map {
                        "<audio controls=\"controls\" preload=\"none\" src=\"\(XMLEscaping.escape($0))\"></audio> "
                    }
                    ?? ""
                html +=
                    "<td\(classAttribute)\(sortAttribute)>" + player
                    + (cell.link.map { "<a href=\"\(XMLEscaping.escape($0))\">\(text)</a>" } ?? text) + "</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table></div>\n"
    }

    private static func holdsSortableTable(_ block: Block) -> Bool {
        switch block {
        case .table(let table): table.sortable
        case .row(let blocks): blocks.contains(where: holdsSortableTable)
        default: false
        }
    }

    /// Orders a sortable table's rows by the clicked column's `data-sort` values: as numbers
    /// when both are numbers, as text otherwise; a second click reverses the order.
    static let tableSorter = """
        document.querySelectorAll("table.sortable").forEach(function(table){
        table.querySelectorAll("th").forEach(function(heading,column){
        heading.style.cursor="pointer";heading.title="Click to sort";
        heading.addEventListener("click",function(){
        var body=table.tBodies[0],rows=Array.from(body.rows),direction=heading.dataset.direction==="up"?-1:1;
        heading.dataset.direction=direction===1?"up":"down";
        rows.sort(function(a,b){var x=a.cells[column].dataset.sort,y=b.cells[column].dataset.sort;
        var p=parseFloat(x),q=parseFloat(y);
        return direction*(!isNaN(p)&&!isNaN(q)?p-q:String(x).localeCompare(String(y)));});
        rows.forEach(function(row){body.appendChild(row);});});});});
        """

    static let style = """
        body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;color:#222;margin:24px auto;max-width:1600px;padding:0 24px;line-height:1.4}
        h1{font-size:26px;margin:8px 0 4px}h2{font-size:20px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:36px}
        h3{font-size:15px;margin:18px 0 6px}.subtitle{color:#555;margin-top:0}nav{font-size:14px}nav a{color:#0072B2}
        figure{margin:12px 0 20px;display:inline-block;vertical-align:top}figure svg{max-width:100%;height:auto;background:#fff}
        figcaption{font-size:13px;color:#555;max-width:760px}
        figure.picture img{max-width:760px;width:100%;background:#fff;border:1px solid #e3e3e3}
        .row{display:flex;flex-wrap:wrap;gap:12px 28px}
        .table-wrap{display:inline-block;max-width:100%;overflow-x:auto;max-height:720px;overflow-y:auto;border:1px solid #e3e3e3}
        table{border-collapse:collapse;font-size:13px;min-width:480px}th{position:sticky;top:0;background:#f4f6f8;text-align:left}
        th,td{padding:4px 10px;border-bottom:1px solid #eee}td.num{text-align:right;font-variant-numeric:tabular-nums}
        td.warn{color:#a33}tbody tr:nth-child(even){background:#fafafa}a{color:#0072B2}
        dl.facts{display:flex;flex-wrap:wrap;gap:8px 28px;margin:8px 0}dl.facts div{min-width:120px}
        dt{font-size:12px;color:#666}dd{margin:0;font-size:18px;font-weight:bold}
        .empty{color:#666;font-style:italic}footer{margin-top:40px;font-size:12px;color:#777}
        pre{background:#f6f6f6;padding:12px;overflow-x:auto;font-size:13px}figure.sound{margin-right:28px}
        """
}
