/// One instrument of the score: every track and channel that plays it, merged.
///
/// Sequenced piano music keeps each hand, or each fugue voice, on its own track; a
/// pianist reads them from one grand staff. Parts are the same instrument when both are
/// pianos, both are drums, or both play the same General MIDI program.
public struct Instrument: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case piano
        case drums
        case program(UInt8?)
    }

    public var kind: Kind
    public var name: String
    /// The channel and program its notes play on when the score is heard.
    public var channel: UInt8
    public var program: UInt8?
    public var notes: [ScoreNote]

    public var staffCount: Int { kind == .piano ? 2 : 1 }

    /// The instruments of `parts` in order of first appearance, parts without notes left out.
    public static func merge(_ parts: [ScorePart]) -> [Instrument] {
        var instruments: [Instrument] = []
        for part in parts where !part.notes.isEmpty {
            let kind: Kind =
                part.isDrums
                ? .drums
                : StaffSplit.isPiano(program: part.program, channel: part.channel) ? .piano : .program(part.program)
            if let index = instruments.firstIndex(where: { $0.kind == kind }) {
                instruments[index].notes += part.notes
            } else {
                instruments.append(
                    Instrument(
                        kind: kind, name: name(of: kind, partName: part.name), channel: part.channel,
                        program: part.program, notes: part.notes))
            }
        }
        return instruments
    }

    /// "Piano" and "Drums" for those; otherwise the track's own name, or the program's
    /// number when the track has none.
    private static func name(of kind: Kind, partName: String?) -> String {
        switch kind {
        case .piano: "Piano"
        case .drums: "Drums"
        case .program(let program): partName ?? program.map { "Program \(Int($0) + 1)" } ?? "Part"
        }
    }
}
