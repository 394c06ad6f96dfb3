import MIDIFile
import MusicTheory

/// A defect the reader found or a change cleanup made, as the catalogue records it.
public struct FindingRecord: Codable, Hashable, Sendable {
    /// "read" for the reader's findings, "cleanup" for track cleanup's changes.
    public var stage: String
    public var kind: String
    public var action: String?
    public var track: Int?
    public var offset: Int?
    public var occurrences: Int
    public var message: String

    /// A defect fixed, as opposed to a change of layout.
    public var isRepair: Bool { stage != FileProcessor.layoutStage }
}

/// What the parallel stage learns about one source file, before any decision that
/// depends on other files (duplicates) is made.
struct ProcessedFile: Sendable {
    var path: String
    var size: Int
    var sha256: String
    var outcome: Outcome

    enum Outcome: Sendable {
        /// Same bytes and settings as the catalogue's row: nothing to do.
        case unchanged
        /// Not MIDI, unreadable, or turned down by its path: no piece to analyse.
        case settled(Verdict)
        case piece(Piece)
    }

    struct Piece: Sendable {
        var findings: [FindingRecord]
        var summary: PieceSummary
        var fingerprint: String?
        var rejection: Verdict?
        /// The clean file's bytes; nil when a filter rejected the piece.
        var cleanBytes: [UInt8]?
    }
}

/// The per-file work: read, hash, clean up, analyse, filter, encode. Pure apart from
/// reading the file, so any number of these run at once.
struct FileProcessor: Sendable {
    let filters: FilterCheck
    /// Rows that need no work when the file's hash still matches: path → hash.
    let unchangedHashes: [String: String]

    func process(_ path: String) -> ProcessedFile {
        let source: SourceBytes
        do {
            source = try SourceBytes.read(path)
        } catch {
            let verdict = Verdict(status: .skipped, reason: .unreadable, detail: error.problem)
            return ProcessedFile(path: path, size: 0, sha256: "", outcome: .settled(verdict))
        }
        func file(_ outcome: ProcessedFile.Outcome) -> ProcessedFile {
            ProcessedFile(path: path, size: source.size, sha256: source.sha256, outcome: outcome)
        }
        if unchangedHashes[path] == source.sha256 { return file(.unchanged) }
        guard let bytes = source.bytes else {
            return file(
                .settled(
                    Verdict(
                        status: .skipped, reason: .notMIDI, detail: "not MIDI: \(source.notMIDI ?? "unknown content")"))
            )
        }
        if let verdict = filters.rejection(forPath: path) { return file(.settled(verdict)) }
        let read: ReadResult
        do {
            read = try MIDIReader.read(bytes)
        } catch {
            return file(.settled(Verdict(status: .skipped, reason: .notMIDI, detail: "not MIDI: \(error.found)")))
        }
        return file(.piece(piece(from: read)))
    }

    /// Changes that only rearrange a well-formed file; recorded, but not repairs.
    static let layoutStage = "layout"

    /// The first track of a format 1 file when it holds only meta events: the standard
    /// conductor track (tempo, meter, key, title), not a "layer with no data". Folding it
    /// into the first note track is a change of layout, not a repair.
    static func conductorTrack(of file: MIDIFile) -> Int? {
        guard file.format == .multiTrack, file.tracks.count > 1, let first = file.tracks.first,
            first.events.allSatisfy(\.isMeta)
        else { return nil }
        return 0
    }

    private func piece(from read: ReadResult) -> ProcessedFile.Piece {
        var findings = read.findings.map {
            FindingRecord(
                stage: "read", kind: $0.kind.rawValue, action: $0.action.rawValue, track: $0.track,
                offset: $0.offset, occurrences: $0.occurrences, message: $0.message)
        }
        var silentTracks: [Int] = []
        for (index, track) in read.file.tracks.enumerated() {
            let paired = track.pairNotes()
            if paired.notes.isEmpty { silentTracks.append(index) }
            if paired.closedAtTrackEnd > 0 {
                findings.append(
                    FindingRecord(
                        stage: "cleanup", kind: "closed_hanging_note", action: "insertedNoteOff", track: index,
                        offset: nil,
                        occurrences: paired.closedAtTrackEnd,
                        message:
                            "\(paired.closedAtTrackEnd) notes of track \(index) never switched off; closed at the track's end"
                    ))
            }
            if paired.unmatchedNoteOffs > 0 {
                findings.append(
                    FindingRecord(
                        stage: "cleanup", kind: "dropped_unmatched_note_off", action: "droppedEvent", track: index,
                        offset: nil,
                        occurrences: paired.unmatchedNoteOffs,
                        message:
                            "\(paired.unmatchedNoteOffs) note-offs of track \(index) match no sounding note; dropped"))
            }
        }
        var cleaned = TrackCleanup.clean(read.file)
        Credits.carry(from: read.file, dropped: silentTracks, into: &cleaned.file)
        let conductor = Self.conductorTrack(of: read.file)
        findings += cleaned.changes.map {
            FindingRecord(
                stage: $0.track == conductor ? Self.layoutStage : "cleanup", kind: $0.kind.rawValue, action: nil,
                track: $0.track, offset: nil, occurrences: $0.count, message: $0.message)
        }
        let notes = PieceNotes(cleaned.file)
        let summary = PieceSummary(
            cleaned: cleaned.file, notes: notes, originalTracks: read.file.tracks.count,
            key: AnalysisOptions.standard.key(of: read.file))
        let rejection = filters.rejection(for: summary)
        return ProcessedFile.Piece(
            findings: findings, summary: summary,
            fingerprint: NoteFingerprint.of(notes.notes, division: cleaned.file.division), rejection: rejection,
            cleanBytes: rejection == nil ? MIDIWriter().encode(cleaned.file).bytes : nil)
    }
}
