import ArgumentParser
import MIDIFile

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a MIDI file's header, tracks, tempo, meter, key and every defect found.",
        discussion: """
            Files are read on --jobs threads and shown in the order given; with --json each file is one line. \
            Exit status: 0 when every file was read (even with findings), 1 when a file held no MIDI data.
            """)

    @Argument(help: "MIDI files to inspect.")
    var files: [String]

    @OptionGroup var reading: ReadingArguments
    @OptionGroup var parallel: ParallelArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        let readOptions = reading.readOptions
        let frontend = BatchFrontend(json: output.json, inputCount: files.count)
        try frontend.process(files, jobs: parallel.jobs, text: SummaryText.render) { path, _ in
            FileSummary(file: path, result: try MIDIReader.read(contentsOf: path, options: readOptions))
        }
        try frontend.finish()
    }
}
