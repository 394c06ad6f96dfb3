import Foundation
import MusicTheory

/// The report's front page: what the corpus holds, what was wrong with it, its keys,
/// its frequencies, its folders, and a table of pieces linking to their pages.
enum CorpusPage {
    static func output(
        title: String, pieces: [ReportedPiece], unreadable: [UnreadableFile], catalogues: [CatalogueInput],
        options: AnalysisOptions
    ) -> PageOutput {
        var shelf = ChartShelf(folder: "corpus", pageDirectory: "")
        let (groups, groupedBy) = grouping(pieces)
        let totalNotes = pieces.reduce(0) { $0 + $1.pitchedNotes }
        let facts: [(label: String, value: String)] = [
            ("files", String(pieces.count + unreadable.count)),
            ("read as MIDI", String(pieces.count)),
            ("not MIDI", String(unreadable.count)),
            ("with defects repaired", String(pieces.filter { !$0.findings.isEmpty }.count)),
            ("pitched notes", NumberText.count(totalNotes)),
            ("with a key", String(pieces.filter { $0.key != nil }.count)),
            ("key profile", KeyProfile.named(options.profile).title),
        ]
        var frequencyBlocks: [HTMLPage.Block] = []
        if let linear = CorpusCharts.summed(pieces, \.histograms),
            let logarithmic = CorpusCharts.summed(pieces, \.logHistograms)
        {
            frequencyBlocks = [
                .row([
                    shelf.place(
                        PieceCharts.frequencyLinear(linear, weighting: options.weighting, scope: " over the corpus")),
                    shelf.place(
                        PieceCharts.frequencyLogarithmic(
                            logarithmic, weighting: options.weighting, tuning: options.tuning, scope: " over the corpus"
                        )),
                ])
            ]
        } else {
            frequencyBlocks = [.paragraph("No file could be read, so there are no notes to count.")]
        }
        let piecesLink = shelf.attach(name: "pieces.csv", contents: piecesTable(pieces).csv)
        let ingest = catalogues.enumerated().map { IngestSection.section($0.element, number: $0.offset, shelf: &shelf) }
        let sections =
            [
                HTMLPage.Section(heading: "Overview", blocks: [.facts(facts)])
            ] + ingest + [
                HTMLPage.Section(
                    heading: "Defects found on reading",
                    blocks: [
                        pieces.contains { !$0.findings.isEmpty } || !unreadable.isEmpty
                            ? shelf.place(CorpusCharts.defectKinds(pieces, unreadable: unreadable.count))
                            : .paragraph("Every file read as a standard MIDI file: nothing needed repair."),
                        .table(unreadableTable(unreadable)),
                    ]),
                HTMLPage.Section(
                    heading: "Keys",
                    blocks: [
                        .row([
                            shelf.place(CorpusCharts.keys(pieces)),
                            shelf.place(CorpusCharts.keyStrength(pieces)),
                        ])
                    ]),
                HTMLPage.Section(heading: "Frequencies", blocks: frequencyBlocks),
                HTMLPage.Section(
                    heading: "Pitch classes by \(groupedBy)",
                    blocks: [shelf.place(CorpusCharts.folderProfiles(groups, groupedBy: groupedBy))]),
                HTMLPage.Section(
                    heading: "Pieces",
                    blocks: [
                        .linkedParagraph(
                            "Every piece read, with a link to its page. The same table as CSV: ",
                            linkText: "pieces.csv", href: piecesLink),
                        .table(pieceLinks(pieces)),
                    ]),
            ]
        return PageOutput(
            path: "index.html", page: HTMLPage(title: title, subtitle: "\(pieces.count) pieces", sections: sections),
            dataFiles: shelf.dataFiles)
    }

    /// Groups by folder; a corpus in one flat folder is grouped by file-name prefix instead
    /// ("chpn-p1.mid" → "chpn"), which in collections such as piano-midi.de is the composer.
    static func grouping(_ pieces: [ReportedPiece]) -> (
        groups: [(name: String, pieces: [ReportedPiece])], groupedBy: String
    ) {
        let byFolder = Dictionary(grouping: pieces, by: \.input.folder)
        if byFolder.count > 1 || pieces.count < 2 { return (byFolder.map { ($0.key, $0.value) }, "folder") }
        let byPrefix = Dictionary(grouping: pieces) { piece -> String in
            let name = (piece.input.displayName as NSString).lastPathComponent
            let prefix = name.prefix { $0.isLetter }
            return prefix.isEmpty ? "other" : prefix.lowercased()
        }
        return (byPrefix.map { ($0.key, $0.value) }, "file-name prefix")
    }

    static func piecesTable(_ pieces: [ReportedPiece]) -> ChartTable {
        ChartTable(
            columns: ["file", "folder", "page", "pitched notes", "measures", "key", "correlation", "lead", "findings"],
            rows: pieces.map {
                [
                    $0.input.displayName, $0.input.folder, $0.pagePath, String($0.pitchedNotes), String($0.measures),
                    $0.key?.name ?? "",
                    $0.correlation.map(NumberText.data) ?? "", $0.confidence.map(NumberText.data) ?? "",
                    String($0.findings.count),
                ]
            })
    }

    static func pieceLinks(_ pieces: [ReportedPiece]) -> HTMLPage.Table {
        let rows = pieces.map { piece -> [HTMLPage.Table.Cell] in
            [
                .init(piece.input.displayName, link: piece.pagePath), .init(piece.input.folder),
                .number(piece.pitchedNotes), .number(piece.measures),
                .init(piece.key?.name ?? "—"), .init(piece.correlation.map(NumberText.value) ?? "—", isNumber: true),
                .init(String(piece.findings.count), isNumber: true, isWarning: !piece.findings.isEmpty),
            ]
        }
        return HTMLPage.Table(
            columns: ["piece", "folder", "pitched notes", "measures", "key", "r", "findings"], rows: rows,
            emptyMessage: "No piece could be read.")
    }

    static func unreadableTable(_ files: [UnreadableFile]) -> HTMLPage.Table {
        HTMLPage.Table(
            caption: "Files that are not MIDI", columns: ["file", "why"],
            rows: files.map { [.init($0.input.displayName), .init($0.reason, isWarning: true)] },
            emptyMessage: "Every file held MIDI data.")
    }
}
