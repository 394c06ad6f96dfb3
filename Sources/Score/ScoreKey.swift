import MIDIFile
import MusicTheory

/// The key signature a score should carry: MusicTheory's Krumhansl–Schmuckler estimate
/// over the whole piece (duration-weighted, drums left out), the same key
/// `tunesmith analyze` reports.
public enum ScoreKey {
    public static func estimate(for file: MIDIFile) -> Key? {
        let notes = PieceNotes(file)
        let histograms = NoteHistograms(notes.notes, weighting: .duration)
        return KeyFinder().estimate(histograms.pitchClass)?.best.key
    }

    public static func signature(for file: MIDIFile) -> KeySignature? {
        estimate(for: file).map(signature(of:))
    }

    public static func signature(of key: Key) -> KeySignature {
        KeySignature(sharps: key.signatureAccidentals, isMinor: key.mode == .minor)
    }
}
