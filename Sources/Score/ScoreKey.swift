import MIDIFile
import MusicTheory

/// The key signature a score should carry when the file states none: the whole-piece key by
/// `AnalysisOptions.standard`, the same key `tunesmith analyze` reports.
public enum ScoreKey {
    public static func estimate(for file: MIDIFile) -> Key? {
        AnalysisOptions.standard.key(of: file)?.best.key
    }

    public static func signature(for file: MIDIFile) -> KeySignature? {
        estimate(for: file).map(signature(of:))
    }

    /// The key a signature names: its major key, or the relative minor for a minor one.
    public static func key(of signature: KeySignature) -> Key {
        let major = ((signature.sharps * 7) % 12 + 12) % 12
        return signature.isMinor ? Key(tonic: major + 9, mode: .minor) : Key(tonic: major, mode: .major)
    }

    public static func signature(of key: Key) -> KeySignature {
        KeySignature(sharps: key.signatureAccidentals, isMinor: key.mode == .minor)
    }
}
