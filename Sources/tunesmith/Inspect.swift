import ArgumentParser
import MIDIFile

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a MIDI file's header, tracks, tempo, meter, key and every defect found.",
        discussion: "Exit status: 0 when every file was read (even with findings), 1 when a file held no MIDI data.")

    @Argument(help: "MIDI files to inspect.")
    var files: [String]

    @Flag(help: "One JSON object per file per line.")
    var json = false

    @Option(help: "Channel data bytes over 127: clip (to 127) or drop (the message).")
    var dataBytes: ReadOptions.OutOfRangeDataBytes = .clip

    func run() throws {
        var failed = false
        for path in files {
            do {
                let result = try MIDIReader.read(contentsOf: path, options: ReadOptions(outOfRangeDataBytes: dataBytes))
                let summary = FileSummary(file: path, result: result)
                if json { JSONLine.print(summary) } else { print(SummaryText.render(summary)) }
            } catch {
                failed = true
                if json { JSONLine.print(FailedFile(file: path, error: "\(error)")) }
                Diagnostics.warn(error)
            }
        }
        if failed { throw ExitCode(1) }
    }
}

struct FailedFile: Encodable {
    var file: String
    var error: String
}

extension ReadOptions.OutOfRangeDataBytes: ExpressibleByArgument {}
