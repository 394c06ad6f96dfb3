import MIDIFile

/// Settings of `tunesmith analyze`, and the recipe for every key Tunesmith states.
public struct AnalysisOptions: Hashable, Sendable {
    public var profile: KeyProfile.Name
    public var weighting: Weighting
    /// Measures per window of the windowed key analysis, at least 1.
    public var windowMeasures: Int
    /// Only the first M measures go into the windowed analysis; nil for all of them.
    public var measureLimit: Int?
    public var tuning: Tuning
    public var frequencyBinning: FrequencyBinning
    /// Off-ends-all by default: one missing note-off then stretches one note, where
    /// first-in first-out pairing would stretch every later note of that key and skew the
    /// key (jazz/midi147.mid). Lists of notes elsewhere pair first-in first-out.
    public var pairing: NotePairing
    /// Grid for note lengths in the global distribution and histograms; music21's by
    /// default, the duration weighting the key profiles were checked against.
    public var durationGrid: DurationGrid
    /// Run `TrackCleanup` first: drop note-less tracks, exact duplicate and zero-length notes.
    public var cleanTracks: Bool

    public init(
        profile: KeyProfile.Name = .krumhansl, weighting: Weighting = .duration, windowMeasures: Int = 1,
        measureLimit: Int? = nil, tuning: Tuning = .standard, frequencyBinning: FrequencyBinning = .linear(widthHz: 50),
        pairing: NotePairing = .offEndsAll, durationGrid: DurationGrid = .music21, cleanTracks: Bool = false
    ) {
        self.profile = profile
        self.weighting = weighting
        self.windowMeasures = windowMeasures
        self.measureLimit = measureLimit
        self.tuning = tuning
        self.frequencyBinning = frequencyBinning
        self.pairing = pairing
        self.durationGrid = durationGrid
        self.cleanTracks = cleanTracks
    }

    /// The one recipe behind every whole-piece key: `analyze` and `report` by default, the
    /// catalogue's key (so `corpus list --key` agrees with `analyze`) and a score's key
    /// signature. Changing it changes the catalogue, which records it in its settings.
    public static let standard = AnalysisOptions()

    public var keyFinder: KeyFinder { KeyFinder(profile: .named(profile)) }

    /// Histograms of `notes` as the key sees them: lengths on `durationGrid`, weighed by `weighting`.
    public func histograms(of notes: [PieceNote]) -> NoteHistograms {
        let weighed =
            durationGrid == .none
            ? notes
            : notes.map { note in
                var snapped = note
                snapped.durationBeats = durationGrid.snap(beats: note.durationBeats)
                return snapped
            }
        return NoteHistograms(weighed, weighting: weighting, tuning: tuning, binning: frequencyBinning)
    }

    /// The whole-piece key of `file` as `analyze` estimates it; nil without pitched notes.
    public func key(of file: MIDIFile) -> KeyEstimate? {
        keys(of: file, profiles: [profile])[0]
    }

    /// The whole-piece key of `file` under each of `profiles` (these options otherwise), from
    /// one reading of its notes; nil entries without pitched notes.
    public func keys(of file: MIDIFile, profiles: [KeyProfile.Name]) -> [KeyEstimate?] {
        let notes = PieceNotes(cleanTracks ? TrackCleanup.clean(file).file : file, pairing: pairing)
        let pitchClass = histograms(of: notes.notes).pitchClass
        return profiles.map { KeyFinder(profile: .named($0)).estimate(pitchClass) }
    }
}
