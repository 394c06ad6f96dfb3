/// What the generation pipeline hands over after training: plain numbers, no model types,
/// so Reports does not depend on Generation.
public struct TrainingRunReport: Sendable, Hashable, Codable {
    public struct Setting: Sendable, Hashable, Codable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var name: String
    /// "LSTM", "WaveNet", "Transformer" …
    public var model: String
    /// Mean training loss per epoch, epoch 1 first.
    public var trainLoss: [Double]
    /// Mean validation loss per epoch; empty when the run had no validation set.
    public var validationLoss: [Double]
    /// What the loss is, with its unit ("cross-entropy, nats per token").
    public var lossName: String
    /// Settings in the order to show them (learning rate, batch size, sequence length, seed …).
    public var settings: [Setting]

    public init(
        name: String, model: String, trainLoss: [Double], validationLoss: [Double],
        lossName: String = "cross-entropy (nats per token)", settings: [Setting]
    ) {
        self.name = name
        self.model = model
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.lossName = lossName
        self.settings = settings
    }

    /// The epoch (from 1) with the lowest validation loss, or training loss without
    /// validation; nil when no epoch has a finite loss.
    public var bestEpoch: Int? {
        let losses = validationLoss.isEmpty ? trainLoss : validationLoss
        let finite = losses.enumerated().filter { $0.element.isFinite }
        return finite.min { $0.element < $1.element }.map { $0.offset + 1 }
    }
}

/// The page of one training run: its loss curves with the best epoch marked, and its settings.
public enum TrainingRunPage {
    /// - Parameter path: the page's path relative to the report root ("runs/lstm-1.html").
    public static func output(for run: TrainingRunReport, path: String, indexLink: String? = nil) -> PageOutput {
        let directory = path.split(separator: "/").dropLast().joined(separator: "/")
        let stem = String(path.split(separator: "/").last ?? "run").replacingOccurrences(of: ".html", with: "")
        var shelf = ChartShelf(folder: stem, pageDirectory: directory)
        let bestEpoch = run.bestEpoch
        var facts: [(label: String, value: String)] = [
            ("model", run.model), ("epochs", String(max(run.trainLoss.count, run.validationLoss.count))),
        ]
        if let bestEpoch {
            let losses = run.validationLoss.isEmpty ? run.trainLoss : run.validationLoss
            facts.append(("best epoch", String(bestEpoch)))
            facts.append(
                (
                    run.validationLoss.isEmpty ? "best training loss" : "best validation loss",
                    NumberText.value(losses[bestEpoch - 1])
                ))
        }
        let settings = HTMLPage.Table(
            columns: ["setting", "value"], rows: run.settings.map { [.init($0.name), .init($0.value)] },
            emptyMessage: "No settings were recorded.")
        let page = HTMLPage(
            title: run.name, subtitle: "Training run, \(run.model) model",
            breadcrumbs: indexLink.map { [("Reports", $0)] } ?? [],
            sections: [
                HTMLPage.Section(heading: "Overview", blocks: [.facts(facts)]),
                HTMLPage.Section(heading: "Loss", blocks: [shelf.place(lossChart(run, bestEpoch: bestEpoch))]),
                HTMLPage.Section(heading: "Settings", blocks: [.table(settings)]),
            ])
        return PageOutput(path: path, page: page, dataFiles: shelf.dataFiles)
    }

    /// Writes the page and its data into a report folder, creating it if needed.
    public static func write(_ run: TrainingRunReport, into folder: String, path: String = "index.html") throws {
        try ReportFolder(root: folder).write(output(for: run, path: path))
    }

    static func lossChart(_ run: TrainingRunReport, bestEpoch: Int?) -> Chart {
        func series(_ name: String, _ losses: [Double]) -> LineChart.Series {
            LineChart.Series(name: name, points: losses.enumerated().map { (x: Double($0.offset + 1), y: $0.element) })
        }
        var lines = [series("training", run.trainLoss)]
        if !run.validationLoss.isEmpty { lines.append(series("validation", run.validationLoss)) }
        let marker = bestEpoch.map { epoch -> LineChart.Marker in
            let losses = run.validationLoss.isEmpty ? run.trainLoss : run.validationLoss
            return LineChart.Marker(
                x: Double(epoch), y: losses[epoch - 1],
                label: "best epoch \(epoch): \(NumberText.value(losses[epoch - 1]))")
        }
        return LineChart(
            id: "loss", title: "Loss per epoch", series: lines, xLabel: "epoch", yLabel: run.lossName, marker: marker,
            caption:
                "The best epoch has the lowest \(run.validationLoss.isEmpty ? "training" : "validation") loss; a gap that widens after it means the model memorises its training set."
        ).render()
    }
}
