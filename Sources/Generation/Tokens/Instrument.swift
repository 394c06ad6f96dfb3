import Foundation
import MusicTheory

/// What plays a note: a General MIDI program (0–127) on a pitched channel, or the drum kit
/// on channel 10, whose key numbers name drums, not pitches. Programs sort before drums.
public enum Instrument: Hashable, Sendable, Comparable, CustomStringConvertible {
    case program(Int)
    case drums

    /// A note with no program change before it plays the General MIDI default, a piano.
    public static let piano = Instrument.program(0)

    /// `Program_p` or `Drums`: the token that says a note's instrument.
    public var token: String {
        switch self {
        case .program(let program): "Program_\(program)"
        case .drums: "Drums"
        }
    }

    public init?(token: String) {
        if token == "Drums" {
            self = .drums
        } else if token.hasPrefix("Program_"), let program = Int(token.dropFirst(8)), (0...127).contains(program) {
            self = .program(program)
        } else {
            return nil
        }
    }

    /// "drums", a program number (0–127) or a General MIDI name ("violin", "tenor sax").
    public init?(named name: String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if ["drums", "drum kit", "drumkit", "percussion"].contains(trimmed.lowercased()) {
            self = .drums
        } else if let program = Int(trimmed) {
            guard (0...127).contains(program) else { return nil }
            self = .program(program)
        } else if let program = GeneralMIDI.program(named: trimmed) {
            self = .program(program)
        } else {
            return nil
        }
    }

    /// One number per instrument, 0…128, for tables indexed by instrument.
    var index: Int {
        switch self {
        case .program(let program): program
        case .drums: 128
        }
    }

    public static let all: [Instrument] = (0...127).map(Instrument.program) + [.drums]

    public var description: String {
        switch self {
        case .program(let program): "\(program) (\(GeneralMIDI.programNames[program]))"
        case .drums: "drums"
        }
    }

    public static func < (lhs: Instrument, rhs: Instrument) -> Bool { lhs.index < rhs.index }
}
