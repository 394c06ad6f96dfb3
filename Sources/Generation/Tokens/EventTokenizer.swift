import MusicTheory

/// The rhythm-aware vocabulary. A piece opens with a header: `Style_<name>` (the corpus
/// folder it came from), `Key_<tonic 0-11>_<major|minor>` (MusicTheory's key finder, as
/// `analyze` has it) and a `Program_<0-127>` or `Drums` token for each instrument it uses.
/// Then per bar `Bar`, its `Meter_n/d` and its `Polyphony_l` (`BarPolyphony`), then `Pos_s` (grid steps from the bar line),
/// `Tempo_b`, then per note `Pitch_p Dur_d Vel_v`, preceded by its instrument's token when
/// that differs from the previous note's (the first note's is compared with a piano), and
/// `End` after the last bar, so a model learns where pieces end. `FillHole`, `FillStart` and
/// `FillEnd` mark bar infilling. Every bar names its meter (as REMI-z's bars carry their time
/// signature) because a model that must infer the meter from the bars it can see closes
/// 4/4 bars after two beats: trained on a corpus where 2/4, 3/4 and 6/8 are common, a network
/// of version 3, which named the meter only where it changed, gave `Bar` 20 to 30 times its
/// real odds in the middle of 4/4 bars. Version 5 names every bar's texture, so `generate`
/// can hold a piece at one; version 4 names the meter in every bar; version 3
/// added the header and instruments; version 2 had no header, version 1 no `End`, and their runs
/// must be retrained. The vocabulary is fixed but for the style tokens, which a run appends
/// from its corpus's folders.
public struct EventTokenizer: Sendable {
    public static let name = "events"
    public static let version = 5
    public static let endToken = "End"
    /// Stands where masked bars were, one per bar, each directly after its `Bar`.
    public static let fillHoleToken = "FillHole"
    /// After `End`: the masked bars follow, with their `Bar` tokens...
    public static let fillStartToken = "FillStart"
    /// ...up to this.
    public static let fillEndToken = "FillEnd"
    public static let stylePrefix = "Style_"
    public static let longestBar = TokenMeter.maximumNumerator * 4 * TokenGrid.stepsPerQuarter / 2

    /// The vocabulary without style tokens.
    public let vocabulary: Vocabulary
    public static let standard = EventTokenizer()

    public init() {
        var tokens = ["Bar"]
        tokens += TokenMeter.all.map { "Meter_\($0)" }
        tokens += (0..<BarPolyphony.levels).map { BarPolyphony.token(level: $0) }
        tokens += (0..<Self.longestBar).map { "Pos_\($0)" }
        tokens += (0..<TempoBuckets.count).map { "Tempo_\($0)" }
        tokens += (0..<128).map { "Pitch_\($0)" }
        tokens += (1...TokenGrid.longestDuration).map { "Dur_\($0)" }
        tokens += (0..<QuantisedPiece.velocityBuckets).map { "Vel_\($0)" }
        tokens += Key.all.map(Self.keyToken)
        tokens += Instrument.all.map(\.token)
        tokens += [Self.endToken, Self.fillHoleToken, Self.fillStartToken, Self.fillEndToken]
        vocabulary = Vocabulary(tokenizer: Self.name, version: Self.version, tokens: tokens)
    }

    /// The fixed vocabulary with a style token for each of `styles`, sorted, appended.
    public func vocabulary(styles: some Sequence<String>) -> Vocabulary {
        Vocabulary(
            tokenizer: Self.name, version: Self.version,
            tokens: vocabulary.tokens + Set(styles).sorted().map(Self.styleToken))
    }

    public static func styleToken(_ style: String) -> String { stylePrefix + style }
    public static func keyToken(_ key: Key) -> String { "Key_\(key.tonic)_\(key.mode.rawValue)" }

    /// The key a `Key_` token names, nil for any other token.
    public static func key(ofToken token: String) -> Key? {
        let parts = token.split(separator: "_")
        guard parts.count == 3, parts[0] == "Key", let tonic = Int(parts[1]), (0..<12).contains(tonic),
            let mode = Key.Mode(rawValue: String(parts[2]))
        else { return nil }
        return Key(tonic: tonic, mode: mode)
    }

    /// The styles a vocabulary knows, in its order.
    public static func styles(in vocabulary: Vocabulary) -> [String] {
        vocabulary.tokens.filter { $0.hasPrefix(stylePrefix) }.map { String($0.dropFirst(stylePrefix.count)) }
    }

    /// What opens a piece before its first bar: each part is left out when unknown.
    public struct Header: Hashable, Sendable {
        public var style: String?
        public var key: Key?
        public var instruments: [Instrument]

        public init(style: String? = nil, key: Key? = nil, instruments: [Instrument] = []) {
            self.style = style
            self.key = key
            self.instruments = instruments
        }

        /// Style, key, then the instruments in order.
        public var tokens: [String] {
            [style.map(EventTokenizer.styleToken), key.map(EventTokenizer.keyToken)].compactMap { $0 }
                + Set(instruments).sorted().map(\.token)
        }
    }

    /// The header and body of a piece: its instruments are the piece's own.
    public func tokens(for piece: QuantisedPiece, style: String? = nil, key: Key? = nil) -> [String] {
        Header(style: style, key: key, instruments: piece.instruments).tokens + bodyTokens(for: piece)
    }

    /// From the first `Bar` to `End`.
    public func bodyTokens(for piece: QuantisedPiece) -> [String] {
        var tokens: [String] = []
        tokens.reserveCapacity(piece.notes.count * 4)
        let bars = piece.bars(through: piece.lastEventStep)
        let polyphony = BarPolyphony.levels(of: piece, bars: bars)
        var noteIndex = 0, tempoIndex = 0
        var instrument = Instrument.piano
        for (barIndex, bar) in bars.enumerated() {
            tokens += ["Bar", "Meter_\(bar.meter)", BarPolyphony.token(level: polyphony[barIndex])]
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
                    if note.instrument != instrument {
                        tokens.append(note.instrument.token)
                        instrument = note.instrument
                    }
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
    /// The header says nothing the notes need: instruments before the first bar only list
    /// what comes.
    public func piece(from tokens: [String]) -> QuantisedPiece {
        var notes: [QuantisedPiece.Note] = []
        var tempos: [QuantisedPiece.TempoChange] = []
        var meters: [QuantisedPiece.MeterChange] = []
        var bar = -1, barStart = 0, meter = TokenMeter.common, position = 0
        var instrument = Instrument.piano
        for token in tokens {
            if let named = Instrument(token: token) {
                if bar >= 0 { instrument = named }
                continue
            }
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
                            pitch: pitch, velocityBucket: 8, instrument: instrument))
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

    /// The header a token stream opens with: what stands before its first `Bar`.
    public static func header(of tokens: [String]) -> Header {
        var header = Header()
        for token in tokens.prefix(while: { $0 != "Bar" }) {
            if token.hasPrefix(stylePrefix) {
                header.style = String(token.dropFirst(stylePrefix.count))
            } else if let key = key(ofToken: token) {
                header.key = key
            } else if let instrument = Instrument(token: token) {
                header.instruments.append(instrument)
            }
        }
        return header
    }
}
