import ArgumentParser
import Foundation

@main
struct Tunesmith: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tunesmith",
        abstract: "Repair, analyse and generate music from MIDI corpora.",
        subcommands: [
            Inspect.self, Repair.self, Analyze.self, Render.self, CorpusCommand.self, Report.self, Train.self,
            Generate.self, LikelihoodCommand.self, ExportDataset.self, Evaluate.self, ScoreCommand.self,
            ClearanceCommand.self,
            Demo.self,
        ])

    /// Usage errors exit with 2, as the project's commands document (argument parser's
    /// own default is 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if let message = ErrorHints.commandLineText(for: error) {
                Diagnostics.warn(message)
                exit(withError: ExitCode.failure)
            }
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
