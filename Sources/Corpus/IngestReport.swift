/// One source file's outcome in this run, as `corpus ingest --json` prints it.
public struct IngestedFile: Codable, Hashable, Sendable {
    public var type = "file"
    public var path: String
    public var status: SourceStatus
    public var reasonCode: StatusReason?
    public var reason: String?
    public var cleanFile: String?
    public var duplicateOf: String?
    public var findings: Int
    public var notes: Int?
    public var key: String?
}

/// What an ingest did: counts over the files it processed, and what it left alone.
public struct IngestSummary: Codable, Hashable, Sendable {
    public var type = "summary"
    public var corpus: String
    public var scanned = 0
    /// Files whose bytes and settings match the catalogue: not processed again.
    public var unchanged = 0
    public var processed = 0
    public var clean = 0
    public var repaired = 0
    public var rejected = 0
    public var duplicates = 0
    public var skipped = 0
    public var rejectedByReason: [String: Int] = [:]
    public var duplicatesByReason: [String: Int] = [:]
    public var skippedByReason: [String: Int] = [:]
    /// Findings and cleanup changes of the pieces kept, by kind: how many files had each.
    public var repairsByKind: [String: Int] = [:]
    /// Earlier ingests that were interrupted and whose work this run completed.
    public var resumedInterruptedRuns = 0
    public var seconds = 0.0

    mutating func count(_ decision: Decision) {
        processed += 1
        let reason = decision.verdict.reason?.rawValue ?? "unknown"
        switch decision.verdict.status {
        case .clean: clean += 1
        case .repaired: repaired += 1
        case .rejected:
            rejected += 1
            rejectedByReason[reason, default: 0] += 1
        case .duplicate:
            duplicates += 1
            duplicatesByReason[reason, default: 0] += 1
        case .skipped:
            skipped += 1
            skippedByReason[reason, default: 0] += 1
        }
        if decision.verdict.status.isKept {
            for kind in Set(decision.findings.filter(\.isRepair).map(\.kind)) { repairsByKind[kind, default: 0] += 1 }
        }
    }
}

/// Files done so far, for a progress bar.
public struct IngestProgress: Sendable {
    public var done: Int
    public var total: Int
    public var elapsedSeconds: Double
}
