import ArgumentParser
import MIDIFile
import Utilities

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a MIDI file's header, tracks, tempo, meter, key and every defect found.",
        discussion: """
            Folders are walked recursively, in sorted order. Files are read on --jobs threads and shown in the \
            order given; with --json each file is one line. \
            Exit status: 0 when every file was read (even with findings), 1 when a file held no MIDI data.
            """)

    @Argument(help: "MIDI files or folders (walked for .mid, .midi, .kar, .rmi and .smf files).")
    var paths: [String]

    @OptionGroup var reading: ReadingArguments
    @OptionGroup var parallel: ParallelArguments
    @OptionGroup var output: OutputArguments

    func run() throws {
        let readOptions = reading.readOptions
        let files: [String]
        do {
            files = try InputFiles.midiFilesInFolders(paths)
        } catch {
            throw ValidationError(ErrorHints.message(for: error))
        }
        let frontend = BatchFrontend(json: output.json, inputCount: files.count)
        try frontend.process(files, jobs: parallel.jobs, text: SummaryText.render) { path, _ in
            FileSummary(file: path, result: try MIDIReader.read(contentsOf: path, options: readOptions))
        }
        try frontend.finish()
    }
}
