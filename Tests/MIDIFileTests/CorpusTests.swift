import Foundation
import MIDIFile
import Testing

/// The real-world corpus in ../shared/corpus (beside the package root), when present.
enum SharedCorpus {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/corpus")

    static var isPresent: Bool { FileManager.default.fileExists(atPath: root.path) }

    /// Every `.mid` file under the corpus (any letter case), as paths relative to it.
    static let midiFiles: [String] = {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return walker.compactMap { $0 as? String }
            .filter { $0.lowercased().hasSuffix(".mid") }
            .sorted()
    }()
}

@Suite(.enabled(if: SharedCorpus.isPresent, "../shared/corpus is absent"), .timeLimit(.minutes(10)))
struct CorpusTests {
    /// A damaged file may hold no MIDI at all (the reader then throws NotMIDIError); any
    /// file it does recover must come back from MIDIWriter clean and with the same notes.
    /// One test over all files rather than one case per file keeps `make test` output short;
    /// every expectation names its file.
    @Test("every corpus file reads, and its repaired copy reads back clean with the same notes")
    func repairedCopiesReadBackClean() throws {
        var recovered = 0
        for relativePath in SharedCorpus.midiFiles {
            let path = SharedCorpus.root.appendingPathComponent(relativePath).path
            let original: ReadResult
            do {
                original = try MIDIReader.read(contentsOf: path)
            } catch let error as NotMIDIError {
                #expect(!error.found.isEmpty, "\(relativePath): NotMIDIError should say what the file holds instead")
                continue
            }
            recovered += 1
            let reread = try MIDIReader.read(MIDIWriter().encode(original.file).bytes)
            #expect(
                reread.findings.isEmpty,
                "\(relativePath): the repaired copy has findings: \(reread.findings.map(\.message))")
            #expect(
                reread.file.tracks.count == max(1, original.file.tracks.count), "\(relativePath): track count changed")
            for (index, (before, after)) in zip(original.file.tracks, reread.file.tracks).enumerated() {
                #expect(
                    after.pairNotes().notes == before.pairNotes().notes,
                    "\(relativePath): notes of track \(index) changed")
            }
        }
        #expect(recovered > SharedCorpus.midiFiles.count / 2, "most corpus files hold MIDI data")
    }
}
