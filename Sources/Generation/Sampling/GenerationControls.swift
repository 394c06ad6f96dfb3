import Foundation
import MIDIFile
import MusicTheory

/// What `generate` is asked for beyond "a piece". Meter, tempo, bar count and instruments
/// are exact by construction: the header, meter and tempo are forced as the piece's first
/// tokens, and `TokenGrammar.Constraints` keep every sampled token within them. Style and key
/// condition the model through their header tokens; the key also draws the pitches sampled
/// toward it (`KeyGuidance`), is then checked with the key finder, and `keyStrict`
/// resamples until it agrees. A polyphony level is named by every bar (`BarPolyphony`), so the
/// texture holds through the piece.
public struct GenerationControls: Hashable, Sendable {
    public var style: String?
    public var key: Key?
    public var meter: TokenMeter?
    /// Written into the MIDI file exactly; the model is conditioned on its tempo bucket.
    public var bpm: Double?
    public var bars: Int?
    /// The instruments that play; empty for any.
    public var instruments: [Instrument]
    /// The `BarPolyphony` level every bar names; nil leaves each bar's to the model.
    public var polyphony: Int?
    /// Resample (up to the request's attempts) until the key finder hears `key` under every
    /// profile of `strictKeyProfiles`.
    public var keyStrict: Bool
    /// How hard pitches are drawn toward `key` while sampling (`KeyGuidance`); 0 leaves the
    /// key to the header token alone, nil takes the default for where the key came from
    /// (asked, or drawn from the training pieces' keys).
    public var keyGuidance: Double?
    /// Classifier-free guidance weight on the header asked for (`HeaderGuidance`): 1 is plain
    /// conditioning; nothing to guide when no style, key or instrument is asked.
    public var guidance: Double

    public static let barRange = 1...256

    /// The key profiles `keyStrict` asks to agree: the analyze recipe's (Krumhansl; first, so
    /// its key is the one `generate` reports) and Aarden–Essen, which music21's
    /// `analyze("key")` uses. The two disagree on a piece now and then — 2 of 120 strict pieces
    /// of a 10-minute run were F♯ major against B major and B minor against E minor — and a key
    /// only one standard finder names is not the key a producer asked for.
    public static let strictKeyProfiles: [KeyProfile.Name] = [AnalysisOptions.standard.profile, .aarden]

    /// The key each of `strictKeyProfiles` finds in `midi`, in that order (nil for no notes),
    /// from one reading of its notes.
    public static func strictKeys(of midi: MIDIFile) -> [Key?] {
        AnalysisOptions.standard.keys(of: midi, profiles: strictKeyProfiles).map { $0?.best.key }
    }
    /// Past 4 the key's distribution all but decides each pitch.
    public static let keyGuidanceRange = 0.0...4.0
    public static let bpmRange = TempoBuckets.bpm(ofBucket: 0)...TempoBuckets.bpm(ofBucket: TempoBuckets.count - 1)
    /// Tokens allowed per bar asked for when the caller gives no token limit: several times
    /// what a dense bar of the corpus takes, so the limit never cuts a piece short in practice.
    public static let tokensPerBar = 384
    /// The meter and tempo of a piece when they are not asked for.
    public static let defaultMeter = TokenMeter.common
    public static let defaultBPM = 120.0

    public init(
        style: String? = nil, key: Key? = nil, meter: TokenMeter? = nil, bpm: Double? = nil, bars: Int? = nil,
        instruments: [Instrument] = [], polyphony: Int? = nil, keyStrict: Bool = false, keyGuidance: Double? = nil,
        guidance: Double = HeaderGuidance.defaultWeight
    ) {
        self.style = style
        self.key = key
        self.meter = meter
        self.bpm = bpm
        self.bars = bars
        self.instruments = instruments
        self.polyphony = polyphony
        self.keyStrict = keyStrict
        self.keyGuidance = keyGuidance
        self.guidance = guidance
    }

    /// Whether anything at all is asked for (how hard a key or a header would be held is not, on its own).
    public var isEmpty: Bool {
        var plain = self
        plain.keyGuidance = nil
        plain.guidance = HeaderGuidance.defaultWeight
        return plain == GenerationControls()
    }

    /// The header asked for: style, key and instruments.
    var header: EventTokenizer.Header {
        EventTokenizer.Header(style: style, key: key, instruments: instruments)
    }

    /// The guidance weight in force: nil when there is no header to guide.
    public var headerGuidanceWeight: Double? {
        header.tokens.isEmpty ? nil : guidance
    }

    /// A meter written `N/D`, as the `events` vocabulary can say it.
    public static func meter(parsing text: String) throws(GenerationControlError) -> TokenMeter {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard parts.count == 2, let numerator = parts[0], let denominator = parts[1],
            TokenMeter.denominators.contains(denominator), (1...TokenMeter.maximumNumerator).contains(numerator)
        else { throw .unknownMeter(text) }
        return TokenMeter(numerator: numerator, denominator: denominator)
    }

    public static func key(parsing text: String) throws(GenerationControlError) -> Key {
        guard let key = Key(parsing: text) else { throw .unknownKey(text) }
        return key
    }

    public static func instrument(parsing text: String) throws(GenerationControlError) -> Instrument {
        guard let instrument = Instrument(named: text) else { throw .unknownInstrument(text) }
        return instrument
    }

    /// The first thing asked for that this run cannot give, or nil.
    func problem(vocabulary: Vocabulary, hasPrompt: Bool) -> GenerationControlError? {
        if isEmpty { return nil }
        if hasPrompt { return .combinedWithPrompt }
        guard vocabulary.tokenizer == EventTokenizer.name, vocabulary.version >= 3 else {
            return .needsHeaderTokens(tokenizer: "\(vocabulary.tokenizer) v\(vocabulary.version)")
        }
        if let bars, !Self.barRange.contains(bars) { return .barsOutOfRange(bars) }
        if let bpm, !Self.bpmRange.contains(bpm) { return .tempoOutOfRange(bpm) }
        if let polyphony {
            guard (1..<BarPolyphony.levels).contains(polyphony) else { return .polyphonyOutOfRange(polyphony) }
            guard vocabulary.id(of: BarPolyphony.token(level: polyphony)) != nil else {
                return .needsPolyphonyTokens(tokenizer: "\(vocabulary.tokenizer) v\(vocabulary.version)")
            }
        }
        if keyStrict && key == nil { return .strictWithoutKey }
        if let keyGuidance, !Self.keyGuidanceRange.contains(keyGuidance) { return .keyGuidanceOutOfRange(keyGuidance) }
        if !HeaderGuidance.weightRange.contains(guidance) { return .guidanceOutOfRange(guidance) }
        if let style, vocabulary.id(of: EventTokenizer.styleToken(style)) == nil {
            return .unknownStyle(style, known: EventTokenizer.styles(in: vocabulary))
        }
        return nil
    }

    /// The tokens a piece asked for opens with: the header asked for (style, key,
    /// instruments; what is not asked is left out, as in training's header dropout), then
    /// the first bar with its meter, its polyphony when asked and, at its start, its tempo.
    var openingTokens: [String] {
        header.tokens + firstBarTokens
    }

    /// The opening without its header: what classifier-free guidance's unconditioned pass continues.
    var firstBarTokens: [String] {
        ["Bar", "Meter_\(meter ?? Self.defaultMeter)"] + (polyphony.map { [BarPolyphony.token(level: $0)] } ?? [])
            + ["Pos_0", "Tempo_\(TempoBuckets.bucket(bpm: bpm ?? Self.defaultBPM))"]
    }

    var constraints: TokenGrammar.Constraints {
        TokenGrammar.Constraints(
            meterFixed: meter != nil, tempoFixed: bpm != nil, bars: bars,
            instruments: instruments.isEmpty ? nil : Set(instruments), polyphony: polyphony)
    }
}

/// A control `generate` cannot honour as asked, or could not within its attempts. Each case
/// carries the value at fault; `description` names the control in the library's words.
public enum GenerationControlError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownKey(String)
    case unknownMeter(String)
    case unknownInstrument(String)
    case unknownStyle(String, known: [String])
    case barsOutOfRange(Int)
    case tempoOutOfRange(Double)
    /// Strictness needs a key to be strict about.
    case strictWithoutKey
    /// Key guidance outside `GenerationControls.keyGuidanceRange`.
    case keyGuidanceOutOfRange(Double)
    /// A header guidance weight outside `HeaderGuidance.weightRange`.
    case guidanceOutOfRange(Double)
    /// A polyphony level the vocabulary has no token for.
    case polyphonyOutOfRange(Int)
    /// The run's vocabulary names no bar's polyphony (`events` before version 5).
    case needsPolyphonyTokens(tokenizer: String)
    /// The run's vocabulary has no header tokens (`notes`, or `events` before version 3).
    case needsHeaderTokens(tokenizer: String)
    /// A prompt sets its own opening; the controls open a piece of their own.
    case combinedWithPrompt
    /// No sample within the attempts was in the key asked for.
    case keyNotReached(output: String, asked: Key, found: Key?, attempts: Int)
    /// No sample within the attempts reached its last bar before the token limit.
    case barsNotReached(output: String, bars: Int, attempts: Int, tokenLimit: Int)

    public var description: String {
        switch self {
        case .unknownKey(let text): "key \(text): \(problem)"
        case .unknownMeter(let text): "meter \(text): \(problem)"
        case .unknownInstrument(let text): "instrument \(text): \(problem)"
        case .unknownStyle(let style, _): "style \(style): \(problem)"
        case .barsOutOfRange(let bars): "\(bars) bars: \(problem)"
        case .tempoOutOfRange(let bpm): "tempo \(bpm) bpm: \(problem)"
        case .strictWithoutKey: "key strictness: \(problem)"
        case .keyGuidanceOutOfRange(let strength): "key guidance \(strength): \(problem)"
        case .guidanceOutOfRange(let weight): "header guidance \(weight): \(problem)"
        case .polyphonyOutOfRange(let level): "polyphony \(level): \(problem)"
        case .needsPolyphonyTokens: "polyphony: \(problem); train the run again with events tokens"
        case .needsHeaderTokens: "controls: \(problem); train the run again with events tokens"
        case .combinedWithPrompt: "controls: \(problem)"
        case .keyNotReached(let output, _, _, _): "\(output): \(problem); nothing written — sample more times"
        case .barsNotReached(let output, _, _, _): "\(output): \(problem); nothing written — allow more tokens"
        }
    }

    /// What is wrong, with what is allowed, without naming the control's option.
    public var problem: String {
        switch self {
        case .unknownKey: "not a key; write a tonic and a mode, e.g. \"D minor\", \"Dm\", \"Bb major\" or \"F#m\""
        case .unknownMeter:
            "not a meter the events vocabulary can say; write N/D with N from 1 to \(TokenMeter.maximumNumerator) "
                + "and D one of \(TokenMeter.denominators.map(String.init).joined(separator: ", "))"
        case .unknownInstrument:
            "not an instrument; give a General MIDI program 0–127, its name (e.g. \"violin\", \"tenor sax\") or drums"
        case .unknownStyle(_, let known):
            known.isEmpty
                ? "the run knows no styles" : "the run's styles are \(known.joined(separator: ", "))"
        case .barsOutOfRange:
            "give \(GenerationControls.barRange.lowerBound) to \(GenerationControls.barRange.upperBound) bars"
        case .tempoOutOfRange:
            "give a tempo from \(Int(GenerationControls.bpmRange.lowerBound.rounded())) to "
                + "\(Int(GenerationControls.bpmRange.upperBound.rounded())) bpm"
        case .strictWithoutKey: "there is no key asked for to be strict about"
        case .keyGuidanceOutOfRange:
            "give a strength from 0 (the key token alone) to \(GenerationControls.keyGuidanceRange.upperBound)"
        case .guidanceOutOfRange:
            "give a weight from \(HeaderGuidance.weightRange.lowerBound) (the header ignored) to "
                + "\(HeaderGuidance.weightRange.upperBound); 1 is plain conditioning"
        case .needsHeaderTokens(let tokenizer): "the run's vocabulary (\(tokenizer)) has no header tokens to steer"
        case .polyphonyOutOfRange:
            "give a level from 1 (one note at a time) to \(BarPolyphony.levels - 1) (six or more notes sounding)"
        case .needsPolyphonyTokens(let tokenizer): "the run's vocabulary (\(tokenizer)) names no bar's polyphony"
        case .combinedWithPrompt:
            "a prompt sets its own opening, so key, style, meter, tempo, bars and instruments "
                + "cannot be asked for with it"
        case .keyNotReached(_, let asked, let found, let attempts):
            "none of \(attempts) samples is in \(asked.name) by the key finder (the last was in "
                + "\(found?.name ?? "no key"))"
        case .barsNotReached(_, let bars, let attempts, let tokenLimit):
            "none of \(attempts) samples reached its bar \(bars) within \(tokenLimit) tokens"
        }
    }
}
