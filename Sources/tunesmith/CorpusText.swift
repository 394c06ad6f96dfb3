import Corpus
import Foundation

/// Corpus results in words for people.
enum CorpusText {
    static func render(_ summary: IngestSummary) -> String {
        var lines = [
            "\(summary.corpus): scanned \(summary.scanned) files in \(String(format: "%.2f", summary.seconds)) s"
        ]
        if summary.resumedInterruptedRuns > 0 {
            lines.append(
                "  completed the work of \(summary.resumedInterruptedRuns) interrupted ingest\(summary.resumedInterruptedRuns == 1 ? "" : "s")"
            )
        }
        if summary.unchanged > 0 {
            lines.append("  unchanged   \(summary.unchanged) (already catalogued with these filters)")
        }
        if summary.processed == 0 {
            lines.append("  nothing to do")
            return lines.joined(separator: "\n")
        }
        lines.append("  clean       \(summary.clean)")
        lines.append("  repaired    \(summary.repaired)")
        lines.append("  rejected    \(summary.rejected)" + breakdown(summary.rejectedByReason))
        lines.append("  duplicates  \(summary.duplicates)" + breakdown(summary.duplicatesByReason))
        lines.append("  skipped     \(summary.skipped)" + breakdown(summary.skippedByReason))
        if !summary.repairsByKind.isEmpty {
            lines.append("  repairs in kept pieces (files per kind):")
            lines += table(summary.repairsByKind)
        }
        return lines.joined(separator: "\n")
    }

    static func render(_ stats: CorpusStatistics) -> String {
        var lines = [
            "\(stats.corpus): \(stats.sources) source files catalogued (schema \(stats.schemaVersion)), \(stats.runs) ingest runs"
                + (stats.interruptedRuns > 0
                    ? ", \(stats.interruptedRuns) interrupted: run ingest again to complete" : "")
        ]
        for status in SourceStatus.allCases {
            let count = stats.byStatus[status.rawValue] ?? 0
            let reasons: [String: Int] =
                switch status {
                case .rejected: stats.rejectedByReason
                case .duplicate: stats.duplicatesByReason
                case .skipped: stats.skippedByReason
                default: [:]
                }
            lines.append(
                "  \(status.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(count)" + breakdown(reasons))
        }
        lines.append(
            "kept: \(stats.keptPieces) pieces, \(stats.keptNotes) notes, \(String(format: "%.1f", stats.keptSeconds / 3600)) hours"
        )
        if !stats.repairsByKind.isEmpty {
            lines.append("repairs in kept pieces (files per kind):")
            lines += table(stats.repairsByKind)
        }
        if !stats.keptByKey.isEmpty {
            lines.append(
                "keys: "
                    + stats.keptByKey.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }
                    .joined(separator: ", "))
        }
        if !stats.keptByFamily.isEmpty {
            lines.append(
                "instrument families (pieces): "
                    + stats.keptByFamily.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map {
                        "\($0.key) \($0.value)"
                    }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    static func render(_ piece: CataloguedPiece) -> String {
        var line = "\(piece.status.padding(toLength: 9, withPad: " ", startingAt: 0)) \(piece.path)"
        if let summary = piece.summary {
            line += "  \(summary.notes) notes, \(String(format: "%.1f", summary.durationSeconds)) s"
            if let key = summary.key, let correlation = summary.keyCorrelation {
                line += ", \(key) (r=\(String(format: "%.2f", correlation)))"
            }
        }
        if let reason = piece.reason { line += "  — \(reason)" }
        if let clean = piece.cleanFile { line += "  → \(clean)" }
        return line
    }

    private static func breakdown(_ counts: [String: Int]) -> String {
        counts.isEmpty
            ? ""
            : "  ("
                + counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map {
                    "\($0.key.replacingOccurrences(of: "_", with: " ")) \($0.value)"
                }.joined(separator: ", ") + ")"
    }

    private static func table(_ counts: [String: Int]) -> [String] {
        counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map {
            "    \(String($0.value).leftPadded(to: 5))  \($0.key)"
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
