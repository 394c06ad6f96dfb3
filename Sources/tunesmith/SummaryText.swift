import Foundation
import MIDIFile

/// The words-for-people rendering of a `FileSummary`.
enum SummaryText {
    static func render(_ summary: FileSummary) -> String {
        var lines: [String] = []
        lines.append("\(summary.file)")
        lines.append(
            "  format \(summary.format), \(summary.division), \(summary.tracks.count) tracks, \(summary.notes) notes, \(String(format: "%.1f", summary.durationSeconds)) s"
        )
        for (index, track) in summary.tracks.enumerated() {
            let name = track.name.map { "\"\($0)\"" } ?? "(unnamed)"
            var detail = "\(track.events) events, \(track.notes) notes"
            if !track.channels.isEmpty {
                detail += ", channels \(track.channels.map(String.init).joined(separator: ","))"
            }
            if !track.programs.isEmpty {
                detail += ", programs \(track.programs.map(String.init).joined(separator: ","))"
            }
            lines.append("  track \(index) \(name): \(detail)")
        }
        if summary.tempos.count > 1 || summary.tempos.first?.tempo != TempoMap.defaultMicrosecondsPerQuarter {
            let tempos = summary.tempos.prefix(6).map { "\(String(format: "%.1f", $0.bpm)) bpm @\($0.tick)" }
            lines.append(
                "  tempo: \(tempos.joined(separator: ", "))\(summary.tempos.count > 6 ? ", … (\(summary.tempos.count) changes)" : "")"
            )
        }
        if !summary.timeSignatures.isEmpty {
            let meters = summary.timeSignatures.prefix(6).map {
                "\($0.value.numerator)/\($0.value.denominator) @\($0.tick)"
            }
            lines.append("  time signatures: \(meters.joined(separator: ", "))")
        }
        if !summary.keySignatures.isEmpty {
            let keys = summary.keySignatures.prefix(6).map { "\($0.value.name) @\($0.tick)" }
            lines.append("  key signatures: \(keys.joined(separator: ", "))")
        }
        if summary.findings.isEmpty {
            lines.append("  no defects found")
        } else {
            lines.append("  \(summary.findings.count) finding\(summary.findings.count == 1 ? "" : "s"):")
            for finding in summary.findings { lines.append("    " + describe(finding)) }
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ finding: Finding) -> String {
        let track = finding.track.map { "track \($0), " } ?? ""
        let repeats = finding.occurrences > 1 ? " (×\(finding.occurrences))" : ""
        return
            "byte \(finding.offset), \(track)\(finding.kind.rawValue) → \(finding.action.rawValue): \(finding.message)\(repeats)"
    }
}
