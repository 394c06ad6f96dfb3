import Foundation
import Utilities

/// Reads a file leniently and writes a clean, spec-valid copy; never touches the input.
public struct RepairReport: Codable, Hashable, Sendable {
    public var file: String
    public var output: String
    public var findings: [Finding]
    /// Meta events with invalid values that the clean copy leaves out.
    public var omittedInvalidEvents: Int
    public var notes: Int
}

public enum Repairer {
    public static func repair(_ input: String, to output: String, options: ReadOptions = ReadOptions()) throws
        -> RepairReport
    {
        let inputURL = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath()
        let outputURL = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath()
        guard inputURL.path != outputURL.path else {
            throw UnwritableFileError(
                file: output, reason: "it is the input file; choose an output folder other than the input's")
        }
        let result = try MIDIReader.read(contentsOf: input, options: options)
        let encoded = try MIDIWriter().write(result.file, to: output)
        let notes = result.file.tracks.reduce(0) { $0 + $1.pairNotes().notes.count }
        return RepairReport(
            file: input, output: output, findings: result.findings,
            omittedInvalidEvents: encoded.omittedInvalidEvents, notes: notes)
    }
}
