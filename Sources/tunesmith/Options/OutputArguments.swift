import ArgumentParser

/// How results are printed: words for people, or JSON lines for programs.
struct OutputArguments: ParsableArguments {
    @Flag(help: "Print JSON lines on standard output (one object per result) instead of text.")
    var json = false
}

/// What `-o` names for one command: the help differs from command to command, the option does not.
protocol OutputPathPurpose {
    static var help: String { get }
}

/// The file or folder a command writes what it makes into.
struct OutputPathArguments<Purpose: OutputPathPurpose>: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp(Purpose.help))
    var output: String
}
