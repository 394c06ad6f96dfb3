import Foundation

/// The words-for-people rendering of an `AnalysisReport`.
public enum AnalysisText {
    public static func render(_ report: AnalysisReport) -> String {
        var lines = [report.file]
        let drums = report.drumNotes > 0 ? " (+\(report.drumNotes) drum notes)" : ""
        lines.append(
            "  \(report.notes) notes\(drums), \(report.measures) measures\(report.pickup ? " from a pickup bar 0" : "")"
        )
        if let key = report.key {
            var line =
                "  key (\(report.profile), \(report.weighting)-weighted): \(key.name), r = \(format(key.correlation))"
            if let confidence = key.confidence, report.candidates.count > 1 {
                line +=
                    "; runner-up \(report.candidates[1].name) \(format(report.candidates[1].correlation)), gap \(format(confidence))"
            }
            lines.append(line)
        } else if let message = report.message {
            lines.append("  \(message)")
        }
        if !report.keySignatures.isEmpty {
            let written = report.keySignatures.prefix(4).map { "\($0.name) @\($0.tick)" }.joined(separator: ", ")
            lines.append(
                "  key signatures written in the file (not used): \(written)\(report.keySignatures.count > 4 ? ", …" : "")"
            )
        }
        if report.notes > 0 {
            let names =
                report.key.map { Key(tonic: $0.tonicPitchClass, mode: $0.mode == "major" ? .major : .minor).spelling }
                ?? .sharps
            let total = report.pitchClassHistogram.reduce(0, +)
            let shares = report.pitchClassHistogram.enumerated().map {
                "\(names.name(ofPitchClass: $0.offset)) \(Int((100 * $0.element / total).rounded()))%"
            }
            lines.append("  pitch classes: \(shares.joined(separator: " "))")
            if let low = report.pitchHistogram.first, let high = report.pitchHistogram.last {
                let common = report.pitchHistogram.sorted { $0.weight > $1.weight }.prefix(3).map(\.name)
                lines.append("  range \(low.name)–\(high.name); most used \(common.joined(separator: ", "))")
            }
        }
        if !report.windows.isEmpty {
            lines.append("  keys per \(report.windowMeasures)-measure window: \(windowRuns(report.windows))")
        }
        for change in report.cleanup { lines.append("  cleanup: \(change.message)") }
        for finding in report.findings.prefix(8) {
            let track = finding.track.map { "track \($0), " } ?? ""
            lines.append(
                "  finding: byte \(finding.offset), \(track)\(finding.kind.rawValue) → \(finding.action.rawValue): \(finding.message)"
            )
        }
        if report.findings.count > 8 { lines.append("  … \(report.findings.count - 8) more findings (see --json)") }
        return lines.joined(separator: "\n")
    }

    /// Consecutive windows with the same key folded into one run: "m1–8 C major, m9 G major".
    static func windowRuns(_ windows: [AnalysisReport.WindowReport]) -> String {
        var runs: [String] = []
        var index = 0
        while index < windows.count {
            var end = index
            while end + 1 < windows.count && windows[end + 1].key == windows[index].key { end += 1 }
            let first = windows[index].firstMeasure, last = windows[end].firstMeasure
            let span = first == last ? "m\(first)" : "m\(first)–\(last)"
            runs.append("\(span) \(windows[index].key ?? "(no notes)")")
            index = end + 1
        }
        let shown = runs.prefix(24).joined(separator: ", ")
        return runs.count > 24 ? shown + ", … (\(runs.count) runs; see --json)" : shown
    }

    static func format(_ value: Double) -> String { String(format: "%.3f", value) }
}
