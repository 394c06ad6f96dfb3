import ArgumentParser
import MIDIFile

/// How MIDI files are read, for every command that reads them.
struct ReadingArguments: ParsableArguments {
    @Option(help: "Channel data bytes over 127: clip (to 127) or drop (the message).")
    var dataBytes: ReadOptions.OutOfRangeDataBytes = .clip

    var readOptions: ReadOptions { ReadOptions(outOfRangeDataBytes: dataBytes) }
}

extension ReadOptions.OutOfRangeDataBytes: ExpressibleByArgument {}
