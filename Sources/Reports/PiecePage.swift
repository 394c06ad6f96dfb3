import Foundation
import MIDIFile
import MusicTheory
import Score

/// The page of one piece: what it holds, its key and how the key moves, its pitch and
/// frequency distributions, its opening as a piano roll, and what was wrong with the file.
public enum PiecePage {
    /// - Parameters:
    ///   - path: the page's path relative to the report root ("pieces/chpn-p1.html").
    ///   - indexLink: the corpus page, relative to this page.
    public static func output(
        for analysis: FileAnalysis, displayName: String, path: String, indexLink: String,
        options: AnalysisOptions, pianoRollMeasures: Int, score: ScorePreview? = nil
    ) -> PageOutput {
        let directory = (path as NSString).deletingLastPathComponent
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var shelf = ChartShelf(folder: stem, pageDirectory: directory)
        let profile = KeyProfile.named(options.profile)

        let overview = HTMLPage.Section(
            heading: "Overview",
            blocks: [.facts(facts(analysis))] + (candidatesTable(analysis).map { [.table($0)] } ?? []))
        let keys = HTMLPage.Section(
            heading: "Key",
            blocks: [
                shelf.place(PieceCharts.windowedKeys(analysis, options: options)),
                shelf.place(PieceCharts.pitchClasses(analysis, profile: profile, weighting: options.weighting)),
            ])
        let pitches = HTMLPage.Section(
            heading: "Pitches and frequencies",
            blocks: [
                shelf.place(PieceCharts.pitchHistogram(analysis, weighting: options.weighting)),
                .row([
                    shelf.place(PieceCharts.frequencyLinear(analysis.histograms, weighting: options.weighting)),
                    shelf.place(
                        PieceCharts.frequencyLogarithmic(
                            PieceCharts.logHistograms(analysis.notes.notes, options: options),
                            weighting: options.weighting, tuning: options.tuning)),
                ]),
            ])
        let roll = HTMLPage.Section(
            heading: "Opening", blocks: [shelf.place(PieceCharts.pianoRoll(analysis, measures: pianoRollMeasures))])
        var findingBlocks: [HTMLPage.Block] = [.table(findingsTable(analysis.findings))]
        if !analysis.cleanup.isEmpty { findingBlocks.append(.table(cleanupTable(analysis.cleanup))) }
        let findings = HTMLPage.Section(heading: "Findings and repairs", blocks: findingBlocks)
        var sections = [overview, findings, keys, pitches, roll]
        if let score {
            sections.append(HTMLPage.Section(heading: "Score", blocks: [scoreBlock(score, pageDirectory: directory)]))
        }
        let page = HTMLPage(
            title: displayName, subtitle: analysis.file, breadcrumbs: [("Corpus", indexLink)], sections: sections)
        return PageOutput(path: path, page: page, dataFiles: shelf.dataFiles)
    }

    /// The engraved first page, or why there is none (MuseScore missing, timed out, …).
    static func scoreBlock(_ score: ScorePreview, pageDirectory: String) -> HTMLPage.Block {
        guard case .available(let svg, let pdf, let pages) = score else { return .paragraph(score.description) }
        func relative(_ path: String) -> String {
            let parts = path.split(separator: "/").map(String.init)
            return parts.suffix(2).joined(separator: "/")
        }
        return .image(
            source: relative(svg), alternative: "First page of the score",
            link: ("Whole score as PDF (\(pages) page\(pages == 1 ? "" : "s"))", relative(pdf)))
    }

    static func facts(_ analysis: FileAnalysis) -> [(label: String, value: String)] {
        var facts: [(label: String, value: String)] = [
            ("pitched notes", NumberText.count(analysis.pitchedNoteCount)),
            ("drum notes", String(analysis.drumNoteCount)),
            ("measures", String(analysis.meter.measures.count)),
            ("duration", durationText(analysis)),
            ("estimated key", analysis.key.map { $0.best.key.name } ?? "none"),
        ]
        if let key = analysis.key {
            facts.append(("correlation r", NumberText.value(key.best.correlation)))
            facts.append(("lead over runner-up", NumberText.value(key.confidence)))
        }
        let written = analysis.keySignatures.map(\.signature.name)
        facts.append(
            (
                "key signatures in the file",
                written.isEmpty ? "none" : Array(Set(written)).sorted().joined(separator: ", ")
            ))
        facts.append(("findings", String(analysis.findings.count)))
        return facts
    }

    static func durationText(_ analysis: FileAnalysis) -> String {
        let end = analysis.notes.notes.map { $0.onsetSeconds + $0.durationSeconds }.max() ?? 0
        let seconds = Int(end.rounded())
        return "\(seconds / 60):" + (seconds % 60 < 10 ? "0" : "") + "\(seconds % 60)"
    }

    /// The six best of the 24 keys, so a close call is visible.
    static func candidatesTable(_ analysis: FileAnalysis) -> HTMLPage.Table? {
        guard let key = analysis.key else { return nil }
        let rows = key.candidates.prefix(6).enumerated().map { rank, candidate -> [HTMLPage.Table.Cell] in
            [
                .number(rank + 1), .init(candidate.key.name),
                .init(NumberText.value(candidate.correlation), isNumber: true),
            ]
        }
        return HTMLPage.Table(caption: "Best keys of 24", columns: ["rank", "key", "correlation r"], rows: rows)
    }

    /// What track cleanup (`--clean`) removed before analysis.
    static func cleanupTable(_ changes: [CleanupChange]) -> HTMLPage.Table {
        HTMLPage.Table(
            caption: "Track cleanup", columns: ["track", "change", "count", "what was done"],
            rows: changes.map {
                [.number($0.track), .init($0.kind.rawValue), .number($0.count), .init($0.message)]
            })
    }

    static func findingsTable(_ findings: [Finding]) -> HTMLPage.Table {
        let rows = findings.map { finding -> [HTMLPage.Table.Cell] in
            [
                .number(finding.offset), .init(finding.track.map(String.init) ?? "—"),
                .init(finding.kind.rawValue, isWarning: true),
                .init(finding.action.rawValue), .number(finding.occurrences), .init(finding.message),
            ]
        }
        return HTMLPage.Table(
            columns: ["byte offset", "track", "defect", "repair", "times", "what was found"], rows: rows,
            emptyMessage: "No defects: the file reads as a standard MIDI file.")
    }
}
