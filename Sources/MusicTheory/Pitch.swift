import Foundation

/// Whether black keys are written as sharps (C♯) or flats (D♭); keys with flats in their
/// signature spell with flats, so a piece in E♭ shows "Bb3", not "A#3".
public enum Spelling: String, Sendable, Hashable, Codable {
    case sharps, flats

    static let sharpNames = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"]
    static let flatNames = ["C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"]

    public func name(ofPitchClass pitchClass: Int) -> String {
        let index = ((pitchClass % 12) + 12) % 12
        return self == .sharps ? Self.sharpNames[index] : Self.flatNames[index]
    }
}

/// MIDI note numbers and their names, in scientific pitch notation: C4 = 60 (middle C),
/// so octave numbers change between B and C and MIDI 0 is C-1.
public enum Pitch {
    public static func pitchClass(of midi: Int) -> Int { ((midi % 12) + 12) % 12 }

    public static func octave(of midi: Int) -> Int { Int((Double(midi) / 12).rounded(.down)) - 1 }

    public static func name(of midi: Int, spelling: Spelling = .sharps) -> String {
        spelling.name(ofPitchClass: pitchClass(of: midi)) + String(octave(of: midi))
    }

    /// Parses "C4", "F#3", "Bb-1", "eb5", also with "♯"/"♭"; nil when it is not a pitch name
    /// or falls outside MIDI's 0–127.
    public static func midiNumber(named text: String) -> Int? {
        var characters = Substring(text.trimmingCharacters(in: .whitespaces))
        guard let letter = characters.first?.uppercased(),
            let natural = ["C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11][letter]
        else { return nil }
        characters = characters.dropFirst()
        var alteration = 0
        while let accidental = characters.first, "#♯b♭".contains(accidental) {
            alteration += accidental == "#" || accidental == "♯" ? 1 : -1
            characters = characters.dropFirst()
        }
        guard let octave = Int(characters) else { return nil }
        let midi = (octave + 1) * 12 + natural + alteration
        return (0...127).contains(midi) ? midi : nil
    }
}

/// Twelve-tone equal temperament around a reference A4 (MIDI 69): 440 Hz by default,
/// 415 for baroque pitch or 432 where people ask for it.
public struct Tuning: Sendable, Hashable {
    public var a4: Double

    public static let standard = Tuning(a4: 440)

    public init(a4: Double = 440) {
        self.a4 = a4
    }

    /// Frequency of a (possibly fractional) MIDI note number.
    public func frequency(ofMIDI midi: Double) -> Double {
        a4 * pow(2, (midi - 69) / 12)
    }

    public func frequency(ofMIDI midi: Int) -> Double { frequency(ofMIDI: Double(midi)) }

    /// Fractional MIDI note number of a frequency; nil for frequencies that are not positive.
    public func midiNumber(ofFrequency hertz: Double) -> Double? {
        guard hertz > 0, hertz.isFinite else { return nil }
        return 69 + 12 * log2(hertz / a4)
    }

    /// The nearest equal-tempered pitch and how far the frequency lies from it, in cents
    /// (−50…+50; positive means sharp).
    public func nearestPitch(toFrequency hertz: Double) -> (midi: Int, cents: Double)? {
        guard let exact = midiNumber(ofFrequency: hertz) else { return nil }
        let nearest = exact.rounded()
        return (Int(nearest), (exact - nearest) * 100)
    }
}
