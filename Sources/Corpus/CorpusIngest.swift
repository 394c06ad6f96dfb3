import Foundation
import MIDIFile
import Utilities

/// The library side of `tunesmith corpus ingest`: walk the sources, process files in
/// parallel, decide duplicates in a fixed order, write clean files and catalogue rows.
///
/// Crash safety comes from the order of writes: a clean file is renamed into place
/// before the catalogue row that names it is committed, rows are committed in whole
/// batches, and a run is marked finished last. Whatever a killed run leaves (a temp
/// file, a clean file no row names, files with no row) the next run removes or redoes.
public enum CorpusIngest {

    public static func run(
        sources: [String], into corpusDirectory: String, settings: IngestSettings = IngestSettings(),
        progress: ((IngestProgress) -> Void)? = nil,
        fileDone: ((IngestedFile) -> Void)? = nil
    ) throws -> IngestSummary {
        let started = Date()
        let corpus = URL(fileURLWithPath: corpusDirectory).standardizedFileURL.path
        let cleanDirectory = CorpusFolder(corpus).cleanFolderPath
        do {
            try FileManager.default.createDirectory(atPath: cleanDirectory, withIntermediateDirectories: true)
        } catch {
            throw CorpusError.cannotCreateFolder(path: corpusDirectory, reason: (error as NSError).localizedDescription)
        }
        let lock = try IngestLock(corpusDirectory: corpus)
        defer { withExtendedLifetime(lock) {} }
        let catalogue = try Catalogue(writingIn: corpus)
        let filters = try FilterCheck(settings.filters)
        let digest = settings.digest
        let files = try InputFiles.regularFiles(in: sources, excluding: corpus)

        var summary = IngestSummary(corpus: corpus)
        summary.scanned = files.count
        summary.resumedInterruptedRuns = try catalogue.interruptedRuns()
        var state = DecisionState(
            existing: try catalogue.existingRows(), settingsDigest: digest,
            walked: Set(files), cleanDirectory: cleanDirectory)
        // Absolute, so the sources can be told apart later from any folder (a piece's style is its source's name).
        let runID = try catalogue.beginRun(
            sources: sources.map { URL(fileURLWithPath: $0).standardizedFileURL.path }, settingsDigest: digest,
            jobs: settings.jobs)
        let processor = FileProcessor(filters: filters, unchangedHashes: state.unchangedHashes)

        var batch: [Decision] = []
        var lastCommit = Date()
        func commit() throws {
            guard !batch.isEmpty else { return }
            try catalogue.record(batch, runID: runID, settingsDigest: digest)
            for decision in batch { fileDone?(decision.report) }
            batch.removeAll(keepingCapacity: true)
            lastCommit = Date()
        }
        try OrderedParallelMap.run(count: files.count, jobs: settings.jobs, work: { processor.process(files[$0]) }) {
            index, processed in
            if let decision = try state.decide(processed) {
                summary.count(decision)
                batch.append(decision)
            } else {
                summary.unchanged += 1
            }
            if batch.count >= 64 || Date().timeIntervalSince(lastCommit) > 0.5 { try commit() }
            progress?(
                IngestProgress(done: index + 1, total: files.count, elapsedSeconds: Date().timeIntervalSince(started)))
        }
        try commit()
        try removeUnreferencedCleanFiles(in: cleanDirectory, referenced: catalogue.referencedCleanFiles())
        try catalogue.finishRuns(through: runID)
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Leftovers of interrupted runs (temporary files, clean files no row names) and
    /// clean copies of pieces a later run rejected.
    private static func removeUnreferencedCleanFiles(in cleanDirectory: String, referenced: Set<String>) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: cleanDirectory)
        where !referenced.contains(CorpusFolder.cleanFileEntry(named: name)) {
            try? FileManager.default.removeItem(atPath: (cleanDirectory as NSString).appendingPathComponent(name))
        }
    }
}

/// The serial half of an ingest: which piece is kept when two are the same, and where
/// its clean file goes. Fed in path order, so the first of a set of duplicates is kept.
private struct DecisionState {
    let cleanDirectory: String
    var existing: [String: Catalogue.ExistingRow]
    /// Paths that need no work if their bytes are unchanged, with their hash.
    var unchangedHashes: [String: String] = [:]
    /// Kept pieces by source hash and by note fingerprint, as paths.
    var keptByHash: [String: String] = [:]
    var keptByFingerprint: [String: String] = [:]

    init(existing: [String: Catalogue.ExistingRow], settingsDigest: String, walked: Set<String>, cleanDirectory: String)
    {
        self.existing = existing
        self.cleanDirectory = cleanDirectory
        let corpus = (cleanDirectory as NSString).deletingLastPathComponent
        for (path, row) in existing {
            let cleanFilePresent =
                row.cleanFile.map {
                    FileManager.default.fileExists(atPath: (corpus as NSString).appendingPathComponent($0))
                } ?? true
            let upToDate = row.settingsDigest == settingsDigest && cleanFilePresent && row.reasonIsStable
            if upToDate { unchangedHashes[path] = row.sha256 }
            // A kept piece that this run will redo must not count as already kept.
            guard row.status.isKept, upToDate || !walked.contains(path) else { continue }
            keptByHash[row.sha256] = path
            if let fingerprint = row.fingerprint { keptByFingerprint[fingerprint] = path }
        }
    }

    /// Nil for an unchanged file; otherwise what to record, after writing its clean file.
    mutating func decide(_ file: ProcessedFile) throws -> Decision? {
        if let row = existing[file.path], row.status.isKept {
            // Redone (its bytes or settings changed): forget what it used to be.
            if keptByHash[row.sha256] == file.path { keptByHash[row.sha256] = nil }
            if let fingerprint = row.fingerprint, keptByFingerprint[fingerprint] == file.path {
                keptByFingerprint[fingerprint] = nil
            }
        }
        var decision = Decision(
            path: file.path, size: file.size, sha256: file.sha256,
            verdict: Verdict(status: .skipped), findings: [])
        switch file.outcome {
        case .unchanged:
            return nil
        case .settled(let verdict):
            decision.verdict = verdict
        case .piece(let piece):
            decision.findings = piece.findings
            decision.summary = piece.summary
            decision.fingerprint = piece.fingerprint
            if let rejection = piece.rejection {
                decision.verdict = rejection
            } else if let original = keptByHash[file.sha256], original != file.path {
                decision.verdict = Verdict(status: .duplicate, reason: .sameBytes, detail: "same bytes as \(original)")
                decision.duplicateOfPath = original
            } else if let fingerprint = piece.fingerprint, let original = keptByFingerprint[fingerprint],
                original != file.path
            {
                decision.verdict = Verdict(status: .duplicate, reason: .sameMusic, detail: "same notes as \(original)")
                decision.duplicateOfPath = original
            } else if let bytes = piece.cleanBytes {
                let name = "\(file.sha256).mid"
                try AtomicFile.write(Data(bytes), to: (cleanDirectory as NSString).appendingPathComponent(name))
                decision.cleanFile = CorpusFolder.cleanFileEntry(named: name)
                let repairs = piece.findings.filter(\.isRepair).count
                decision.verdict = Verdict(
                    status: repairs == 0 ? .clean : .repaired,
                    detail: repairs == 0 ? nil : "\(repairs) finding\(repairs == 1 ? "" : "s") repaired")
                keptByHash[file.sha256] = file.path
                if let fingerprint = piece.fingerprint { keptByFingerprint[fingerprint] = file.path }
            }
        }
        return decision
    }
}

extension Catalogue.ExistingRow {
    /// An unreadable file is tried again on every run: the problem may have been fixed.
    var reasonIsStable: Bool { !(status == .skipped && sha256.isEmpty) }
}

extension Decision {
    var report: IngestedFile {
        IngestedFile(
            path: path, status: verdict.status, reasonCode: verdict.reason, reason: verdict.detail,
            cleanFile: cleanFile, duplicateOf: duplicateOfPath, findings: findings.count,
            notes: summary?.notes, key: summary?.key)
    }
}
