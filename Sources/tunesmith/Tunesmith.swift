import ArgumentParser

@main
struct Tunesmith: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tunesmith",
        abstract: "Repair, analyse and generate music from MIDI corpora.",
        subcommands: [Inspect.self, Repair.self, Render.self])
}
