import Clearance
import Foundation
import MusicTheory

/// The clearance report of one checked piece, written for a lawyer: the verdict and why in
/// plain words, where the piece stands among human pieces of the catalogue, and for each
/// closest match the two passages side by side, as piano rolls and as audio.
public struct ClearanceReportPage: Sendable {
    /// Sound and MIDI files of one match's two passages, by paths relative to the page.
    public struct PassageFiles: Sendable {
        public var queryAudio: String
        public var sourceAudio: String
        public var queryMIDI: String
        public var sourceMIDI: String

        public init(queryAudio: String, sourceAudio: String, queryMIDI: String, sourceMIDI: String) {
            self.queryAudio = queryAudio
            self.sourceAudio = sourceAudio
            self.queryMIDI = queryMIDI
            self.sourceMIDI = sourceMIDI
        }
    }

    public var result: CheckResult
    public var query: ClearancePiece
    public var baseline: Baseline
    public var thresholds: VerdictThresholds
    /// Per match, in the order of `result.matches`; nil where the passages were not rendered.
    public var passageFiles: [PassageFiles?]

    public init(
        result: CheckResult, query: ClearancePiece, baseline: Baseline, thresholds: VerdictThresholds,
        passageFiles: [PassageFiles?]
    ) {
        self.result = result
        self.query = query
        self.baseline = baseline
        self.thresholds = thresholds
        self.passageFiles = passageFiles
    }

    /// The page at `path` (relative to the report folder) with its chart data beside it.
    public func output(path: String) -> PageOutput {
        let directory = (path as NSString).deletingLastPathComponent
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        var shelf = ChartShelf(folder: stem + "-data", pageDirectory: directory)
        var sections = [
            HTMLPage.Section(
                heading: "Verdict: \(result.verdict.rawValue)", blocks: verdictExplanation().map { .paragraph($0) }),
            HTMLPage.Section(heading: "How to read this report", blocks: [.facts(Self.glossary)]),
            HTMLPage.Section(
                heading: "Where this piece stands among human pieces",
                blocks: [
                    shelf.place(
                        BaselineChart(
                            baseline: baseline, thresholds: thresholds, checkedScore: result.matches.first?.score
                        ).render())
                ]),
        ]
        for (number, (summary, match)) in zip(result.matches, result.details).enumerated() {
            sections.append(
                matchSection(
                    number: number + 1, summary: summary, match: match, shelf: &shelf,
                    files: number < passageFiles.count ? passageFiles[number] : nil))
        }
        if result.matches.isEmpty {
            sections.append(
                HTMLPage.Section(
                    heading: "Matches",
                    blocks: [
                        .paragraph(
                            "No run of \(Seeds.stepLength + 1) notes of this "
                                + "piece's melodies, in any key, occurs in the catalogue."
                        )
                    ]))
        }
        let page = HTMLPage(
            title: "Clearance report: \((result.file as NSString).lastPathComponent)",
            subtitle: "\(result.file), checked against a catalogue of \(baseline.pieceCount) pieces.",
            sections: sections)
        return PageOutput(path: path, page: page, dataFiles: shelf.dataFiles)
    }

    func verdictExplanation() -> [String] {
        let rules =
            "A piece is marked for review when its closest match shares more than \(Self.percent(thresholds.review)) % "
            + "of catalogue pieces share with their own closest unrelated piece, "
            + "and counted as a copy above \(Self.percent(thresholds.copy)) %."
        guard let best = result.matches.first else {
            return [
                "This piece shares no melodic run of \(Seeds.stepLength + 1) "
                    + "notes with any catalogue piece, in any key or rhythm.",
                rules,
            ]
        }
        let standing =
            "Its closest match, \(best.piece), shares \(best.sharedNotes) notes of melody with it "
            + "(score \(Self.score(best.score))). That is more than "
            + "\(Self.percent(best.percentile)) % of catalogue pieces share "
            + "with the closest piece of another work in the same catalogue."
        let meaning: String
        switch result.verdict {
        case .clear:
            meaning =
                "Human composers in this catalogue borrow at least this "
                + "much from each other, so the overlap is ordinary."
        case .review:
            meaning =
                "Few human pieces in the catalogue share this much with "
                + "another work: a person should listen to the passages below."
        case .copy:
            meaning =
                "Almost no human piece in the catalogue shares this much with another "
                + "work: treat the passages below as copied unless a person finds otherwise."
        }
        return [standing, meaning, rules]
    }

    static let glossary: [(label: String, value: String)] = [
        (
            "melody",
            "a line of single notes a listener follows: the top notes of "
                + "the piece, of one instrument, or one voice within an instrument"
        ),
        (
            "notes of several voices",
            "a melody moved into the middle of the music, played now by one voice and now by another: its notes are "
                + "taken from whichever voice or instrument plays them at the moments the catalogue piece's rhythm "
                + "gives, and compared as one melody"
        ),
        (
            "shared notes",
            "notes of the two melodies that follow each other in the same steps up and down, after moving one melody "
                + "to the other's key; notes added in one (ornaments, passing notes) are skipped"
        ),
        (
            "score",
            "the shared notes, each counted by how rare its few-note pattern is in the catalogue: a common scale or "
                + "broken chord counts for almost nothing, a pattern few pieces hold "
                + "counts for nearly 1; skipped or differing notes subtract a little"
        ),
        (
            "percentile",
            "the share of catalogue pieces whose closest match with another work scores lower than this match"
        ),
        ("bar:beat", "the bar number and the beat within it (quarter notes, from 1) where a passage starts or ends"),
        (
            "tempo, key, rhythm",
            "melodies are compared in beats and in steps between notes, so a change of tempo or key, "
                + "doubled or halved note lengths, or swing do not hide a borrowing"
        ),
    ]

    private func matchSection(
        number: Int, summary: MatchSummary, match: PieceMatch, shelf: inout ChartShelf,
        files: PassageFiles?
    ) -> HTMLPage.Section {
        let sourceName = (summary.piece as NSString).lastPathComponent
        let queryLine = match.queryLine, sourceLine = match.piece.piece.lines[match.sourceLine]
        var blocks: [HTMLPage.Block] = [
            .facts([
                ("catalogue piece", summary.piece),
                (
                    "score",
                    "\(Self.score(summary.score)) (above \(Self.percent(summary.percentile)) % of catalogue pieces)"
                ),
                ("shared notes", String(summary.sharedNotes)),
                ("in this piece", "\(summary.queryStart) to \(summary.queryEnd), \(queryLine.source.label)"),
                ("in \(sourceName)", "\(summary.sourceStart) to \(summary.sourceEnd), \(sourceLine.source.label)"),
                ("key", Self.transpositionText(match.alignment.transposition)),
            ])
        ]
        let pairs = match.alignment.pairs
        let rolls: [HTMLPage.Block] = [
            shelf.place(
                Self.roll(
                    id: "match\(number)-this-piece", title: "This piece", piece: query, line: queryLine,
                    shared: Set(pairs.map(\.query)))),
            shelf.place(
                Self.roll(
                    id: "match\(number)-catalogue", title: sourceName, piece: match.piece.piece, line: sourceLine,
                    shared: Set(pairs.map(\.source)))),
        ]
        blocks.append(.row(rolls))
        if let files {
            blocks.append(
                .row([
                    .audio(
                        source: files.queryAudio, title: "This piece, \(summary.queryStart) to \(summary.queryEnd)",
                        link: (text: "MIDI file", href: files.queryMIDI)),
                    .audio(
                        source: files.sourceAudio,
                        title: "\(sourceName), \(summary.sourceStart) to \(summary.sourceEnd)",
                        link: (text: "MIDI file", href: files.sourceMIDI)),
                ]))
        } else {
            blocks.append(.paragraph("The passages were not rendered to audio (no soundfont was found)."))
        }
        return HTMLPage.Section(heading: "Match \(number): \(sourceName)", blocks: blocks)
    }

    /// The matched stretch of one melody, shared notes in the second colour.
    static func roll(id: String, title: String, piece: ClearancePiece, line: MelodicLine, shared: Set<Int>) -> Chart {
        let first = shared.min() ?? 0, last = shared.max() ?? 0
        let notes = (first...last).map { index in
            let note = line.notes[index]
            return PianoRoll.Note(
                startBeat: Double(note.onsetBeats), endBeat: Double(note.onsetBeats + note.durationBeats),
                pitch: Int(note.pitch), name: Pitch.name(of: Int(note.pitch)), voice: shared.contains(index) ? 1 : 0)
        }
        let startBeat = line.notes[first].onsetBeats
        let endBeat = notes.map(\.endBeat).max() ?? Double(startBeat)
        let firstBar = piece.barStartBeats.isEmpty ? 0 : piece.barStartBeats.lastIndex(atMost: startBeat) { $0 }
        var barLines = piece.barStartBeats.enumerated().filter { $0.offset >= firstBar && Double($0.element) < endBeat }
            .map { PianoRoll.BarLine(measure: piece.firstBarNumber + $0.offset, beat: Double($0.element)) }
        if barLines.isEmpty { barLines = [PianoRoll.BarLine(measure: piece.firstBarNumber, beat: Double(startBeat))] }
        var roll = PianoRoll(
            id: id, title: title, notes: notes, barLines: barLines, endBeat: endBeat,
            voiceNames: [0: "not shared", 1: "shared"],
            caption: "Notes of the melody from the first to the last shared note; shared notes in orange.")
        roll.width = 460
        roll.height = 260
        return roll.render()
    }

    static func transpositionText(_ semitones: Int) -> String {
        if semitones == 0 { return "the same key" }
        let unit = abs(semitones) == 1 ? "semitone" : "semitones"
        return "this piece is \(abs(semitones)) \(unit) \(semitones > 0 ? "higher" : "lower")"
    }

    static func percent(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    static func score(_ value: Float) -> String { String(format: "%.1f", Double(value)) }
}
