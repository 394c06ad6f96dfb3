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

public struct UnwritableFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): cannot write: \(reason); check that the folder exists and is writable" }
}
