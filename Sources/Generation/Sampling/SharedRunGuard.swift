/// `generate --max-shared N`: sampling never completes a run of N consecutive notes that a
/// training piece holds (the MaxOrder constraint of Papadopoulos, Roy & Pachet 2014). A
/// guarantee made while sampling, token by token, not a check after the fact.
///
/// A piece is read as its pitched notes (drums left out) in the order the `events` tokens
/// write them and the decoder sorts them: by onset, then instrument, then pitch. A run of N
/// notes is its N − 1 steps, each the pitch interval and the onset interval (grid steps) from
/// one note to the next, so a transposed run is the same run and a re-rhythmed one is not.
/// The training pieces' runs of N notes are hashed once into a set; before each `Pitch`
/// token, the pitches that would complete a held run are masked. Within one position, notes
/// are kept in that sorted order (a lower pitch of the same instrument, or an earlier
/// instrument, after a later one is masked), so the order sampled is the order the piece is
/// read in, and the guarantee holds for the written piece.
public struct SharedRunGuard: Sendable {
    /// Notes in the shortest run the generated piece may not share with a training piece.
    public let runLength: Int
    private let heldRuns: Set<UInt64>
    /// For each token id: its pitch for a `Pitch_p` token, else -1.
    private let pitchOfToken: [Int]
    /// For each token id: its `Instrument.index` for an instrument token, else -1.
    private let instrumentOfToken: [Int]

    /// Where the sequence so far stands for the guard.
    struct State {
        /// The last `runLength` − 1 pitched notes, oldest first.
        var tail: [(onset: Int, pitch: Int)] = []
        /// The last note of any instrument: later notes at its onset come after it in order.
        var lastNote: (onset: Int, instrument: Int, pitch: Int)?
    }

    /// - Parameter runLength: at least 2 (a run of one note is a single pitch, held by everything).
    public init(runLength: Int, training: [QuantisedPiece], vocabulary: Vocabulary) {
        precondition(runLength >= 2, "a shared run has at least two notes")
        self.runLength = runLength
        var held = Set<UInt64>()
        for piece in training {
            let steps = Self.steps(of: piece.pitchedNotes.map { ($0.onset, $0.pitch) })
            guard steps.count >= runLength - 1 else { continue }
            for start in 0...(steps.count - (runLength - 1)) {
                held.insert(Self.hash(steps[start..<(start + runLength - 1)]))
            }
        }
        heldRuns = held
        pitchOfToken = vocabulary.pitchOfToken.map { $0 ?? -1 }
        instrumentOfToken = vocabulary.tokens.map { Instrument(token: $0)?.index ?? -1 }
    }

    /// Runs of `runLength` notes held by the training pieces (distinct).
    public var heldRunCount: Int { heldRuns.count }

    /// The guard's state after `tokens`, read with the grammar that is sampling them.
    func state(after tokens: some Sequence<Int32>, grammar: TokenGrammar) -> State {
        var state = State()
        var grammarState = grammar.state(after: [])
        for token in tokens {
            advance(&state, by: token, before: grammarState)
            grammar.advance(&grammarState, by: token)
        }
        return state
    }

    /// Records `token`, sampled when the grammar stood at `grammarState`.
    func advance(_ state: inout State, by token: Int32, before grammarState: TokenGrammar.State) {
        let pitch = pitchOfToken[Int(token)]
        guard pitch >= 0, grammarState.phase != .start else { return }
        let onset = grammarState.barStart + grammarState.position
        state.lastNote = (onset, grammarState.instrument.index, pitch)
        guard grammarState.instrument != .drums else { return }
        state.tail.append((onset, pitch))
        if state.tail.count > runLength - 1 { state.tail.removeFirst() }
    }

    /// Sets to -∞ every pitch that would complete a held run or break the order of notes at
    /// one onset, and every instrument that would break that order.
    func mask(_ logits: inout [Float], in state: State, grammarState: TokenGrammar.State) {
        guard [.position, .eventBody, .instrument].contains(grammarState.phase) else { return }
        let onset = grammarState.barStart + grammarState.position
        let instrument = grammarState.instrument.index
        let sameOnset = state.lastNote.flatMap { $0.onset == onset ? $0 : nil }
        let prefix = state.tail.count == runLength - 1 ? Self.steps(of: state.tail) : nil
        for token in logits.indices where logits[token] > -.infinity {
            if let sameOnset, instrumentOfToken[token] >= 0, instrumentOfToken[token] < sameOnset.instrument {
                logits[token] = -.infinity
                continue
            }
            let pitch = pitchOfToken[token]
            guard pitch >= 0 else { continue }
            if let sameOnset, sameOnset.instrument == instrument, pitch <= sameOnset.pitch {
                logits[token] = -.infinity
                continue
            }
            guard grammarState.instrument != .drums, let prefix, let last = state.tail.last else { continue }
            if heldRuns.contains(Self.hash(prefix + [Self.step(from: last, to: (onset, pitch))])) {
                logits[token] = -.infinity
            }
        }
    }

    /// Steps between consecutive notes: pitch interval in the high 32 bits (offset by 128),
    /// onset interval in the low 32.
    static func steps(of notes: [(onset: Int, pitch: Int)]) -> [UInt64] {
        zip(notes, notes.dropFirst()).map { step(from: $0, to: $1) }
    }

    static func step(from earlier: (onset: Int, pitch: Int), to later: (onset: Int, pitch: Int)) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: later.pitch - earlier.pitch + 128)) << 32
            | UInt64(UInt32(truncatingIfNeeded: later.onset - earlier.onset))
    }

    /// FNV-1a over the steps. A collision can only mask a run that is not held (stricter,
    /// never looser).
    static func hash(_ steps: some Sequence<UInt64>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for step in steps { hash = (hash ^ step) &* 0x100_0000_01b3 }
        return hash
    }
}
