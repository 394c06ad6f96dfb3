import MIDIFile

/// `tunesmith analyze --json`: one of these per file, one line each.
public struct AnalysisReport: Encodable, Sendable {
    public struct KeyReport: Encodable, Sendable {
        public var tonic: String
        public var tonicPitchClass: Int
        public var mode: String
        public var name: String
        public var correlation: Double
        /// Correlation gap to the runner-up (only for the best key).
        public var confidence: Double?

        enum CodingKeys: String, CodingKey {
            case tonic
            case tonicPitchClass = "tonic_pc"
            case mode, name, correlation, confidence
        }

        init(_ candidate: KeyCandidate, confidence: Double? = nil) {
            tonic = candidate.key.tonicName
            tonicPitchClass = candidate.key.tonic
            mode = candidate.key.mode.rawValue
            name = candidate.key.name
            correlation = candidate.correlation
            self.confidence = confidence
        }
    }

    public struct WindowReport: Encodable, Sendable {
        public var firstMeasure: Int
        public var lastMeasure: Int
        public var key: String?
        public var correlation: Double?
        /// Why there is no key, for windows without one.
        public var note: String?

        enum CodingKeys: CodingKey {
            case firstMeasure, lastMeasure, key, correlation, note
        }

        /// `key` and `correlation` are null, not missing, for windows without notes.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(firstMeasure, forKey: .firstMeasure)
            try container.encode(lastMeasure, forKey: .lastMeasure)
            try container.encode(key, forKey: .key)
            try container.encode(correlation, forKey: .correlation)
            try container.encodeIfPresent(note, forKey: .note)
        }
    }

    public struct PitchCount: Encodable, Sendable {
        public var pitch: Int
        public var name: String
        public var weight: Double
    }

    public struct FrequencyBin: Encodable, Sendable {
        public var lowHz: Double
        public var highHz: Double
        public var weight: Double
    }

    public struct KeySignatureReport: Encodable, Sendable {
        public var tick: Int
        public var name: String
    }

    public var file: String
    public var profile: String
    public var weighting: String
    public var notes: Int
    public var drumNotes: Int
    public var closedAtTrackEnd: Int
    public var measures: Int
    public var pickup: Bool
    public var key: KeyReport?
    public var candidates: [KeyReport]
    public var keySignatures: [KeySignatureReport]
    public var windowMeasures: Int
    public var windows: [WindowReport]
    public var pitchClassHistogram: [Double]
    /// Pitches that sound, with names spelled for the estimated key.
    public var pitchHistogram: [PitchCount]
    /// Non-empty frequency bins.
    public var frequencyHistogram: [FrequencyBin]
    public var findings: [Finding]
    /// Changes made by `--clean` before analysing.
    public var cleanup: [CleanupChange]
    /// Said when there is no key to give.
    public var message: String?

    enum CodingKeys: CodingKey {
        case file, profile, weighting, notes, drumNotes, closedAtTrackEnd, measures, pickup, key, candidates
        case keySignatures, windowMeasures, windows, pitchClassHistogram, pitchHistogram, frequencyHistogram
        case findings, cleanup, message
    }

    /// Every field is written, `key` as null for files without one, so readers of the
    /// lines find the same fields on each.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(profile, forKey: .profile)
        try container.encode(weighting, forKey: .weighting)
        try container.encode(notes, forKey: .notes)
        try container.encode(drumNotes, forKey: .drumNotes)
        try container.encode(closedAtTrackEnd, forKey: .closedAtTrackEnd)
        try container.encode(measures, forKey: .measures)
        try container.encode(pickup, forKey: .pickup)
        try container.encode(key, forKey: .key)
        try container.encode(candidates, forKey: .candidates)
        try container.encode(keySignatures, forKey: .keySignatures)
        try container.encode(windowMeasures, forKey: .windowMeasures)
        try container.encode(windows, forKey: .windows)
        try container.encode(pitchClassHistogram, forKey: .pitchClassHistogram)
        try container.encode(pitchHistogram, forKey: .pitchHistogram)
        try container.encode(frequencyHistogram, forKey: .frequencyHistogram)
        try container.encode(findings, forKey: .findings)
        try container.encode(cleanup, forKey: .cleanup)
        try container.encodeIfPresent(message, forKey: .message)
    }

    public init(_ analysis: FileAnalysis, options: AnalysisOptions) {
        file = analysis.file
        profile = options.profile.rawValue
        weighting = options.weighting.rawValue
        notes = analysis.pitchedNoteCount
        drumNotes = analysis.drumNoteCount
        closedAtTrackEnd = analysis.notes.closedAtTrackEnd.reduce(0, +)
        measures = analysis.meter.measures.count
        pickup = analysis.meter.measures.first?.number == 0
        key = analysis.key.map { KeyReport($0.best, confidence: $0.confidence) }
        candidates = analysis.key?.candidates.map { KeyReport($0) } ?? []
        keySignatures = analysis.keySignatures.map { KeySignatureReport(tick: $0.tick, name: $0.signature.name) }
        windowMeasures = options.windowMeasures
        windows = analysis.windows.map { window in
            WindowReport(
                firstMeasure: window.firstMeasure, lastMeasure: window.lastMeasure,
                key: window.best?.key.name, correlation: window.best?.correlation,
                note: window.best == nil ? "no pitched notes in these measures" : nil)
        }
        let histograms = analysis.histograms
        pitchClassHistogram = histograms.pitchClass
        let spelling = analysis.spelling
        pitchHistogram = histograms.pitch.indices.filter { histograms.pitch[$0] > 0 }.map {
            PitchCount(pitch: $0, name: Pitch.name(of: $0, spelling: spelling), weight: histograms.pitch[$0])
        }
        frequencyHistogram = histograms.frequency.indices.filter { histograms.frequency[$0] > 0 }.map {
            FrequencyBin(
                lowHz: histograms.frequencyEdges[$0], highHz: histograms.frequencyEdges[$0 + 1],
                weight: histograms.frequency[$0])
        }
        findings = analysis.findings
        cleanup = analysis.cleanup
        if analysis.key == nil {
            message =
                analysis.pitchedNoteCount == 0
                ? "no pitched notes\(analysis.drumNoteCount > 0 ? " (only drums)" : ""): no key to find"
                : "every pitch class is equally present: no key fits better than another"
        }
    }
}
