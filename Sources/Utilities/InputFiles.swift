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
    /// anything under `excludedFolder` is left out. Symbolic links inside folders are not
    /// followed.
    public static func regularFiles(in paths: [String], excluding excludedFolder: String? = nil) throws -> [String] {
        var found = Set<String>()
        for path in paths {
            let root = URL(fileURLWithPath: path).standardizedFileURL.path
            var status = stat()
            guard stat(root, &status) == 0 else {
                throw InputPathError(path: path, reason: "no such file or folder; check the spelling")
            }
            guard status.st_mode & S_IFMT == S_IFDIR else {
                found.insert(root)
                continue
            }
            guard let folder = opendir(root) else {
                throw InputPathError(path: path, reason: "cannot list the folder; check its permissions")
            }
            walk(folder, at: root, excluding: excludedFolder, into: &found)
        }
        return found.sorted()
    }

    /// The walk by `readdir` and the file type it reports: FileManager's enumerator builds an
    /// attribute dictionary per entry, about 140,000 instructions a file in a callgrind profile
    /// of `inspect` over a folder, more than reading a small MIDI file. A folder that cannot
    /// be opened below the named one is passed over, as the enumerator passes it over.
    private static func walk(
        _ folder: OpaquePointer, at path: String, excluding excludedFolder: String?, into found: inout Set<String>
    ) {
        defer { closedir(folder) }
        let prefix = path.hasSuffix("/") ? path : path + "/"
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != "." && name != ".." else { continue }
            let file = prefix + name
            if let excludedFolder, file == excludedFolder || file.hasPrefix(excludedFolder + "/") { continue }
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                var status = stat()
                guard lstat(file, &status) == 0 else { continue }
                let format = status.st_mode & S_IFMT
                type = format == S_IFDIR ? UInt8(DT_DIR) : format == S_IFREG ? UInt8(DT_REG) : UInt8(DT_UNKNOWN)
            }
            if type == UInt8(DT_REG) {
                found.insert(file)
            } else if type == UInt8(DT_DIR), let inner = opendir(file) {
                walk(inner, at: file, excluding: excludedFolder, into: &found)
            }
        }
    }

    /// The naive reference for `regularFiles`: the same walk through FileManager's enumerator.
    public static func regularFilesByFileManager(in paths: [String], excluding excludedFolder: String? = nil) throws
        -> [String]
    {
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

    /// Named files kept as named, even missing ones (each fails later as one input among
    /// the others); each named folder replaced by the files with a MIDI extension inside it.
    public static func midiFilesInFolders(_ paths: [String]) throws -> [String] {
        try paths.flatMap { path in isFolder(path) ? try midiFiles(in: [path]) : [path] }
    }

    /// One `stat` call: FileManager's existence check costs about 20,000 instructions a path.
    private static func isFolder(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
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
