import MIDIFile
import MusicTheory

/// The key signature a score should carry: the whole-piece key by
/// `AnalysisOptions.standard`, the same key `tunesmith analyze` reports.
public enum ScoreKey {
    public static func estimate(for file: MIDIFile) -> Key? {
        AnalysisOptions.standard.key(of: file)?.best.key
    }

    public static func signature(for file: MIDIFile) -> KeySignature? {
        estimate(for: file).map(signature(of:))
    }

    public static func signature(of key: Key) -> KeySignature {
        KeySignature(sharps: key.signatureAccidentals, isMinor: key.mode == .minor)
    }
}
