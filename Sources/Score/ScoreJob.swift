import Foundation
import MIDIFile
import MusicTheory

/// One input through MuseScore: read, prepare, convert to one or more formats in a
/// private temporary folder, then hand the pages to a closure that copies them out.
/// The folder is removed however the job ends.
struct ScoreJob {
    var input: String
    var museScore: MuseScore
    /// Where the private work folder is made; tests pass their own to see it removed.
    var temporaryRoot = FileManager.default.temporaryDirectory.path
    /// Pixels kept around the music in SVG and PNG pages: page margins add nothing on
    /// screen.
    static let imageTrimMargin = 8

    struct Rendered {
        var prepared: PreparedScore
        /// The key the file states, or the key finder's when it states none.
        var key: Key?
        var keyIsStated: Bool
        /// Per format, the pages in order (one file for PDF and MusicXML).
        var pages: [ScoreFormat: [String]]
        var seconds: Double
    }

    func run<Result>(_ formats: [ScoreFormat], _ use: (Rendered) throws -> Result) throws -> Result {
        let source = try MIDIReader.read(contentsOf: input)
        let stated = ScorePreparation.statedKeySignature(of: source.file)
        let key = stated.map(ScoreKey.key(of:)) ?? ScoreKey.estimate(for: source.file)
        let prepared = ScorePreparation.prepare(
            source.file, title: ScoreTitle.title(of: source.file, path: input),
            composer: ScoreTitle.composer(of: source.file),
            keySignature: key.map(ScoreKey.signature(of:)))
        guard prepared.noteCount > 0 else { throw ScoreError.noNotes(file: input) }

        let folder = try Self.makePrivateFolder(in: temporaryRoot)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // MuseScore titles its SVG pages after the file it imported.
        // In a folder of its own: an input named "score" must not meet MuseScore's outputs.
        let inputFolder = folder + "/prepared"
        try FileManager.default.createDirectory(atPath: inputFolder, withIntermediateDirectories: true)
        let scorePath =
            inputFolder + "/" + Self.safeFileName(URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent)
            + ".musicxml"
        do {
            try Data(prepared.musicXML.utf8).write(to: URL(fileURLWithPath: scorePath))
        } catch {
            throw ScoreError.cannotRun(
                executable: museScore.executable,
                reason: "cannot write the prepared score \(scorePath): \(error.localizedDescription)")
        }

        let outputs = formats.map { folder + "/score." + $0.rawValue }
        let started = Date()
        try museScore.convert(
            scorePath, to: outputs, naming: input,
            trimMargin: formats.contains(where: \.isPerPage) ? Self.imageTrimMargin : nil,
            workFolder: folder)
        let seconds = Date().timeIntervalSince(started)
        var pages: [ScoreFormat: [String]] = [:]
        for format in formats {
            let found = try Self.pages(of: format, in: folder)
            guard !found.isEmpty else {
                throw ScoreError.noOutput(
                    file: input, expected: format.rawValue.uppercased(), log: MuseScore.readLog(folder + "/mscore.log"))
            }
            pages[format] = found
        }
        return try use(
            Rendered(prepared: prepared, key: key, keyIsStated: stated != nil, pages: pages, seconds: seconds))
    }

    /// MuseScore names image pages `score-1.svg` … or `score-01.svg` … (padded to the
    /// page count's width), and writes a one-page score as `score-1.svg`.
    private static func pages(of format: ScoreFormat, in folder: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        guard format.isPerPage else {
            return names.contains("score." + format.rawValue) ? [folder + "/score." + format.rawValue] : []
        }
        let suffix = "." + format.rawValue
        let numbered: [(page: Int, name: String)] = names.compactMap { name in
            guard name.hasPrefix("score-"), name.hasSuffix(suffix),
                let page = Int(name.dropFirst(6).dropLast(suffix.count))
            else { return nil }
            return (page, name)
        }
        if numbered.isEmpty, names.contains("score" + suffix) { return [folder + "/score" + suffix] }
        return numbered.sorted { $0.page < $1.page }.map { folder + "/" + $0.name }
    }

    private static func safeFileName(_ name: String) -> String {
        let kept = name.unicodeScalars.map {
            CharacterSet.alphanumerics.contains($0) || "-_ .".unicodeScalars.contains($0) ? Character($0) : "_"
        }
        return kept.isEmpty || kept.first == "." ? "piece" : String(kept)
    }

    /// Owner-only, because Qt refuses a runtime folder others can read.
    private static func makePrivateFolder(in root: String) throws -> String {
        let folder = (root as NSString).appendingPathComponent(
            "tunesmith-score-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        return folder
    }
}
