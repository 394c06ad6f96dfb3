import ArgumentParser

struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Turn scraped MIDI folders into a clean, deduplicated, filtered, catalogued corpus.",
        subcommands: [CorpusIngestCommand.self, CorpusStatsCommand.self, CorpusListCommand.self])
}
