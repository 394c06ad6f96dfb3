import Foundation
import Testing
import Utilities

/// The readdir walk against its reference, FileManager's enumerator.
@Suite struct InputFilesTests {
    static let sharedCorpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus").path

    /// Nested folders, a hidden file, links to a file and to a folder (not followed), a file
    /// with no MIDI extension and an excluded folder.
    func makeTree() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tunesmith-walk-\(UUID())").path
        let manager = FileManager.default
        for folder in ["a/b/c", "a/skip/inner", "empty", "d"] {
            try manager.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        for file in [
            "top.mid", "a/one.MID", "a/b/two.midi", "a/b/c/three.kar", "a/skip/inner/four.mid",
            "a/.hidden.mid", "d/notes.txt", "d/with space.mid",
        ] {
            try Data([0x4D]).write(to: URL(fileURLWithPath: root + "/" + file))
        }
        try manager.createSymbolicLink(atPath: root + "/link.mid", withDestinationPath: root + "/top.mid")
        try manager.createSymbolicLink(atPath: root + "/linked-folder", withDestinationPath: root + "/a")
        return root
    }

    @Test func walkEqualsFileManagersWalk() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let walked = try InputFiles.regularFiles(in: [root])
        #expect(walked == (try InputFiles.regularFilesByFileManager(in: [root])))
        #expect(walked.count == 8)
        #expect(!walked.contains { $0.contains("link") })
        let excluded = root + "/a/skip"
        let withoutSkip = try InputFiles.regularFiles(in: [root, root + "/top.mid"], excluding: excluded)
        #expect(withoutSkip == (try InputFiles.regularFilesByFileManager(in: [root], excluding: excluded)))
        #expect(withoutSkip.count == 7)
        #expect(try InputFiles.midiFiles(in: [root + "/"]).count == 7)
    }

    @Test func foldersAreExpandedAndNamedFilesKeptEvenWhenMissing() throws {
        let root = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let missing = root + "/no-such.mid"
        let expanded = try InputFiles.midiFilesInFolders([missing, root + "/d", root + "/d/notes.txt"])
        #expect(expanded == [missing, root + "/d/with space.mid", root + "/d/notes.txt"])
        #expect(throws: InputPathError.self) { try InputFiles.regularFiles(in: [missing]) }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sharedCorpus), "../shared/corpus is absent"))
    func corpusWalkEqualsFileManagersWalk() throws {
        let walked = try InputFiles.regularFiles(in: [Self.sharedCorpus])
        #expect(walked.count > 700)
        #expect(walked == (try InputFiles.regularFilesByFileManager(in: [Self.sharedCorpus])))
    }
}
