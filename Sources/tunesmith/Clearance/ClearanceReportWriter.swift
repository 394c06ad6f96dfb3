import Clearance
import Foundation
import MIDIFile
import Rendering
import Reports
import Utilities

/// Writes `-o REPORTDIR` for `clearance check`: one page per checked piece, named after it,
/// with both passages of each match as MIDI and WAV files in a folder beside the page.
final class ClearanceReportWriter {
    private let folder: ReportFolder
    private let baseline: Baseline
    private let thresholds: VerdictThresholds
    private let pageNames: [String: String]
    /// Nil when no soundfont is installed: the pages then say the passages were not rendered.
    private let soundfont: String?
    /// Passages are short; a fixed tempo makes them easy to compare by ear.
    static let passageMicrosecondsPerQuarter = 600_000

    init(folder: String, files: [String], baseline: Baseline, thresholds: VerdictThresholds, warn: (String) -> Void)
        throws
    {
        self.folder = try ReportFolder(root: folder)
        self.baseline = baseline
        self.thresholds = thresholds
        pageNames = Dictionary(
            uniqueKeysWithValues: zip(
                files,
                OutputNaming.paths(for: files, in: "", extension: "html").map {
                    ($0 as NSString).lastPathComponent
                }))
        do {
            soundfont = try SoundfontSearch().locate().path
        } catch {
            soundfont = nil
            warn("\(error); the reports will have no audio")
        }
    }

    func write(_ result: CheckResult, query: ClearancePiece) throws {
        let page = pageNames[result.file] ?? "report.html"
        let stem = (page as NSString).deletingPathExtension
        var files: [ClearanceReportPage.PassageFiles?] = []
        for (number, match) in result.details.enumerated() {
            files.append(
                try renderPassages(of: match, query: query, folder: "\(stem)-audio", name: "match\(number + 1)"))
        }
        let output = ClearanceReportPage(
            result: result, query: query, baseline: baseline, thresholds: thresholds, passageFiles: files
        )
        .output(path: page)
        try folder.write(output)
    }

    /// Both passages as MIDI files and, when a soundfont is installed, as WAV files.
    private func renderPassages(
        of match: PieceMatch, query: ClearancePiece, folder relativeFolder: String,
        name: String
    ) throws -> ClearanceReportPage.PassageFiles? {
        guard let soundfont, let first = match.alignment.pairs.first, let last = match.alignment.pairs.last else {
            return nil
        }
        let directory = (self.folder.root as NSString).appendingPathComponent(relativeFolder)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let queryNotes = Array(match.queryLine.notes[first.query...last.query])
        let sourceNotes = Array(match.piece.piece.lines[match.sourceLine].notes[first.source...last.source])
        var jobs: [RenderJob] = []
        for (side, notes) in [("this", queryNotes), ("catalogue", sourceNotes)] {
            let midi = (directory as NSString).appendingPathComponent("\(name)-\(side).mid")
            try AtomicFile.write(Data(MIDIWriter().encode(Self.passageFile(notes)).bytes), to: midi)
            jobs.append(RenderJob(input: midi, output: (midi as NSString).deletingPathExtension + ".wav"))
        }
        let outcomes = BatchRenderer.run(jobs, soundfont: soundfont, options: RenderOptions(), workers: 1)
        for outcome in outcomes { if case .failure(let failure) = outcome.result { throw failure } }
        return ClearanceReportPage.PassageFiles(
            queryAudio: "\(relativeFolder)/\(name)-this.wav", sourceAudio: "\(relativeFolder)/\(name)-catalogue.wav",
            queryMIDI: "\(relativeFolder)/\(name)-this.mid", sourceMIDI: "\(relativeFolder)/\(name)-catalogue.mid")
    }

    /// A one-track piano file of the notes, moved to start at beat 0.
    static func passageFile(_ notes: [LineNote]) -> MIDIFile {
        let ticksPerQuarter = 480
        let start = notes.first?.onsetBeats ?? 0
        var track = Track()
        let tempo = passageMicrosecondsPerQuarter
        track.appendMeta(
            tick: 0, type: MetaType.tempo.rawValue,
            payload: [UInt8(tempo >> 16 & 0xFF), UInt8(tempo >> 8 & 0xFF), UInt8(tempo & 0xFF)])
        var events: [(tick: Int, isOn: Bool, pitch: UInt8)] = []
        for note in notes {
            let onset = Int(((note.onsetBeats - start) * Float(ticksPerQuarter)).rounded())
            let length = max(1, Int((note.durationBeats * Float(ticksPerQuarter)).rounded()))
            events += [(onset, true, note.pitch), (onset + length, false, note.pitch)]
        }
        // At one tick, note-offs go first so a repeated note is struck again rather than cut.
        for event in events.sorted(by: { ($0.tick, $0.isOn ? 1 : 0) < ($1.tick, $1.isOn ? 1 : 0) }) {
            track.appendChannelEvent(
                tick: event.tick, status: event.isOn ? 0x90 : 0x80, data1: event.pitch, data2: event.isOn ? 90 : 64)
        }
        return MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(ticksPerQuarter), tracks: [track])
    }
}
