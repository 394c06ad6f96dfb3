import Testing

@testable import Score

@Suite struct PDFPagesTests {
    /// A three-page PDF laid out as Qt writes one: catalog 1, page tree 2, pages 3–5, a
    /// classic xref table whose offsets are computed as the text is built.
    static func threePagePDF() -> [UInt8] {
        var text = "%PDF-1.4\n"
        var offsets: [Int] = []
        let objects = [
            "<<\n/Type /Catalog\n/Pages 2 0 R\n>>",
            "<<\n/Type /Pages\n/Kids \n[\n3 0 R\n4 0 R\n5 0 R\n]\n/Count 3\n/ProcSet [/PDF /Text]\n>>",
            "<<\n/Type /Page\n/Parent 2 0 R\n/MediaBox [0 0 595 842]\n>>",
            "<<\n/Type /Page\n/Parent 2 0 R\n/MediaBox [0 0 595 842]\n>>",
            "<<\n/Type /Page\n/Parent 2 0 R\n/MediaBox [0 0 595 842]\n>>",
        ]
        for (index, body) in objects.enumerated() {
            offsets.append(text.utf8.count)
            text += "\(index + 1) 0 obj\n\(body)\nendobj\n"
        }
        let xref = text.utf8.count
        text += "xref\n0 6\n0000000000 65535 f \n"
        for offset in offsets {
            text += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n"
        }
        text += "trailer\n<<\n/Size 6 \n/Root 1 0 R\n>>\nstartxref\n\(xref) \n%%EOF\n"
        return Array(text.utf8)
    }

    @Test func countsThePagesOfThePageTree() throws {
        #expect(try PDFPages.pageCount(Self.threePagePDF()) == 3)
    }

    @Test func keepingTheFirstPageAppendsAnUpdateThatListsOnlyIt() throws {
        let original = Self.threePagePDF()
        let cut = try PDFPages.keepingFirst(1, of: original)
        #expect(try PDFPages.pageCount(cut) == 1)
        #expect(Array(cut.prefix(original.count)) == original)
        let tail = String(decoding: cut.dropFirst(original.count), as: UTF8.self)
        #expect(tail.contains("2 0 obj"))
        #expect(tail.contains("/Kids [3 0 R]"))
        #expect(tail.contains("/ProcSet [/PDF /Text]"))
        #expect(
            tail.contains(
                "/Prev \(String(decoding: original, as: UTF8.self).components(separatedBy: "startxref\n")[1].prefix { $0.isNumber })"
            ))
    }

    /// The new xref entry must point exactly at the new object, or readers fall back to
    /// repairing the file.
    @Test func theUpdateXrefPointsAtTheNewObject() throws {
        let cut = try PDFPages.keepingFirst(2, of: Self.threePagePDF())
        let text = String(decoding: cut, as: UTF8.self)
        let entryLine = try #require(text.components(separatedBy: "xref\n2 1\n").last?.prefix(20))
        let offset = try #require(Int(entryLine.prefix(10)))
        #expect(String(decoding: cut[offset..<offset + 7], as: UTF8.self) == "2 0 obj")
        #expect(try PDFPages.pageCount(cut) == 2)
    }

    @Test func aLimitAtOrAboveThePageCountChangesNothing() throws {
        let original = Self.threePagePDF()
        #expect(try PDFPages.keepingFirst(3, of: original) == original)
        #expect(try PDFPages.keepingFirst(9, of: original) == original)
    }

    @Test func somethingElseIsRejectedWithAReason() {
        #expect(throws: PDFPages.UnreadablePDF.self) { try PDFPages.pageCount(Array("not a pdf".utf8)) }
    }
}
