import Foundation

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

    /// A generated piece, by paths relative to the page.
    public struct Piece: Sendable {
        public var name: String
        public var midi: String
        public var audio: String

        public init(name: String, midi: String, audio: String) {
            self.name = name
            self.midi = midi
            self.audio = audio
        }
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

    public init(corpus: String, training: String, corpusReport: String, trainingReport: String?,
                pieces: [Piece], evaluation: String, steps: [Step]) {
        self.corpus = corpus
        self.training = training
        self.corpusReport = corpusReport
        self.trainingReport = trainingReport
        self.pieces = pieces
        self.evaluation = evaluation
        self.steps = steps
    }

    public func page() -> HTMLPage {
        let total = steps.reduce(0) { $0 + $1.seconds }
        var reports: [HTMLPage.Block] = [.linkedParagraph("The corpus, cleaned and analysed (repairs, keys per piece and per measure, pitch and frequency histograms, every piece): ",
                                                          linkText: "corpus report", href: corpusReport)]
        if let trainingReport {
            reports.append(.linkedParagraph("The model's losses per epoch, its best epoch and settings: ", linkText: "training run", href: trainingReport))
        }
        let players = pieces.map { HTMLPage.Block.audio(source: $0.audio, title: $0.name, link: (text: "MIDI file", href: $0.midi)) }
        let stepRows = steps.map { step in
            [HTMLPage.Table.Cell(step.name), HTMLPage.Table.Cell(Self.format(seconds: step.seconds), isNumber: true), HTMLPage.Table.Cell(step.command)]
        }
        return HTMLPage(
            title: "Tunesmith demo",
            subtitle: "\(corpus): ingested and analysed; \(training); \(pieces.count) new pieces generated, judged and rendered; \(Self.format(seconds: total)) in all.",
            sections: [
                HTMLPage.Section(heading: "Reports", blocks: reports),
                HTMLPage.Section(heading: "Generated pieces", blocks: [.row(players)]),
                HTMLPage.Section(heading: "Against the corpus, and whether they copy it", blocks: [.preformatted(evaluation)]),
                HTMLPage.Section(heading: "Steps (each can be re-run alone)", blocks: [
                    .table(HTMLPage.Table(columns: ["step", "time", "command"], rows: stepRows)),
                ]),
            ])
    }

    public static func format(seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.1f s", seconds) }
        return seconds < 60 ? "\(Int(seconds.rounded())) s" : "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
    }
}
