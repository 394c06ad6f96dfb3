import ArgumentParser

struct ClearanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clearance",
        abstract: "Show that a piece is not a copy: index a catalogue's melodies, then check pieces against it.",
        subcommands: [ClearanceIndexCommand.self, ClearanceCheckCommand.self])
}
