/// One matched passage as reported: which catalogue piece, how much is shared, how unusual
/// that is, and where the passage lies in both pieces.
public struct MatchSummary: Hashable, Sendable, Encodable {
    public var piece: String
    public var score: Float
    /// Percent of catalogue pieces whose best match with another work scores lower.
    public var percentile: Double
    public var queryBars: [Int]
    public var sourceBars: [Int]
    public var sharedNotes: Int
    public var queryStart: BarPosition
    public var queryEnd: BarPosition
    public var sourceStart: BarPosition
    public var sourceEnd: BarPosition

    enum CodingKeys: String, CodingKey {
        case piece, score, percentile
        case queryBars = "query_bars"
        case sourceBars = "source_bars"
        case sharedNotes = "shared_notes"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(piece, forKey: .piece)
        try container.encode((Double(score) * 100).rounded() / 100, forKey: .score)
        try container.encode((percentile * 100).rounded() / 100, forKey: .percentile)
        try container.encode(queryBars, forKey: .queryBars)
        try container.encode(sourceBars, forKey: .sourceBars)
        try container.encode(sharedNotes, forKey: .sharedNotes)
    }
}

/// A checked piece: the verdict from its best match, and its best matches, best first.
public struct CheckResult: Sendable, Encodable {
    public var file: String
    public var verdict: Verdict
    public var matches: [MatchSummary]
    /// The alignments behind `matches`, for reports.
    public var details: [PieceMatch]

    enum CodingKeys: String, CodingKey { case file, verdict, matches }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(matches, forKey: .matches)
    }
}

/// Checks pieces against a catalogue and judges the best match against the baseline.
public struct ClearanceChecker: Sendable {
    public var baseline: Baseline
    public var thresholds: VerdictThresholds
    public var settings: MatchSettings

    public init(
        baseline: Baseline, thresholds: VerdictThresholds = VerdictThresholds(),
        settings: MatchSettings = MatchSettings()
    ) {
        self.baseline = baseline
        self.thresholds = thresholds
        self.settings = settings
    }

    public func check(_ query: ClearancePiece, file: String, against catalogue: some SeedCatalogue) throws
        -> CheckResult
    {
        let matches = try Matcher.matches(for: query, in: catalogue, settings: settings)
        let summaries = matches.map { summary(of: $0, query: query) }
        return CheckResult(
            file: file, verdict: thresholds.verdict(percentile: summaries.first?.percentile),
            matches: summaries, details: matches)
    }

    public func summary(of match: PieceMatch, query: ClearancePiece) -> MatchSummary {
        let queryNotes = match.queryLine.notes
        let sourceNotes = match.piece.piece.lines[match.sourceLine].notes
        let pairs = match.alignment.pairs
        let first = pairs.first ?? LocalAlignment.Pair(query: 0, source: 0), last = pairs.last ?? first
        let queryStart = query.position(atBeat: queryNotes[first.query].onsetBeats)
        let queryEnd = query.position(atBeat: queryNotes[last.query].onsetBeats)
        let sourceStart = match.piece.piece.position(atBeat: sourceNotes[first.source].onsetBeats)
        let sourceEnd = match.piece.piece.position(atBeat: sourceNotes[last.source].onsetBeats)
        return MatchSummary(
            piece: match.piece.path, score: match.score, percentile: baseline.percentile(of: match.score),
            queryBars: [queryStart.bar, queryEnd.bar], sourceBars: [sourceStart.bar, sourceEnd.bar],
            sharedNotes: match.alignment.sharedNotes, queryStart: queryStart, queryEnd: queryEnd,
            sourceStart: sourceStart, sourceEnd: sourceEnd)
    }
}
