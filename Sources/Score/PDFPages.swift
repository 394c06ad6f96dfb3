import Foundation

/// Page count and page cutting for the PDFs MuseScore writes (Qt's PDF 1.4 writer: one
/// flat page tree, a classic cross-reference table).
///
/// MuseScore cannot export only some pages, so `--pages N` keeps the first N by an
/// incremental update, the edit PDF itself defines: a new version of the page-tree
/// object listing fewer pages, appended with its own cross-reference section. The
/// original bytes stay untouched; readers use the newest version of each object.
public enum PDFPages {
    public struct UnreadablePDF: Error, Hashable, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { "the PDF MuseScore wrote cannot be read: \(reason)" }
    }

    public static func pageCount(_ pdf: [UInt8]) throws(UnreadablePDF) -> Int {
        try PageTree(pdf).kids.count
    }

    /// The PDF with only its first `limit` pages; unchanged when it has no more.
    public static func keepingFirst(_ limit: Int, of pdf: [UInt8]) throws(UnreadablePDF) -> [UInt8] {
        let tree = try PageTree(pdf)
        guard limit >= 1, tree.kids.count > limit else { return pdf }
        var dictionary = tree.dictionary
        let kids = tree.kids.prefix(limit).map { "\($0) 0 R" }.joined(separator: " ")
        dictionary.replaceSubrange(try range(of: #"/Kids\s*\[[^\]]*\]"#, in: dictionary), with: "/Kids [\(kids)]")
        dictionary.replaceSubrange(try range(of: #"/Count\s+\d+"#, in: dictionary), with: "/Count \(limit)")

        var out = pdf
        if out.last != UInt8(ascii: "\n") { out.append(UInt8(ascii: "\n")) }
        let objectOffset = out.count
        out += Array("\(tree.object) \(tree.generation) obj\n\(dictionary)\nendobj\n".utf8)
        let xrefOffset = out.count
        let entry = String(repeating: "0", count: 10 - String(objectOffset).count) + String(objectOffset)
        let generation = String(repeating: "0", count: 5 - String(tree.generation).count) + String(tree.generation)
        var trailer = "/Size \(tree.size) /Root \(tree.root) 0 R /Prev \(tree.startXref)"
        if let info = tree.info { trailer += " /Info \(info) 0 R" }
        out += Array(
            "xref\n\(tree.object) 1\n\(entry) \(generation) n \ntrailer\n<< \(trailer) >>\nstartxref\n\(xrefOffset)\n%%EOF\n"
                .utf8)
        return out
    }

    private static func range(of pattern: String, in text: String) throws(UnreadablePDF) -> Range<String.Index> {
        guard let found = text.range(of: pattern, options: .regularExpression) else {
            throw UnreadablePDF(reason: "the page tree has no \(pattern.prefix(6).dropFirst())")
        }
        return found
    }

    /// The root page-tree node, found from the last trailer (the newest version wins).
    private struct PageTree {
        var object: Int
        var generation: Int
        var dictionary: String
        var kids: [Int]
        var root: Int
        var info: Int?
        var size: Int
        var startXref: Int

        init(_ pdf: [UInt8]) throws(UnreadablePDF) {
            // Latin-1 keeps one character per byte, so binary streams cannot break the text.
            let text = String(pdf.map { Character(Unicode.Scalar($0)) })
            guard text.hasPrefix("%PDF-") else { throw UnreadablePDF(reason: "no %PDF- header") }
            guard let trailerStart = text.range(of: "trailer", options: .backwards),
                let startXrefRange = text.range(of: "startxref", options: .backwards)
            else {
                throw UnreadablePDF(reason: "no trailer (a cross-reference stream, which MuseScore does not write)")
            }
            let trailer = String(text[trailerStart.upperBound..<startXrefRange.lowerBound])
            guard let root = Self.reference("/Root", in: trailer), let size = Self.integer(after: "/Size", in: trailer),
                let startXref = Self.integer(after: "", in: String(text[startXrefRange.upperBound...]))
            else {
                throw UnreadablePDF(reason: "the trailer lacks /Root, /Size or the startxref offset")
            }
            guard let catalog = Self.objectBody(root, in: text), let pages = Self.reference("/Pages", in: catalog),
                let pagesBody = Self.objectBody(pages, in: text)
            else {
                throw UnreadablePDF(reason: "no page tree under the catalog object \(root)")
            }
            guard let kidsRange = pagesBody.range(of: #"/Kids\s*\[[^\]]*\]"#, options: .regularExpression) else {
                throw UnreadablePDF(reason: "the page tree object \(pages) has no /Kids")
            }
            let numbers = pagesBody[kidsRange].dropFirst(5).split(whereSeparator: { !$0.isNumber }).compactMap {
                Int($0)
            }
            // References come as triples "object generation R"; the R is dropped above.
            kids = stride(from: 0, to: numbers.count - 1, by: 2).map { numbers[$0] }
            guard let start = pagesBody.range(of: "<<"), let end = pagesBody.range(of: ">>", options: .backwards) else {
                throw UnreadablePDF(reason: "the page tree object \(pages) is not a dictionary")
            }
            object = pages
            generation = 0
            dictionary = String(pagesBody[start.lowerBound..<end.upperBound])
            self.root = root
            info = Self.reference("/Info", in: trailer)
            self.size = size
            self.startXref = startXref
        }

        /// The text between the newest "N 0 obj" and its "endobj".
        static func objectBody(_ number: Int, in text: String) -> Substring? {
            // Regular-expression search cannot run backwards, so walk the matches forward.
            var newest: Range<String.Index>?
            var searchStart = text.startIndex
            while let header = text.range(
                of: #"(^|[\r\n])\#(number) 0 obj"#, options: .regularExpression, range: searchStart..<text.endIndex)
            {
                newest = header
                searchStart = header.upperBound
            }
            guard let header = newest, let end = text.range(of: "endobj", range: header.upperBound..<text.endIndex)
            else { return nil }
            return text[header.upperBound..<end.lowerBound]
        }

        static func reference(_ key: String, in text: some StringProtocol) -> Int? {
            guard let range = text.range(of: key + #"\s+\d+\s+\d+\s+R"#, options: .regularExpression) else {
                return nil
            }
            return text[range].dropFirst(key.count).split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) }
        }

        static func integer(after key: String, in text: some StringProtocol) -> Int? {
            guard let range = text.range(of: key + #"\s*\d+"#, options: .regularExpression) else { return nil }
            return Int(text[range].dropFirst(key.count).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
