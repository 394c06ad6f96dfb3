/// A major or minor key, by tonic pitch class (0 = C … 11 = B).
public struct Key: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Mode: String, Hashable, Sendable, Codable, CaseIterable {
        case major, minor
    }

    public var tonic: Int
    public var mode: Mode

    public init(tonic: Int, mode: Mode) {
        self.tonic = Pitch.pitchClass(of: tonic)
        self.mode = mode
    }

    /// The 24 keys: C major … B major, then C minor … B minor.
    public static let all: [Key] = Mode.allCases.flatMap { mode in (0..<12).map { Key(tonic: $0, mode: mode) } }

    /// Parses tonic names like "Eb", "F#", "c#" (case ignored) with a mode.
    public init?(tonicName: String, mode: Mode) {
        guard let midi = Pitch.midiNumber(named: tonicName + "4") else { return nil }
        self.init(tonic: midi, mode: mode)
    }

    /// Sharps (positive) or flats (negative) in the key signature of the spelling
    /// `tonicName` uses: F♯ major has six sharps, E♭ minor six flats.
    public var signatureAccidentals: Int {
        let majorTonic = mode == .major ? tonic : (tonic + 3) % 12
        let sharps = (majorTonic * 7) % 12
        if sharps == 6 { return mode == .major ? 6 : -6 }
        return sharps > 6 ? sharps - 12 : sharps
    }

    /// Spelling that matches the key signature.
    public var spelling: Spelling { signatureAccidentals < 0 ? .flats : .sharps }

    /// Conventional name of the tonic: D♭ major, C♯ minor, F♯ major, E♭ minor.
    public var tonicName: String {
        let majorNames = ["C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
        let minorNames = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B"]
        return mode == .major ? majorNames[tonic] : minorNames[tonic]
    }

    /// Tonic name and mode in plain ASCII: "Eb major", "C# minor".
    public var name: String { "\(tonicName) \(mode.rawValue)" }

    public var description: String { name }

    /// The key sharing this key's signature (A minor for C major).
    public var relative: Key {
        mode == .major ? Key(tonic: tonic + 9, mode: .minor) : Key(tonic: tonic + 3, mode: .major)
    }

    /// Same tonic, other mode.
    public var parallel: Key { Key(tonic: tonic, mode: mode == .major ? .minor : .major) }

    /// Same mode, tonic a perfect fifth above or below.
    public func isFifthAway(from other: Key) -> Bool {
        mode == other.mode && [5, 7].contains(Pitch.pitchClass(of: tonic - other.tonic))
    }
}

extension Key {
    /// Parses the ways people write a key: "D minor", "Dm", "Bb major", "F#m", "c# min",
    /// "Eb" (a tonic alone is major), with `#`/`♯`/`b`/`♭`, words apart or joined by spaces,
    /// `_` or `-`. "M" is major and "m" minor, as in chord symbols. Nil for anything else.
    public init?(parsing text: String) {
        let compact = text.split(whereSeparator: { " _-".contains($0) }).joined()
        guard let letter = compact.first, "ABCDEFGabcdefg".contains(letter) else { return nil }
        var rest = compact.dropFirst()
        var tonicName = String(letter)
        while let accidental = rest.first, "#♯b♭".contains(accidental) {
            tonicName.append(accidental)
            rest = rest.dropFirst()
        }
        let modeNames: [String: Mode] = ["": .major, "maj": .major, "major": .major, "min": .minor, "minor": .minor]
        let mode: Mode? =
            switch String(rest) {
            case "M": .major
            case "m": .minor
            case let word: modeNames[word.lowercased()]
            }
        guard let mode else { return nil }
        self.init(tonicName: tonicName, mode: mode)
    }
}
