import ArgumentParser
import Foundation
import MIDIFile

struct Repair: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a clean, standard copy of each MIDI file and report what was wrong with it.",
        discussion: "Inputs are never modified; each copy is written to a temporary file and renamed into place. Exit status: 0 when every file was repaired, 1 when a file held no MIDI data or could not be written.")

    @Argument(help: "MIDI files to repair.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "Folder for the clean copies (created if missing).")
    var output: String

    @Flag(help: "One JSON object per file per line.")
    var json = false

    @Option(help: "Channel data bytes over 127: clip (to 127) or drop (the message).")
    var dataBytes: ReadOptions.OutOfRangeDataBytes = .clip

    func run() throws {
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("--output \(output): cannot create the folder: \((error as NSError).localizedDescription)")
        }
        var failed = false
        for (input, destination) in zip(inputs, OutputNaming.paths(for: inputs, in: output, extension: "mid")) {
            do {
                let report = try Repairer.repair(input, to: destination, options: ReadOptions(outOfRangeDataBytes: dataBytes))
                if json {
                    JSONLine.print(report)
                } else {
                    let summary = report.findings.isEmpty ? "no defects" : "\(report.findings.count) finding\(report.findings.count == 1 ? "" : "s") repaired"
                    print("\(input) → \(destination): \(report.notes) notes, \(summary)")
                    for finding in report.findings { print("    " + SummaryText.describe(finding)) }
                    if report.omittedInvalidEvents > 0 {
                        print("    \(report.omittedInvalidEvents) invalid meta or sysex event\(report.omittedInvalidEvents == 1 ? "" : "s") left out of the clean copy")
                    }
                }
            } catch {
                failed = true
                if json { JSONLine.print(FailedFile(file: input, error: "\(error)")) }
                Diagnostics.warn(error)
            }
        }
        if failed { throw ExitCode(1) }
    }
}
