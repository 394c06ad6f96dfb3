import Foundation
import MIDIFile
import Testing

/// `MIDIReader.read(contentsOf:)` reads the file itself with POSIX calls: regular files,
/// pipes (read until they end), and the errors for what cannot be read.
@Suite struct FileReadingTests {
    func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tunesmith-reading-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func regularFilesReadAsTheirBytes() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("one note.mid").path
        try Data(validSingleNote).write(to: URL(fileURLWithPath: path))
        #expect(try MIDIReader.read(contentsOf: path).file == MIDIReader.read(validSingleNote).file)
    }

    /// A pipe has no size to trust: the header after 200 kB of junk, more than one read's
    /// worth, is found only when the pipe is read to its end.
    @Test func pipesAreReadToTheirEnd() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("pipe.mid").path
        #expect(mkfifo(path, 0o600) == 0)
        let junk = [UInt8](repeating: UInt8(ascii: "x"), count: 200_000)
        let writer = Thread {
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            handle.write(Data(junk + validSingleNote))
            try? handle.close()
        }
        writer.start()
        let result = try MIDIReader.read(contentsOf: path)
        #expect(try result.file == MIDIReader.read(validSingleNote).file)
        #expect(result.findings.contains { $0.kind == .junkBeforeHeader })
    }

    @Test func missingFilesAndFoldersSayWhat() throws {
        let folder = try scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("absent.mid").path
        #expect { try MIDIReader.read(contentsOf: missing) } throws: { error in
            (error as? UnreadableFileError)?.description.contains("\(missing): cannot read: no such file") == true
        }
        #expect { try MIDIReader.read(contentsOf: folder.path) } throws: { error in
            (error as? UnreadableFileError)?.description.contains("it is a folder") == true
        }
    }
}
