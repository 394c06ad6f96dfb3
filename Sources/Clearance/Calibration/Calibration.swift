import Utilities

/// Measures the baseline: how much catalogue pieces share with other works of the same
/// catalogue. Pieces are sampled evenly through the index; each is matched against the
/// whole index, leaving out itself, files with the same notes (byte-identical or repaired
/// copies), files with the same name (`WorkKey`: the same work in another folder), and
/// files sharing a passage too long for two works (`isSameWork`: the same tune under
/// another name, as scraped folders hold).
public enum Calibration {
    /// A best passage of this many notes or more is two files of one work, not one work
    /// borrowing from another. In the visible corpus (596 pieces, each checked against the
    /// rest) no two different works share more than 56 notes in their best passage, and every
    /// pair sharing 130 or more is one tune under two file numbers (jazz) or two movements of
    /// one work sharing its theme (Mussorgsky's Promenade): 96 lies in that gap.
    static let sameWorkNotes = 96
    /// Best matches looked through for one of another work.
    static let sameWorkCandidates = 16

    /// True when `match` shares a passage too long for two works: another file of the same
    /// work, whatever its name.
    public static func isSameWork(_ match: PieceMatch) -> Bool {
        match.alignment.sharedNotes >= sameWorkNotes
    }

    /// Enough pieces that the 99th percentile rests on several pieces above it, few enough
    /// that indexing stays quick. With 300, the 99.9th percentile is above every sample.
    public static let defaultSample = 300

    /// The baseline of an on-disk index, the sampled pieces matched on `jobs` threads.
    public static func measure(
        _ index: ClearanceIndex, sample: Int = defaultSample, jobs: Int = 1, settings: MatchSettings = MatchSettings()
    ) throws -> Baseline {
        let ids = try index.withReader { try $0.pieceIDs() }
        let sampled = spread(ids, sample: sample)
        // The checks already run side by side: the cores are shared among them.
        var shared = settings
        shared.threads = max(1, settings.threads / max(1, jobs))
        let settings = shared
        var scores: [Float] = []
        try OrderedParallelMap.run(
            count: sampled.count, jobs: jobs,
            work: { position in
                Result {
                    try index.withReader { reader in
                        try bestUnrelatedScore(of: try reader.piece(sampled[position]), in: reader, settings: settings)
                    }
                }
            },
            consume: { _, score in scores.append(try score.get()) })
        return Baseline(scores: scores, pieceCount: ids.count)
    }

    /// The baseline of any catalogue (one held in memory, say), on the calling thread.
    public static func measure(
        _ catalogue: some SeedCatalogue, sample: Int = defaultSample, settings: MatchSettings = MatchSettings()
    ) throws -> Baseline {
        let ids = try catalogue.pieceIDs()
        let scores = try spread(ids, sample: sample).map {
            try bestUnrelatedScore(of: try catalogue.piece($0), in: catalogue, settings: settings)
        }
        return Baseline(scores: scores, pieceCount: ids.count)
    }

    /// `sample` ids evenly spread through `ids`.
    private static func spread(_ ids: [Int64], sample: Int) -> [Int64] {
        let step = max(1, Double(ids.count) / Double(max(sample, 1)))
        return stride(from: 0.0, to: Double(ids.count), by: step).map { ids[Int($0)] }
    }

    /// The score of a catalogue piece's best match with another work (0 when it shares no seed).
    public static func bestUnrelatedScore(
        of piece: IndexedPiece, in catalogue: some SeedCatalogue,
        settings: MatchSettings = MatchSettings()
    ) throws -> Float {
        var settings = settings
        settings.reported = sameWorkCandidates
        let matches = try Matcher.matches(for: piece.piece, in: catalogue, settings: settings, queryIsIndexed: true) {
            other in
            other.id == piece.id || other.workKey == piece.workKey || other.contentKey == piece.contentKey
        }
        return matches.first { !isSameWork($0) }?.score ?? 0
    }
}
