import ArgumentParser
import Foundation
import MIDIFile

struct Repair: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Write a clean, standard copy of each MIDI file and report what was wrong with it.",
        discussion: """
            Inputs are never modified; each copy is written to a temporary file and renamed into place. Files are \
            repaired on --jobs threads and reported in the order given. Exit status: 0 when every file was \
            repaired, 1 when a file held no MIDI data or could not be written.
            """)

    @Argument(help: "MIDI files to repair.")
    var inputs: [String]

    @OptionGroup var destination: OutputPathArguments<CleanCopiesFolder>
    @OptionGroup var reading: ReadingArguments
    @OptionGroup var parallel: ParallelArguments
    @OptionGroup var output: OutputArguments

    enum CleanCopiesFolder: OutputPathPurpose {
        static let help = "Folder for the clean copies (created if missing)."
    }

    func run() throws {
        let folder = destination.output
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw ValidationError(
                "--output \(folder): cannot create the folder: \((error as NSError).localizedDescription)")
        }
        let readOptions = reading.readOptions
        let copies = OutputNaming.paths(for: inputs, in: folder, extension: "mid")
        let frontend = BatchFrontend(json: output.json, inputCount: inputs.count)
        try frontend.process(inputs, jobs: parallel.jobs, text: Self.describe) { input, position in
            try Repairer.repair(input, to: copies[position], options: readOptions)
        }
        try frontend.finish()
    }

    static func describe(_ report: RepairReport) -> String {
        let count = report.findings.count
        let summary = count == 0 ? "no defects" : "\(count) finding\(count == 1 ? "" : "s") repaired"
        var lines = ["\(report.file) → \(report.output): \(report.notes) notes, \(summary)"]
        lines += report.findings.map { "    " + SummaryText.describe($0) }
        let omitted = report.omittedInvalidEvents
        if omitted > 0 {
            let events = "invalid meta or sysex event\(omitted == 1 ? "" : "s")"
            lines.append("    \(omitted) \(events) left out of the clean copy")
        }
        return lines.joined(separator: "\n")
    }
}
