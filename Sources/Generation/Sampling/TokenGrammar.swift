/// The `events` token grammar, enforced while sampling so that every sample is a
/// well-formed piece, not a stream the lenient decoder has to guess at:
///
///     piece    := header bar+ End
///     header   := [Style] [Key] instrument*  (instruments in rising order)
///     bar      := Bar Meter [Polyphony] event*
///     event    := Pos [Tempo] note*        (Tempo or at least one note)
///     note     := [instrument] Pitch Dur Vel  (an instrument only when it changes)
///
/// Positions rise strictly within a bar, stay inside the bar's meter, and fall on the
/// onset grid the tokenizer quantises to; `End` comes only after a note has been written.
/// A bar names its texture at most once, and must when `constraints.polyphony` asks for one.
/// `constraints` narrow it further for what `generate` is asked to honour exactly. A model
/// that puts probability on anything else has it taken away by `mask`.
public struct TokenGrammar: Sendable {
    /// What a token is, by id, so a state advances without reading strings.
    enum Role: Sendable, Equatable {
        case bar
        case meter(TokenMeter)
        case position(Int)
        case tempo, pitch, duration, velocity, end, style, key
        case instrument(Instrument)
        case polyphony(Int)
        case unknown

        /// The kind of choice a token is, whatever its value: every position one kind, every
        /// pitch another (`SamplingOptions.kindFirst` draws the kind before the token).
        var kind: UInt8 {
            switch self {
            case .bar: 0
            case .meter: 1
            case .position: 2
            case .tempo: 3
            case .pitch: 4
            case .duration: 5
            case .velocity: 6
            case .end: 7
            case .style: 8
            case .key: 9
            case .instrument: 10
            case .unknown: 11
            case .polyphony: 12
            }
        }
    }

    /// What a piece must be beyond well-formed, enforced on every sampled token (the tokens
    /// a prompt forces are the caller's).
    public struct Constraints: Hashable, Sendable {
        /// Every bar repeats the meter in force (the opening's or the prompt's): the piece keeps one meter.
        public var meterFixed: Bool
        /// No `Tempo` token may be sampled: the prompt set the piece's one tempo.
        public var tempoFixed: Bool
        /// The piece has exactly this many bars: no `Bar` beyond them, and `End` only in the
        /// last, once a note has started in it, so the piece ends with its last bar.
        public var bars: Int?
        /// Only these instruments play; nil for any.
        public var instruments: Set<Instrument>?
        /// Every bar names this `BarPolyphony` level right after its meter; nil leaves the
        /// texture to the model. Asked of a vocabulary without the level's token, no bar can open.
        public var polyphony: Int?

        public init(
            meterFixed: Bool = false, tempoFixed: Bool = false, bars: Int? = nil, instruments: Set<Instrument>? = nil,
            polyphony: Int? = nil
        ) {
            self.meterFixed = meterFixed
            self.tempoFixed = tempoFixed
            self.bars = bars
            self.instruments = instruments
            self.polyphony = polyphony
        }

        func allows(_ instrument: Instrument) -> Bool { instruments?.contains(instrument) ?? true }
    }

    /// Where the stream stands after the tokens so far.
    struct State: Equatable {
        enum Phase: Equatable {
            /// Nothing yet, or header tokens only: more of the header, or the first bar line.
            case start
            /// Just after `Bar`: its meter.
            case barLine
            /// After `Meter`: a position, another bar or the end.
            case meter
            /// After `Pos`: its tempo or its first note, so no position stands empty.
            case position
            /// After a position's `Tempo` or a note's `Vel`: a note, a later position, a bar, the end.
            case eventBody
            /// After an instrument token in the body: its note's pitch.
            case instrument
            case pitch, duration
            case ended
        }
        var phase = Phase.start
        /// Steps from the piece's start to the current bar line.
        var barStart = 0
        var meter = TokenMeter.common
        var barSteps: Int { meter.barSteps }
        /// The current bar's latest position; -1 before the first.
        var position = -1
        var hasNotes = false
        /// Header parts seen: 1 after a style, 2 after a key, 3 after an instrument.
        var headerStage = 0
        /// The last header instrument's `Instrument.index`; -1 before the first.
        var lastHeaderInstrument = -1
        /// The instrument the next note plays unless an instrument token comes first.
        var instrument = Instrument.piano
        var bars = 0
        var barHasNotes = false
        /// Whether the current bar has named its polyphony.
        var barNamedPolyphony = false
    }

    let roles: [Role]
    /// (vocabulary) each token's kind (`Role.kind`).
    public let kinds: [UInt8]
    public let endToken: Int32
    public var constraints: Constraints

    /// Nil for vocabularies without bar structure (`notes`) or without an end token
    /// (`events` before version 2).
    public init?(vocabulary: Vocabulary, constraints: Constraints = Constraints()) {
        guard vocabulary.tokenizer == EventTokenizer.name, let end = vocabulary.id(of: EventTokenizer.endToken) else {
            return nil
        }
        endToken = end
        roles = vocabulary.tokens.map(Self.role)
        kinds = roles.map(\.kind)
        self.constraints = constraints
    }

    static func role(of token: String) -> Role {
        if token == "Bar" { return .bar }
        if token == EventTokenizer.endToken { return .end }
        if let instrument = Instrument(token: token) { return .instrument(instrument) }
        if token.hasPrefix(EventTokenizer.stylePrefix) { return .style }
        if EventTokenizer.key(ofToken: token) != nil { return .key }
        if let level = BarPolyphony.level(ofToken: token) { return .polyphony(level) }
        guard let separator = token.firstIndex(of: "_") else { return .unknown }
        let value = token[token.index(after: separator)...]
        switch token[..<separator] {
        case "Meter":
            let parts = value.split(separator: "/").compactMap { Int($0) }
            guard parts.count == 2 else { return .unknown }
            return .meter(TokenMeter(supporting: parts[0], parts[1]))
        case "Pos": return Int(value).map(Role.position) ?? .unknown
        case "Tempo": return .tempo
        case "Pitch": return .pitch
        case "Dur": return .duration
        case "Vel": return .velocity
        default: return .unknown
        }
    }

    /// The state after `tokens`, read as the decoder reads them: a prompt that breaks the
    /// grammar still leaves a state from which a well-formed continuation follows.
    func state(after tokens: some Sequence<Int32>) -> State {
        var state = State()
        for token in tokens { advance(&state, by: token) }
        return state
    }

    func advance(_ state: inout State, by token: Int32) {
        switch roles[Int(token)] {
        case .bar:
            if state.phase != .start { state.barStart += state.barSteps }
            state.position = -1
            state.phase = .barLine
            state.bars += 1
            state.barHasNotes = false
            state.barNamedPolyphony = false
        case .meter(let meter):
            state.meter = meter
            state.phase = .meter
        case .position(let position):
            state.position = position
            state.phase = .position
        case .tempo: state.phase = .eventBody
        case .pitch:
            state.hasNotes = true
            state.barHasNotes = true
            state.phase = .pitch
        case .duration: state.phase = .duration
        case .velocity: state.phase = .eventBody
        case .end: state.phase = .ended
        case .style: state.headerStage = max(state.headerStage, 1)
        case .key: state.headerStage = max(state.headerStage, 2)
        case .polyphony: state.barNamedPolyphony = true
        case .instrument(let instrument):
            if state.phase == .start {
                state.headerStage = 3
                state.lastHeaderInstrument = instrument.index
            } else {
                state.instrument = instrument
                state.phase = .instrument
            }
        case .unknown: break
        }
    }

    /// Tokens that always finish a piece with a bar budget from any state, beyond `Bar`, its
    /// meter and its polyphony for each bar still to open: at most 4 to finish the note or
    /// position under way, 2 for the meter and polyphony of a bar just opened, 5 for a note in
    /// the last bar, 1 for `End`.
    static let closingTokens = 12

    /// Whether the bar budget must be closed now: with `tokensLeft` tokens before the limit,
    /// only the shortest way to the end of the last bar still fits.
    func isClosing(_ state: State, tokensLeft: Int?) -> Bool {
        guard let bars = constraints.bars, let tokensLeft else { return false }
        let tokensPerBar = constraints.polyphony == nil ? 2 : 3
        return tokensLeft <= tokensPerBar * (bars - state.bars) + Self.closingTokens
    }

    /// Whether the vocabulary has the token of this `BarPolyphony` level.
    func names(polyphony level: Int) -> Bool { roles.contains(.polyphony(level)) }

    /// Whether the next token must be the bar's polyphony: a level is asked for and the bar,
    /// its meter named, has not named it yet.
    func mustNamePolyphony(_ state: State) -> Bool {
        constraints.polyphony != nil && state.phase == .meter && !state.barNamedPolyphony
    }

    /// Whether `role` is the polyphony a bar may name in `state`.
    func allowsPolyphony(_ role: Role, in state: State) -> Bool {
        guard case .polyphony(let level) = role, state.phase == .meter, !state.barNamedPolyphony else { return false }
        return constraints.polyphony.map { $0 == level } ?? true
    }

    /// While closing: finish the note under way, open the remaining bars empty, start one note
    /// in the last bar when it has none, and end.
    func allowsWhileClosing(_ token: Int32, in state: State) -> Bool {
        let role = roles[Int(token)], lastBar = state.bars >= (constraints.bars ?? 0)
        let needsNote = lastBar && !state.barHasNotes
        if mustNamePolyphony(state) { return allowsPolyphony(role, in: state) }
        switch (state.phase, role) {
        case (.start, .bar): return true
        case (.pitch, .duration), (.duration, .velocity): return true
        case (.instrument, .pitch): return true
        case (.position, .pitch): return constraints.allows(state.instrument)
        case (.eventBody, .pitch): return needsNote && constraints.allows(state.instrument)
        case (.position, .instrument(let instrument)):
            return !constraints.allows(state.instrument) && constraints.allows(instrument)
        case (.eventBody, .instrument(let instrument)):
            return needsNote && !constraints.allows(state.instrument) && constraints.allows(instrument)
        case (.barLine, .meter(let meter)): return meter == state.meter
        case (.meter, .bar), (.eventBody, .bar): return !lastBar
        case (.meter, .end), (.eventBody, .end): return lastBar && state.barHasNotes
        case (.meter, .position): return needsNote && allows(token, in: state)
        default: return false
        }
    }

    func allows(_ token: Int32, in state: State) -> Bool {
        let role = roles[Int(token)]
        if mustNamePolyphony(state) { return allowsPolyphony(role, in: state) }
        switch (state.phase, role) {
        case (.start, .bar): return true
        case (.start, .style): return state.headerStage < 1
        case (.start, .key): return state.headerStage < 2
        case (.start, .instrument(let instrument)):
            return instrument.index > state.lastHeaderInstrument && constraints.allows(instrument)
        case (.barLine, .meter(let meter)): return !constraints.meterFixed || meter == state.meter
        case (.meter, .polyphony): return allowsPolyphony(role, in: state)
        case (.meter, .bar), (.eventBody, .bar):
            return constraints.bars.map { state.bars < $0 } ?? true
        case (.meter, .end), (.eventBody, .end):
            return state.hasNotes && (constraints.bars.map { state.bars == $0 && state.barHasNotes } ?? true)
        case (.meter, .position(let position)), (.eventBody, .position(let position)):
            return position > state.position && position < state.barSteps
                && TokenGrid.onsetOffsets.contains((state.barStart + position) % TokenGrid.stepsPerQuarter)
        case (.position, .tempo): return !constraints.tempoFixed
        case (.position, .pitch), (.eventBody, .pitch), (.instrument, .pitch):
            return constraints.allows(state.instrument)
        case (.position, .instrument(let instrument)), (.eventBody, .instrument(let instrument)):
            return instrument != state.instrument && constraints.allows(instrument)
        case (.pitch, .duration): return true
        case (.duration, .velocity): return true
        default: return false
        }
    }

    /// Whether `tokens` (a whole piece, from its first token) follow the grammar.
    public func accepts(_ tokens: [Int32]) -> Bool {
        var state = State()
        for token in tokens {
            guard allows(token, in: state) else { return false }
            advance(&state, by: token)
        }
        return true
    }

    /// Sets every token the grammar forbids after `sequence` to -∞, so no sampler can draw
    /// it. Recomputing the state from the whole sequence costs a table lookup per token,
    /// far below one forward pass, and keeps the sampling loop free of grammar state.
    /// When nothing is allowed (after `End`), the logits are left alone: the loop stops there.
    public func mask(_ logits: inout [Float], after sequence: [Int32]) {
        mask(&logits, in: state(after: sequence))
    }

    /// `tokensLeft`: tokens the sampler may still write; near the limit a bar budget closes
    /// (`isClosing`), so a piece with a bar budget always reaches its end token.
    func mask(_ logits: inout [Float], in state: State, tokensLeft: Int? = nil) {
        guard state.phase != .ended else { return }
        let closing = isClosing(state, tokensLeft: tokensLeft)
        for token in logits.indices
        where !(closing ? allowsWhileClosing(Int32(token), in: state) : allows(Int32(token), in: state)) {
            logits[token] = -.infinity
        }
    }
}
