import MIDIFile

/// Splits a piano part written on one track into a right-hand (treble) and a left-hand
/// (bass) staff at middle C, as a pianist reads it.
public enum StaffSplit {
    /// MIDI key 60: it and everything above go to the right hand.
    public static let middleC: UInt8 = 60
    /// Each hand must hold at least this share of the notes; a melody that dips below
    /// middle C once reads better with a ledger line than with an empty bass staff.
    public static let minimumShare = 0.1

    /// General MIDI programs 0–7 are the pianos; a part with no program change plays
    /// program 0, the acoustic grand.
    public static func isPiano(program: UInt8?, channel: UInt8) -> Bool {
        channel != MIDIChannel.drums && (program ?? 0) < 8
    }

    /// The two hands, or nil when the part belongs on one staff.
    public static func split(_ notes: [ScoreNote]) -> (right: [ScoreNote], left: [ScoreNote])? {
        let right = notes.filter { $0.pitch >= middleC }
        let left = notes.filter { $0.pitch < middleC }
        let minimum = Double(notes.count) * minimumShare
        guard !right.isEmpty, !left.isEmpty, Double(right.count) >= minimum, Double(left.count) >= minimum else {
            return nil
        }
        return (right, left)
    }
}
