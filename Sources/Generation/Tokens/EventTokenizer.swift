/// The rhythm-aware vocabulary: `Bar`, `Meter_n/d` (at the bar it starts), `Pos_s`
/// (grid steps from the bar line), `Tempo_b`, then per note `Pitch_p Dur_d Vel_v`, and
/// `End` after the last bar, so a model learns where pieces end, then the bar-infilling
/// markers `FillHole`, `FillStart` and `FillEnd` (version 3; version 2 had no infilling
/// markers and version 1 no `End`, and their runs must be retrained). The vocabulary is
/// fixed, so every corpus and every model shares it.
public struct EventTokenizer: Sendable {
    public static let name = "events"
    public static let version = 3
    public static let endToken = "End"
    /// Stands where a masked bar was, directly after its `Bar` (one per masked bar).
    public static let fillHoleToken = "FillHole"
    /// After the piece's `End`: the masked bars follow, with their `Bar` tokens.
    public static let fillStartToken = "FillStart"
    /// Closes the masked bars.
    public static let fillEndToken = "FillEnd"
    public static let longestBar = TokenMeter.maximumNumerator * 4 * TokenGrid.stepsPerQuarter / 2

    public let vocabulary: Vocabulary
    public static let standard = EventTokenizer()

    public init() {
        var tokens = ["Bar"]
        tokens += TokenMeter.all.map { "Meter_\($0)" }
        tokens += (0..<Self.longestBar).map { "Pos_\($0)" }
        tokens += (0..<TempoBuckets.count).map { "Tempo_\($0)" }
        tokens += (0..<128).map { "Pitch_\($0)" }
        tokens += (1...TokenGrid.longestDuration).map { "Dur_\($0)" }
        tokens += (0..<QuantisedPiece.velocityBuckets).map { "Vel_\($0)" }
        tokens += [Self.endToken, Self.fillHoleToken, Self.fillStartToken, Self.fillEndToken]
        vocabulary = Vocabulary(tokenizer: Self.name, version: Self.version, tokens: tokens)
    }

    public func tokens(for piece: QuantisedPiece) -> [String] {
        var tokens: [String] = []
        tokens.reserveCapacity(piece.notes.count * 4)
        let bars = piece.bars(through: piece.lastEventStep)
        var meterIndex = 0, noteIndex = 0, tempoIndex = 0
        for (barIndex, bar) in bars.enumerated() {
            tokens.append("Bar")
            if meterIndex < piece.meters.count && piece.meters[meterIndex].bar == barIndex {
                tokens.append("Meter_\(piece.meters[meterIndex].meter)")
                meterIndex += 1
            }
            let barEnd = barIndex + 1 < bars.count ? bars[barIndex + 1].start : Int.max
            while true {
                let nextNote = noteIndex < piece.notes.count ? piece.notes[noteIndex].onset : Int.max
                let nextTempo = tempoIndex < piece.tempos.count ? piece.tempos[tempoIndex].step : Int.max
                let step = min(nextNote, nextTempo)
                guard step < barEnd else { break }
                tokens.append("Pos_\(step - bar.start)")
                if nextTempo == step {
                    tokens.append("Tempo_\(piece.tempos[tempoIndex].bucket)")
                    tempoIndex += 1
                }
                while noteIndex < piece.notes.count && piece.notes[noteIndex].onset == step {
                    let note = piece.notes[noteIndex]
                    tokens += ["Pitch_\(note.pitch)", "Dur_\(note.duration)", "Vel_\(note.velocityBucket)"]
                    noteIndex += 1
                }
            }
        }
        tokens.append(Self.endToken)
        return tokens
    }

    /// Reads tokens leniently, as a model writes them: a note missing its duration or
    /// velocity gets a quarter note at mezzo-forte, and tokens out of place are skipped.
    public func piece(from tokens: [String]) -> QuantisedPiece {
        var notes: [QuantisedPiece.Note] = []
        var tempos: [QuantisedPiece.TempoChange] = []
        var meters: [QuantisedPiece.MeterChange] = []
        var bar = -1, barStart = 0, meter = TokenMeter.common, position = 0
        for token in tokens {
            guard let separator = token.firstIndex(of: "_") else {
                if token == "Bar" {
                    if bar >= 0 { barStart += meter.barSteps }
                    bar += 1
                    position = 0
                }
                continue
            }
            let kind = token[..<separator], value = token[token.index(after: separator)...]
            switch kind {
            case "Meter":
                let parts = value.split(separator: "/").compactMap { Int($0) }
                if parts.count == 2 {
                    meter = TokenMeter(supporting: parts[0], parts[1])
                    meters.append(QuantisedPiece.MeterChange(bar: max(bar, 0), meter: meter))
                }
            case "Pos":
                position = Int(value) ?? position
            case "Tempo":
                if let bucket = Int(value) {
                    tempos.append(QuantisedPiece.TempoChange(step: barStart + position, bucket: bucket))
                }
            case "Pitch":
                if let pitch = Int(value) {
                    notes.append(
                        QuantisedPiece.Note(
                            onset: barStart + position, duration: TokenGrid.stepsPerQuarter,
                            pitch: pitch, velocityBucket: 8))
                }
            case "Dur":
                if let duration = Int(value), !notes.isEmpty { notes[notes.count - 1].duration = duration }
            case "Vel":
                if let bucket = Int(value), !notes.isEmpty { notes[notes.count - 1].velocityBucket = bucket }
            default:
                continue
            }
        }
        return QuantisedPiece(notes: notes, tempos: tempos, meters: meters)
    }
}
