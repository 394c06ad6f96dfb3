import Foundation

/// Accumulates SVG elements for one chart. Every text goes through `XMLEscaping`, and
/// every mark that stands for a datum carries a `<title>` so hovering shows its value
/// without any script.
struct SVGCanvas {
    let width: Double
    let height: Double
    private var elements: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String,
        cssClass: String? = nil, tooltip: String? = nil, extra: String = ""
    ) {
        let attributes =
            "x=\"\(SVGNumber.format(x))\" y=\"\(SVGNumber.format(y))\" width=\"\(SVGNumber.format(max(0, width)))\" height=\"\(SVGNumber.format(max(0, height)))\" fill=\"\(fill)\""
            + classAttribute(cssClass) + extra
        append(element: "rect", attributes: attributes, tooltip: tooltip)
    }

    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width strokeWidth: Double = 1,
        dashed: Bool = false, cssClass: String? = nil, extra: String = ""
    ) {
        let dash = dashed ? " stroke-dasharray=\"5 4\"" : ""
        elements.append(
            "<line x1=\"\(SVGNumber.format(x1))\" y1=\"\(SVGNumber.format(y1))\" x2=\"\(SVGNumber.format(x2))\" y2=\"\(SVGNumber.format(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(SVGNumber.format(strokeWidth))\"\(dash)\(classAttribute(cssClass))\(extra)/>"
        )
    }

    mutating func polyline(
        _ points: [(x: Double, y: Double)], stroke: String, width strokeWidth: Double = 2,
        dashed: Bool = false, cssClass: String? = nil, tooltip: String? = nil
    ) {
        guard !points.isEmpty else { return }
        let list = points.map { "\(SVGNumber.format($0.x)),\(SVGNumber.format($0.y))" }.joined(separator: " ")
        let dash = dashed ? " stroke-dasharray=\"6 4\"" : ""
        append(
            element: "polyline",
            attributes:
                "points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(SVGNumber.format(strokeWidth))\" stroke-linejoin=\"round\"\(dash)"
                + classAttribute(cssClass), tooltip: tooltip)
    }

    mutating func circle(
        x: Double, y: Double, radius: Double, fill: String, stroke: String = "none",
        cssClass: String? = nil, tooltip: String? = nil
    ) {
        append(
            element: "circle",
            attributes:
                "cx=\"\(SVGNumber.format(x))\" cy=\"\(SVGNumber.format(y))\" r=\"\(SVGNumber.format(radius))\" fill=\"\(fill)\" stroke=\"\(stroke)\""
                + classAttribute(cssClass), tooltip: tooltip)
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(
        _ content: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12,
        weight: String = "normal", fill: String = Palette.text, rotate: Double? = nil, cssClass: String? = nil
    ) {
        let rotation =
            rotate.map {
                " transform=\"rotate(\(SVGNumber.format($0)) \(SVGNumber.format(x)) \(SVGNumber.format(y)))\""
            } ?? ""
        elements.append(
            "<text x=\"\(SVGNumber.format(x))\" y=\"\(SVGNumber.format(y))\" text-anchor=\"\(anchor.rawValue)\" font-size=\"\(SVGNumber.format(size))\" font-weight=\"\(weight)\" fill=\"\(fill)\"\(rotation)\(classAttribute(cssClass))>\(XMLEscaping.escape(content))</text>"
        )
    }

    /// Raw markup the canvas itself built (pattern definitions); never pass data through here.
    mutating func definitions(_ markup: String) {
        elements.insert("<defs>\(markup)</defs>", at: 0)
    }

    /// The chart as a standalone SVG element, with its title for screen readers.
    func render(title: String, cssClass: String = "chart") -> String {
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"\(cssClass)\" width=\"\(SVGNumber.format(width))\" height=\"\(SVGNumber.format(height))\" viewBox=\"0 0 \(SVGNumber.format(width)) \(SVGNumber.format(height))\" role=\"img\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">"
        svg += "<title>\(XMLEscaping.escape(title))</title>"
        svg += elements.joined()
        svg += "</svg>"
        return svg
    }

    private mutating func append(element: String, attributes: String, tooltip: String?) {
        if let tooltip {
            elements.append("<\(element) \(attributes)><title>\(XMLEscaping.escape(tooltip))</title></\(element)>")
        } else {
            elements.append("<\(element) \(attributes)/>")
        }
    }

    private func classAttribute(_ cssClass: String?) -> String {
        cssClass.map { " class=\"\($0)\"" } ?? ""
    }
}

/// Coordinates with two decimals at most: enough for a screen, and small files. Built
/// from integers because a report writes millions of them.
enum SVGNumber {
    static func format(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e13 else { return "0" }
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let whole = magnitude / 100, fraction = magnitude % 100
        if fraction == 0 { return sign + String(whole) }
        if fraction % 10 == 0 { return sign + String(whole) + "." + String(fraction / 10) }
        return sign + String(whole) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }
}
