import ArgumentParser
import Corpus

struct CorpusStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract:
            "Counts from a corpus catalogue: sources by status and reason, repairs by kind, keys and instruments of the kept pieces."
    )

    @Argument(help: "The corpus folder (holding catalog.sqlite).")
    var corpus: String

    @OptionGroup var output: OutputArguments

    func run() throws {
        do {
            let stats = try CorpusStatistics.read(corpus: corpus)
            if output.json { JSONLine.print(stats) } else { print(CorpusText.render(stats)) }
        } catch {
            Diagnostics.warn(error)
            throw ExitCode(1)
        }
    }
}
