import Foundation

/// A source named on the command line that is neither a file nor a folder.
public struct SourceError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Every regular file under the sources, as absolute paths in a stable order, whatever
/// the names: whether a file is MIDI is decided by its bytes, not its extension.
enum SourceWalker {
    static func files(in sources: [String], excluding excludedFolder: String? = nil) throws -> [String] {
        var found = Set<String>()
        for source in sources {
            let root = URL(fileURLWithPath: source).standardizedFileURL.path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else {
                throw SourceError(path: source, reason: "no such file or folder; check the spelling")
            }
            guard isDirectory.boolValue else {
                found.insert(root)
                continue
            }
            guard let walker = FileManager.default.enumerator(atPath: root) else {
                throw SourceError(path: source, reason: "cannot list the folder; check its permissions")
            }
            while let relative = walker.nextObject() as? String {
                let path = (root as NSString).appendingPathComponent(relative)
                if let excludedFolder, path == excludedFolder || path.hasPrefix(excludedFolder + "/") {
                    walker.skipDescendants()
                    continue
                }
                if walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular {
                    found.insert(path)
                }
            }
        }
        return found.sorted()
    }
}
