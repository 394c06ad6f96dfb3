import Foundation

/// Writes beside the destination and renames into place: readers see the old file or
/// the whole new one, never a partial file.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try data.write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw UnwritableFileError(file: path, reason: reason)
            }
        } catch let error as UnwritableFileError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw UnwritableFileError(file: path, reason: (error as NSError).localizedDescription)
        }
    }
}

extension AtomicFile {
    /// Writes `files` (name → bytes) into a staging folder beside `path`, then swaps it in for
    /// the folder at `path`: readers see the old folder or the whole new one, never a partial
    /// one. The staging folder is removed on failure; the error is the file system's.
    public static func replaceFolder(_ path: String, with files: [String: Data]) throws {
        try replaceFolder(path) { staging in
            for (name, data) in files {
                try data.write(to: URL(fileURLWithPath: (staging as NSString).appendingPathComponent(name)))
            }
        }
    }

    /// `build` fills a new staging folder beside `path` (given its path), which is then swapped
    /// in for the folder at `path`: readers see the old folder or the whole new one, and a
    /// build that fails or is killed leaves the old one as it was. The staging folder is
    /// removed on failure and `build`'s error thrown.
    public static func replaceFolder(_ path: String, build: (_ staging: String) throws -> Void) throws {
        let manager = FileManager.default
        let url = URL(fileURLWithPath: path).standardized
        let suffix = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let parent = url.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(url.lastPathComponent).tmp-\(suffix)")
        let previous = parent.appendingPathComponent(".\(url.lastPathComponent).old-\(suffix)")
        do {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            try build(staging.path)
            let hadPrevious = manager.fileExists(atPath: url.path)
            if hadPrevious { try manager.moveItem(at: url, to: previous) }
            try manager.moveItem(at: staging, to: url)
            if hadPrevious { try? manager.removeItem(at: previous) }
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
    }
}

public struct UnwritableFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): cannot write: \(reason); check that the folder exists and is writable" }
}
