import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An element of a parsed SVG or XHTML fragment, with its text (own and nested).
struct XMLElementNode {
    var name: String
    var attributes: [String: String]
    var text: String
    var depth: Int

    var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }
    func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }
}

/// Parses with Foundation's XMLParser; throws with the parser's line and reason when the
/// markup is not well-formed XML.
enum XMLTree {
    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var reason: String
        var description: String { "not well-formed XML at line \(line): \(reason)" }
    }

    static func parse(_ markup: String) throws -> [XMLElementNode] {
        let collector = Collector()
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = collector
        guard parser.parse() else {
            throw ParseError(line: parser.lineNumber, reason: parser.parserError.map { "\($0)" } ?? "unknown")
        }
        return collector.finished
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var open: [XMLElementNode] = []
        var finished: [XMLElementNode] = []

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            open.append(XMLElementNode(name: name, attributes: attributes, text: "", depth: open.count))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            for index in open.indices { open[index].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            finished.append(open.removeLast())
        }
    }
}

/// Every `<svg>…</svg>` in a page, in order.
func svgFragments(in html: String) -> [String] {
    var fragments: [String] = []
    var rest = html[...]
    while let start = rest.range(of: "<svg"),
        let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex)
    {
        fragments.append(String(rest[start.lowerBound..<end.upperBound]))
        rest = rest[end.upperBound...]
    }
    return fragments
}

/// Bars in document order, with their own tooltip text excluded.
func marks(_ nodes: [XMLElementNode], class cssClass: String) -> [XMLElementNode] {
    nodes.filter { $0.classes.contains(cssClass) }.sorted {
        ($0.number("x") ?? 0, $0.number("y") ?? 0) < ($1.number("x") ?? 0, $1.number("y") ?? 0)
    }
}
