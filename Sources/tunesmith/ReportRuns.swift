import Foundation
import Generation
import Reports

/// `tunesmith report RUNFOLDER`: a training run's page from the folder `tunesmith train`
/// wrote (history.json per epoch, run.json with the options), handed to Reports as plain numbers.
enum TrainingRunFolders {
    static func isRunFolder(_ path: String) -> Bool {
        let folder = RunFolder(path)
        return FileManager.default.fileExists(atPath: folder.historyFile)
            && FileManager.default.fileExists(atPath: folder.runFile)
    }

    static func report(_ path: String) throws -> TrainingRunReport {
        let folder = RunFolder(path)
        let history = try folder.read([EpochRecord].self, from: folder.historyFile).sorted { $0.epoch < $1.epoch }
        let description = try folder.read(RunFolder.Description.self, from: folder.runFile)
        var settings = try flattened(description.options)
        settings.append(
            .init(
                "pieces (training / validation / test)",
                "\(description.training.count) / \(description.validation.count) / \(description.test.count)"))
        if let last = history.last { settings.append(.init("last learning rate", "\(last.learningRate)")) }
        settings.append(.init("training time (s)", String(format: "%.0f", history.reduce(0) { $0 + $1.seconds })))
        return TrainingRunReport(
            name: URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent,
            model: description.options.model.rawValue,
            trainLoss: history.map(\.trainLoss), validationLoss: history.map(\.validationLoss), settings: settings)
    }

    /// The options as name–value rows, in the order of their names.
    private static func flattened(_ options: TrainingOptions) throws -> [TrainingRunReport.Setting] {
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(options)) as? [String: Any] ?? [:]
        return object.keys.sorted().map { key in
            let value = object[key]!
            let text = (value as? [Any]).map { $0.map { "\($0)" }.joined(separator: ", ") } ?? "\(value)"
            return TrainingRunReport.Setting(key, text)
        }
    }

    /// Writes OUTPUT/runs/NAME.html per run; returns the pages written.
    static func write(_ paths: [String], into output: String) throws -> [String] {
        var pages: [String] = []
        for path in paths {
            let run = try report(path)
            let page = "runs/\(run.name).html"
            try TrainingRunPage.write(run, into: output, path: page)
            pages.append((output as NSString).appendingPathComponent(page))
        }
        return pages
    }
}
