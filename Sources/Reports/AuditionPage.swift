import Clearance
import Foundation
import Score

/// The page `generate --count N -o DIR` writes: every candidate in one sortable table (a
/// player, the key found, the measures with their corpus percentiles, the clearance
/// verdict against the training pieces), then each one's piano roll and the command line
/// that writes it again alone.
public struct AuditionPage: Sendable {
    /// Whether a candidate may be cleared, as the clearance check `generate` ran found it.
    public struct Verdict: Sendable {
        public var verdict: Clearance.Verdict
        /// The training piece sharing the most melody with the candidate; nil when none shares a run.
        public var closest: MatchSummary?

        public init(verdict: Clearance.Verdict, closest: MatchSummary?) {
            self.verdict = verdict
            self.closest = closest
        }

        /// In plain words, for the table and the candidate's facts.
        var words: String {
            switch verdict {
            case .clear: "clear"
            case .review: "review: a person should listen"
            case .copy: "copy of a training piece"
            }
        }
    }

    public struct Candidate: Sendable {
        public var name: String
        public var seed: UInt64
        /// Paths relative to the page; no audio when rendering failed.
        public var midi: String
        public var audio: String?
        /// As the key finder of `analyze` names it, e.g. "D minor".
        public var key: String?
        public var notes: Int
        public var metrics: [DemoPage.Metric]
        public var verdict: Verdict
        /// The command line that writes this candidate alone, quoted for a POSIX shell.
        public var command: String
        /// What the candidate kept of a prompt, e.g. "kept 120 of 120 prompt notes; 40 new notes in 4 bars".
        public var promptNote: String?
        public var pianoRoll: Chart?
        /// The engraved first page (in `scores/` beside the page), or why there is none; nil when not asked for.
        public var score: ScorePreview?

        public init(
            name: String, seed: UInt64, midi: String, audio: String?, key: String?, notes: Int,
            metrics: [DemoPage.Metric], verdict: Verdict, command: String, promptNote: String? = nil,
            pianoRoll: Chart? = nil, score: ScorePreview? = nil
        ) {
            self.name = name
            self.seed = seed
            self.midi = midi
            self.audio = audio
            self.key = key
            self.notes = notes
            self.metrics = metrics
            self.verdict = verdict
            self.command = command
            self.promptNote = promptNote
            self.pianoRoll = pianoRoll
            self.score = score
        }
    }

    public var run: String
    /// The clearance index of the run's training pieces the candidates were checked against.
    public var clearanceIndex: String
    public var referencePieces: Int
    public var thresholds: VerdictThresholds
    /// How they were sampled, e.g. "temperature 0.9, top-p 0.9".
    public var settings: String
    public var candidates: [Candidate]

    public init(
        run: String, clearanceIndex: String, referencePieces: Int, thresholds: VerdictThresholds,
        settings: String, candidates: [Candidate]
    ) {
        self.run = run
        self.clearanceIndex = clearanceIndex
        self.referencePieces = referencePieces
        self.thresholds = thresholds
        self.settings = settings
        self.candidates = candidates
    }

    /// The anchor of a candidate's own section.
    static func anchor(_ candidate: Candidate) -> String { "candidate-\(candidate.name)" }

    public func page() -> HTMLPage {
        let metricNames = candidates.first?.metrics.map(\.name) ?? []
        let columns =
            [
                "candidate", "listen", "seed", "key", "notes", "verdict", "closest training piece", "shared notes",
                "percentile",
            ]
            + metricNames.map { "\($0) (corpus pct)" }
        let rows = candidates.map { candidate -> [HTMLPage.Table.Cell] in
            let verdict = candidate.verdict
            var cells: [HTMLPage.Table.Cell] = [
                HTMLPage.Table.Cell(candidate.name, link: "#" + Self.anchor(candidate)),
                HTMLPage.Table.Cell(
                    candidate.audio == nil ? "not rendered" : "", link: nil, sortKey: candidate.name,
                    audio: candidate.audio),
                HTMLPage.Table.Cell(String(candidate.seed), isNumber: true),
                HTMLPage.Table.Cell(candidate.key ?? "none"),
                .number(candidate.notes),
                HTMLPage.Table.Cell(
                    verdict.words, isWarning: verdict.verdict != .clear,
                    sortKey: String(Clearance.Verdict.allCases.firstIndex(of: verdict.verdict) ?? 0)),
                HTMLPage.Table.Cell(verdict.closest?.piece ?? "none"),
                HTMLPage.Table.Cell(
                    String(verdict.closest?.sharedNotes ?? 0), isNumber: true,
                    sortKey: String(verdict.closest?.sharedNotes ?? 0)),
                HTMLPage.Table.Cell(
                    String(format: "%.1f", verdict.closest?.percentile ?? 0), isNumber: true,
                    sortKey: String(verdict.closest?.percentile ?? 0)),
            ]
            for name in metricNames {
                guard let metric = candidate.metrics.first(where: { $0.name == name }) else {
                    cells.append(HTMLPage.Table.Cell("–", sortKey: ""))
                    continue
                }
                cells.append(
                    HTMLPage.Table.Cell(
                        String(format: "%.3f (%.0f)", metric.value, metric.percentile * 100), isNumber: true,
                        isWarning: !metric.typical, sortKey: String(metric.value)))
            }
            return cells
        }
        let clear = candidates.filter { $0.verdict.verdict == .clear }.count
        return HTMLPage(
            title: "Audition: \(candidates.count) candidates",
            subtitle:
                "Sampled from \(run) (\(settings)); \(clear) of \(candidates.count) clear of the \(referencePieces) training pieces by the clearance check. Click a column heading to sort; a measure's corpus percentile in red is outside the corpus's 5–95 % range.",
            sections: [
                HTMLPage.Section(
                    heading: "Candidates",
                    blocks: [.table(HTMLPage.Table(columns: columns, rows: rows, sortable: true))]),
                HTMLPage.Section(heading: "How to read the verdict", blocks: verdictExplanation()),
                HTMLPage.Section(heading: "Each candidate", blocks: candidates.flatMap(candidateBlocks)),
            ])
    }

    /// What the verdict columns mean, and where the side-by-side evidence comes from.
    private func verdictExplanation() -> [HTMLPage.Block] {
        let percent = { (value: Double) in String(format: "%g", value) }
        return [
            .paragraph(
                "Each candidate was checked with the clearance check against the \(referencePieces) pieces the model "
                    + "trained on, melody by melody, in any key and rhythm. A candidate is marked for review when its "
                    + "closest match shares more than \(percent(thresholds.review)) % of training pieces share with "
                    + "the closest training piece of another work, and counted as a copy above "
                    + "\(percent(thresholds.copy)) %."),
            .facts(ClearanceReportPage.glossary.filter { ["shared notes", "percentile"].contains($0.label) }),
            .paragraph(
                "Side-by-side piano rolls and audio of a candidate's closest passages: tunesmith clearance check "
                    + "CANDIDATE.mid --against \(clearanceIndex) -o REPORTDIR"),
        ]
    }

    private func candidateBlocks(_ candidate: Candidate) -> [HTMLPage.Block] {
        var facts: [(label: String, value: String)] = [
            ("candidate", candidate.name), ("key found", candidate.key ?? "none"), ("notes", String(candidate.notes)),
            ("verdict", candidate.verdict.words),
        ]
        if let closest = candidate.verdict.closest {
            facts.append(
                (
                    "closest training piece",
                    "\(closest.piece): \(closest.sharedNotes) notes shared (bars \(closest.queryBars[0])–"
                        + "\(closest.queryBars[1]) here, \(closest.sourceBars[0])–\(closest.sourceBars[1]) there), "
                        + String(format: "above %.1f %% of unrelated training pieces", closest.percentile)
                ))
        }
        if let promptNote = candidate.promptNote { facts.append(("prompt", promptNote)) }
        var blocks: [HTMLPage.Block] = [.facts(facts)]
        if var roll = candidate.pianoRoll {
            roll.id = Self.anchor(candidate)
            blocks.append(.chart(roll, dataPath: candidate.midi))
        } else {
            blocks.append(
                .linkedParagraph(
                    "No piano roll (no pitched notes); the file: ", linkText: candidate.midi, href: candidate.midi))
        }
        if let score = candidate.score { blocks.append(PiecePage.scoreBlock(score, pageDirectory: "")) }
        blocks.append(.paragraph("Write this candidate again alone:"))
        blocks.append(.preformatted(candidate.command))
        return blocks
    }
}
