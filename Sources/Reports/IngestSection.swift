import Corpus

/// What `corpus ingest` did to a corpus, from its catalogue: every source file's fate,
/// why files were turned away, and which repairs the kept pieces needed.
enum IngestSection {
    static func section(_ catalogue: CatalogueInput, number: Int, shelf: inout ChartShelf) -> HTMLPage.Section {
        let stats = catalogue.statistics
        let suffix = number == 0 ? "" : "-\(number + 1)"
        let facts: [(label: String, value: String)] = [
            ("source files", NumberText.count(stats.sources)),
            ("kept pieces", String(stats.keptPieces)),
            ("kept notes", NumberText.count(stats.keptNotes)),
            ("kept hours", NumberText.value(stats.keptSeconds / 3600)),
            ("ingest runs", String(stats.runs)),
            ("interrupted runs", String(stats.interruptedRuns)),
        ]
        let statusBars = SourceStatus.allCases.map { status in
            BarChart.Bar(
                label: status.rawValue, value: Double(stats.byStatus[status.rawValue] ?? 0),
                color: status.isKept ? Palette.series(2) : status == .rejected ? Palette.overlay : Palette.axis)
        }
        let reasonBars = [
            ("rejected", stats.rejectedByReason), ("duplicate", stats.duplicatesByReason),
            ("skipped", stats.skippedByReason),
        ]
        .flatMap { status, reasons in
            reasons.map { BarChart.Bar(label: "\(status): \($0.key)", value: Double($0.value)) }
        }
        let repairBars = stats.repairsByKind.map { BarChart.Bar(label: $0.key, value: Double($0.value)) }

        var blocks: [HTMLPage.Block] = [
            .facts(facts),
            shelf.place(
                HorizontalBarChart(
                    id: "ingest-status\(suffix)", title: "Source files by outcome", bars: statusBars,
                    valueLabel: "files",
                    caption: "Clean and repaired files are kept (green); the others are not in the corpus."
                ).render()),
        ]
        blocks.append(
            reasonBars.isEmpty
                ? .paragraph("No file was rejected, found twice or skipped.")
                : shelf.place(
                    HorizontalBarChart(
                        id: "ingest-reasons\(suffix)", title: "Files not kept, by reason", bars: reasonBars,
                        valueLabel: "files"
                    ).render()))
        blocks.append(
            repairBars.isEmpty
                ? .paragraph("No kept piece needed a repair.")
                : shelf.place(
                    HorizontalBarChart(
                        id: "ingest-repairs\(suffix)", title: "Kept pieces by repair", bars: repairBars,
                        valueLabel: "pieces",
                        caption: "A piece with several kinds of repair counts once under each."
                    ).render()))
        let turnedAway = catalogue.rows.filter { SourceStatus(rawValue: $0.status)?.isKept != true }
        blocks.append(
            .table(
                HTMLPage.Table(
                    caption: "Files not kept", columns: ["file", "outcome", "reason", "duplicate of"],
                    rows: turnedAway.map {
                        [
                            .init($0.path), .init($0.status, isWarning: $0.status != SourceStatus.duplicate.rawValue),
                            .init($0.reason ?? $0.reasonCode ?? ""), .init($0.duplicateOf ?? ""),
                        ]
                    }, emptyMessage: "Every source file was kept.")))
        return HTMLPage.Section(heading: "Ingest summary of \(catalogue.directory)", blocks: blocks)
    }
}
