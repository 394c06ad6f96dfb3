import Foundation

/// A path given on the command line that names nothing readable.
public struct InputPathError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

/// The files that commands take from paths on the command line: files as named, folders
/// walked recursively, in a stable (sorted) order. One walker for every command.
public enum InputFiles {
    /// Names under which MIDI files are usually saved, for commands that pick MIDI files
    /// out of mixed folders by name (ingest instead decides by content).
    public static let midiExtensions: Set<String> = ["mid", "midi", "kar", "rmi", "smf"]

    /// Every regular file named or found under the named folders, without repeats;
    /// anything under `excludedFolder` is left out.
    public static func regularFiles(in paths: [String], excluding excludedFolder: String? = nil) throws -> [String] {
        var found = Set<String>()
        for path in paths {
            let root = URL(fileURLWithPath: path).standardizedFileURL.path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
                throw InputPathError(path: path, reason: "no such file or folder; check the spelling")
            }
            guard isDirectory.boolValue else {
                found.insert(root)
                continue
            }
            guard let walker = FileManager.default.enumerator(atPath: root) else {
                throw InputPathError(path: path, reason: "cannot list the folder; check its permissions")
            }
            while let relative = walker.nextObject() as? String {
                let file = (root as NSString).appendingPathComponent(relative)
                if let excludedFolder, file == excludedFolder || file.hasPrefix(excludedFolder + "/") {
                    walker.skipDescendants()
                    continue
                }
                if walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular {
                    found.insert(file)
                }
            }
        }
        return found.sorted()
    }

    /// Files named are kept whatever their name; inside folders, files with a MIDI extension.
    public static func midiFiles(in paths: [String]) throws -> [String] {
        try paths.flatMap { path -> [String] in
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return [path]
            }
            return try regularFiles(in: [path]).filter {
                midiExtensions.contains(($0 as NSString).pathExtension.lowercased())
            }
        }
    }
}
