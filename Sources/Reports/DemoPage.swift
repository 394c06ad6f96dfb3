import Foundation
import MusicTheory

/// The page `tunesmith demo` ends on: where the corpus report and the training run are,
/// the generated pieces to listen to, how they measure against the corpus, and the
/// command line of every step, so each can be re-run alone.
public struct DemoPage: Sendable {
    public struct Step: Sendable {
        public var name: String
        /// As a person would type it, quoted for a POSIX shell.
        public var command: String
        public var seconds: Double

        public init(name: String, command: String, seconds: Double) {
            self.name = name
            self.command = command
            self.seconds = seconds
        }
    }

    /// One measure of a generated piece and where it falls among the corpus's pieces.
    public struct Metric: Sendable {
        public var name: String
        public var value: Double
        /// 0…1 among the corpus pieces.
        public var percentile: Double
        /// Inside the corpus's 5th–95th percentile range.
        public var typical: Bool

        public init(name: String, value: Double, percentile: Double, typical: Bool) {
            self.name = name
            self.value = value
            self.percentile = percentile
            self.typical = typical
        }
    }

    /// A generated piece, by paths relative to the page, with its measures and piano roll.
    public struct Piece: Sendable {
        public var name: String
        public var midi: String
        public var audio: String
        public var metrics: [Metric]
        public var pianoRoll: Chart?

        public init(name: String, midi: String, audio: String, metrics: [Metric] = [], pianoRoll: Chart? = nil) {
            self.name = name
            self.midi = midi
            self.audio = audio
            self.metrics = metrics
            self.pianoRoll = pianoRoll
        }
    }

    /// Measures of the piano roll drawn for each piece.
    public static let pianoRollMeasures = 16

    /// The opening measures of a MIDI file as a piano roll, nil when it cannot be read.
    public static func pianoRoll(ofFile path: String, id: String) -> Chart? {
        guard let analysis = try? Analyzer.analyze(contentsOf: path, options: AnalysisOptions.standard) else {
            return nil
        }
        var chart = PieceCharts.pianoRoll(analysis, measures: pianoRollMeasures)
        chart.id = id
        return chart
    }

    public var corpus: String
    /// What was trained and how it went, e.g. "a WaveNet … trained for 3 minutes".
    public var training: String
    /// Relative paths of the corpus report and the training run's page.
    public var corpusReport: String
    public var trainingReport: String?
    public var pieces: [Piece]
    public var evaluation: String
    public var steps: [Step]
    /// Relative path of the audition page of the generated candidates, if one was written.
    public var auditionPage: String?

    public init(
        corpus: String, training: String, corpusReport: String, trainingReport: String?,
        pieces: [Piece], evaluation: String, steps: [Step], auditionPage: String? = nil
    ) {
        self.corpus = corpus
        self.training = training
        self.corpusReport = corpusReport
        self.trainingReport = trainingReport
        self.pieces = pieces
        self.evaluation = evaluation
        self.steps = steps
        self.auditionPage = auditionPage
    }

    public func page() -> HTMLPage {
        let total = steps.reduce(0) { $0 + $1.seconds }
        var reports: [HTMLPage.Block] = [
            .linkedParagraph(
                "The corpus, cleaned and analysed (repairs, keys per piece and per measure, pitch and frequency histograms, every piece): ",
                linkText: "corpus report", href: corpusReport)
        ]
        if let trainingReport {
            reports.append(
                .linkedParagraph(
                    "The model's losses per epoch, its best epoch and settings: ", linkText: "training run",
                    href: trainingReport))
        }
        if let auditionPage {
            reports.append(
                .linkedParagraph(
                    "The same seeds as candidates side by side, sortable, with keys, measures and the clearance verdict against the training pieces: ",
                    linkText: "audition page", href: auditionPage))
        }
        let players = pieces.map {
            HTMLPage.Block.audio(source: $0.audio, title: $0.name, link: (text: "MIDI file", href: $0.midi))
        }
        let stepRows = steps.map { step in
            [
                HTMLPage.Table.Cell(step.name), HTMLPage.Table.Cell(Self.format(seconds: step.seconds), isNumber: true),
                HTMLPage.Table.Cell(step.command),
            ]
        }
        return HTMLPage(
            title: "Tunesmith demo",
            subtitle:
                "\(corpus): ingested and analysed; \(training); \(pieces.count) new pieces generated, judged and rendered; \(Self.format(seconds: total)) in all.",
            sections: [
                HTMLPage.Section(heading: "Reports", blocks: reports),
                HTMLPage.Section(heading: "Generated pieces", blocks: [.row(players)]),
                HTMLPage.Section(heading: "Each piece against the corpus", blocks: pieces.flatMap(pieceBlocks)),
                HTMLPage.Section(
                    heading: "The set against the corpus, and the clearance check against the training pieces",
                    blocks: [.preformatted(evaluation)]),
                HTMLPage.Section(
                    heading: "Steps (each can be re-run alone)",
                    blocks: [
                        .table(HTMLPage.Table(columns: ["step", "time", "command"], rows: stepRows))
                    ]),
            ])
    }

    /// A piece's measures as a table of value and corpus percentile, then its piano roll.
    private func pieceBlocks(_ piece: Piece) -> [HTMLPage.Block] {
        let rows = piece.metrics.map { metric in
            [
                HTMLPage.Table.Cell(metric.name),
                HTMLPage.Table.Cell(String(format: "%.3f", metric.value), isNumber: true),
                HTMLPage.Table.Cell(String(format: "%.0f", metric.percentile * 100), isNumber: true),
                HTMLPage.Table.Cell(metric.typical ? "inside" : "outside", isWarning: !metric.typical),
            ]
        }
        var blocks: [HTMLPage.Block] = [
            .table(
                HTMLPage.Table(
                    caption: piece.name,
                    columns: ["measure", "value", "corpus percentile", "5–95 % range"],
                    rows: rows, emptyMessage: "no pitched notes to measure"))
        ]
        if let roll = piece.pianoRoll { blocks.append(.chart(roll, dataPath: piece.midi)) }
        return blocks
    }

    public static func format(seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.1f s", seconds) }
        return seconds < 60 ? "\(Int(seconds.rounded())) s" : "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
    }
}
