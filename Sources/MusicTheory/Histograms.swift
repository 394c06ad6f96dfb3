import Foundation
import MIDIFile
import Utilities

/// What a note counts for in a distribution: its length in quarter-note beats (as
/// music21 weighs its key-finding input), or 1 per note.
public enum Weighting: String, Hashable, Sendable, Codable, CaseIterable {
    case duration, count

    public func weight(of note: PieceNote) -> Double {
        self == .duration ? note.durationBeats : 1
    }
}

/// How frequencies are grouped: equal widths in hertz (as the original plots did), or
/// equal ratios, so every octave gets as many bins whatever its register.
public enum FrequencyBinning: Hashable, Sendable {
    case linear(widthHz: Double)
    case logarithmic(binsPerOctave: Int)

    /// Bin edges covering every MIDI note 0–127 under the tuning, lowest first.
    public func edges(tuning: Tuning) -> [Double] {
        let highest = tuning.frequency(ofMIDI: 127.5)
        switch self {
        case .linear(let width):
            let count = Int((highest / width).rounded(.up))
            return (0...count).map { Double($0) * width }
        case .logarithmic(let binsPerOctave):
            let lowest = tuning.frequency(ofMIDI: -0.5)
            let count = Int((Double(binsPerOctave) * 128 / 12).rounded(.up))
            return (0...count).map { lowest * pow(2, Double($0) / Double(binsPerOctave)) }
        }
    }
}

/// Pitch (0–127), pitch-class and frequency histograms of pitched notes (drums have no
/// pitch and are left out). Histograms built with the same settings add up, so a
/// corpus's histogram is the sum of its pieces'.
public struct NoteHistograms: Hashable, Sendable {
    public var pitch: [Double]
    public var frequencyEdges: [Double]
    /// `frequency[i]` counts notes whose frequency lies in `frequencyEdges[i]..<frequencyEdges[i+1]`.
    public var frequency: [Double]

    public init(tuning: Tuning = .standard, binning: FrequencyBinning = .linear(widthHz: 50)) {
        pitch = Array(repeating: 0, count: 128)
        frequencyEdges = binning.edges(tuning: tuning)
        frequency = Array(repeating: 0, count: frequencyEdges.count - 1)
    }

    public init(
        _ notes: [PieceNote], weighting: Weighting, tuning: Tuning = .standard,
        binning: FrequencyBinning = .linear(widthHz: 50)
    ) {
        self.init(tuning: tuning, binning: binning)
        for note in notes where !note.isDrum { pitch[Int(note.pitch & 0x7F)] += weighting.weight(of: note) }
        for midi in 0..<128 where pitch[midi] != 0 {
            frequency[bin(of: tuning.frequency(ofMIDI: midi))] += pitch[midi]
        }
    }

    /// Folds the pitch histogram into octaves: C, C♯, … B.
    public var pitchClass: [Double] {
        var classes = Array(repeating: 0.0, count: 12)
        for midi in 0..<128 { classes[midi % 12] += pitch[midi] }
        return classes
    }

    private func bin(of hertz: Double) -> Int {
        frequencyEdges[..<frequency.count].lastIndex(atMost: hertz) { $0 }
    }

    /// Adds another histogram made with the same tuning and binning.
    public mutating func add(_ other: NoteHistograms) {
        precondition(other.frequencyEdges == frequencyEdges, "histograms must share their frequency bins to add up")
        for index in pitch.indices { pitch[index] += other.pitch[index] }
        for index in frequency.indices { frequency[index] += other.frequency[index] }
    }
}
