/// Measures the baseline: how much catalogue pieces share with other works of the same
/// catalogue. Pieces are sampled evenly through the index; each is matched against the
/// whole index, leaving out itself, files with the same notes (byte-identical or repaired
/// copies) and files with the same name (`WorkKey`: the same work in another folder).
public enum Calibration {
    /// Enough pieces that the 99th percentile rests on several pieces above it, few enough
    /// that indexing stays quick. With 300, the 99.9th percentile is above every sample.
    public static let defaultSample = 300

    public static func measure(
        _ index: ClearanceIndex, sample: Int = defaultSample, settings: MatchSettings = MatchSettings()
    ) throws -> Baseline {
        try index.withReader { reader in
            let ids = try reader.pieceIDs()
            let step = max(1, Double(ids.count) / Double(max(sample, 1)))
            let sampled = stride(from: 0.0, to: Double(ids.count), by: step).map { ids[Int($0)] }
            let scores = try sampled.map { id in
                try bestUnrelatedScore(of: try reader.piece(id), in: reader, settings: settings)
            }
            return Baseline(scores: scores, pieceCount: ids.count)
        }
    }

    /// The score of a catalogue piece's best match with another work (0 when it shares no seed).
    public static func bestUnrelatedScore(
        of piece: IndexedPiece, in catalogue: some SeedCatalogue,
        settings: MatchSettings = MatchSettings()
    ) throws -> Float {
        var settings = settings
        settings.reported = 1
        let matches = try Matcher.matches(for: piece.piece, in: catalogue, settings: settings, queryIsIndexed: true) {
            other in
            other.id == piece.id || other.workKey == piece.workKey || other.contentKey == piece.contentKey
        }
        return matches.first?.score ?? 0
    }
}
