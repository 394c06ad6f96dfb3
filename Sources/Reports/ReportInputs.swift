import Foundation
import MIDIFile
import MusicTheory
import Utilities

/// A MIDI file to report on: where it is, what to call it, and the folder it is grouped under.
public struct ReportInput: Sendable, Hashable {
    public var path: String
    /// Path relative to the folder it was found in (the file name for files given directly).
    public var displayName: String
    /// Folder relative to the given folder ("jazz/need_to_be_preprocessed"), or the given
    /// folder's own name for files directly in it.
    public var folder: String

    /// Files named on the command line and every MIDI file under folders named there; an
    /// ingested corpus folder gives its kept pieces and its catalogue.
    static func resolve(_ paths: [String]) throws -> (inputs: [ReportInput], catalogues: [CatalogueInput]) {
        var inputs: [ReportInput] = []
        var catalogues: [CatalogueInput] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ReportInputError(path: path)
            }
            let rootName = URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
            guard isDirectory.boolValue else {
                let parent = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
                    .lastPathComponent
                inputs.append(ReportInput(path: path, displayName: rootName, folder: parent))
                continue
            }
            if let catalogue = try CatalogueInput.open(path) {
                catalogues.append(catalogue)
                inputs += catalogue.reportInputs
                continue
            }
            let prefix = path.hasSuffix("/") ? path : path + "/"
            for file in try InputFiles.midiFiles(in: [path]) {
                let relative = file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
                let directory = (relative as NSString).deletingLastPathComponent
                inputs.append(
                    ReportInput(path: file, displayName: relative, folder: directory.isEmpty ? rootName : directory))
            }
        }
        return (inputs, catalogues)
    }
}

public struct ReportInputError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var description: String { "\(path): no such file or folder; check the spelling" }
}

/// Page names that are safe in any file system and unique within one report.
struct PageNames {
    private var used: Set<String> = []

    mutating func name(for displayName: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        var stem = String(displayName.map { $0 == "/" ? "_" : allowed.contains($0) ? $0 : "-" })
        if let dot = stem.lastIndex(of: "."), dot > stem.startIndex { stem = String(stem[..<dot]) }
        if stem.isEmpty || stem.hasPrefix(".") { stem = "piece" + stem }
        var candidate = stem, counter = 2
        while used.contains(candidate.lowercased()) {
            candidate = "\(stem)-\(counter)"
            counter += 1
        }
        used.insert(candidate.lowercased())
        return candidate
    }
}
