import Foundation
import MusicTheory
import Utilities

/// What makes a piece worth keeping. Defaults keep every real piece of music and reject
/// what a model cannot learn from: near-empty files, fragments, runaway lengths, drum loops.
public struct IngestFilters: Hashable, Sendable {
    public var minimumNotes = 20
    public var minimumSeconds = 5.0
    public var maximumSeconds = 3600.0
    public var allowDrumOnly = false
    /// Empty: every family allowed; otherwise every note must be of one of these.
    public var families: Set<InstrumentFamily> = []
    /// Empty: any meter; otherwise every time signature of the piece ("4/4") must be listed.
    public var timeSignatures: Set<String> = []
    /// Empty: any key; otherwise the estimated key ("C major", "a minor") must be listed.
    public var keys: Set<String> = []
    /// Only original paths matching this regular expression are kept.
    public var pathPattern: String?
    /// Original paths matching this regular expression are rejected.
    public var excludedPathPattern: String?

    public init() {}
}

/// Everything that decides what an ingest produces; a change of any of it makes a
/// re-run process files again rather than skip them.
public struct IngestSettings: Sendable {
    public var filters = IngestFilters()
    public var jobs = Parallel.cores

    public init() {}

    /// Bumped whenever the pipeline's output for the same input changes.
    static let pipelineVersion = 3

    /// A canonical rendering (sets sorted: their iteration order changes between runs).
    var digest: String {
        let parts = [
            "pipeline=\(Self.pipelineVersion)", "minNotes=\(filters.minimumNotes)",
            "minSeconds=\(filters.minimumSeconds)", "maxSeconds=\(filters.maximumSeconds)",
            "drumOnly=\(filters.allowDrumOnly)", "families=\(filters.families.map(\.rawValue).sorted())",
            "meters=\(filters.timeSignatures.sorted())", "keys=\(filters.keys.sorted())",
            "path=\(filters.pathPattern ?? "")", "excludedPath=\(filters.excludedPathPattern ?? "")",
            // Every field of the key recipe, so a change to it re-analyses old catalogues.
            "analysis=\(AnalysisOptions.standard)",
        ]
        return SHA256.hex(of: Array(parts.joined(separator: "\n").utf8))
    }
}
