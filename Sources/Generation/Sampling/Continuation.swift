/// `generate --prompt FILE --continue-bars N`: the prompt as the events grid holds it, then
/// exactly N new bars in its last meter, played by its instruments. The model sees the prompt's last context of tokens; the grammar sees
/// all of it, so positions stay on the prompt's bar lines and meter.
struct Continuation {
    /// Tokens after which a new bar takes no further onset or note: it finishes the note it
    /// is writing and closes, so the bar count stays exact whatever the model does (a dense
    /// piano bar takes about 200).
    static let tokensPerBar = 512

    /// Whether `role` may still be written in a bar that has used up its tokens: only what
    /// finishes the note or position under way, then the bar line.
    static func allowedInFullBar(_ role: TokenGrammar.Role, phase: TokenGrammar.State.Phase) -> Bool {
        switch role {
        case .position, .meter, .instrument: false
        case .pitch: phase == .position || phase == .instrument
        default: true
        }
    }

    /// `grammar` with the new notes played by the prompt's instruments (and any the request
    /// names): a producer's sketch keeps its instrumentation, and the MIDI file written has a
    /// channel for every instrument. New bars keep the prompt's meter, so N bars are N bars of it,
    /// and, where the vocabulary names bar textures, the prompt's median texture (`BarPolyphony`).
    static func grammar(_ grammar: TokenGrammar, playing prompt: Prompt) -> TokenGrammar {
        var grammar = grammar
        grammar.constraints.meterFixed = true
        if let level = BarPolyphony.medianLevel(BarPolyphony.levels(of: prompt.piece, bars: prompt.bars)),
            grammar.names(polyphony: level)
        {
            grammar.constraints.polyphony = level
        }
        grammar.constraints.instruments = Set(prompt.piece.instruments).union(grammar.constraints.instruments ?? [])
        return grammar
    }

    let sampling: ConstrainedSampling
    let grammar: TokenGrammar
    let vocabulary: Vocabulary
    let context: Int

    func continuation(
        of prompt: Prompt, bars: Int, options: SamplingOptions, random: inout SeededRandom
    ) -> PromptedPiece {
        let grammar = Self.grammar(grammar, playing: prompt)
        let promptTokens = prompt.openTokens
        let promptIds = vocabulary.ids(of: promptTokens)
        var state = grammar.state(after: promptIds)
        let bar = vocabulary.id(of: "Bar")
        var newBars = 0, tokensInBar = 0
        var notes = NoteMask(vocabulary: vocabulary, kept: prompt.piece.notes)
        let written = sampling.sample(
            after: Array(promptIds.suffix(max(1, context - 1))), budget: bars * (Self.tokensPerBar + 8) + 1,
            options: options, random: &random,
            allows: { token in
                if tokensInBar >= Self.tokensPerBar
                    && !Self.allowedInFullBar(grammar.roles[Int(token)], phase: state.phase)
                {
                    return false
                }
                // New bars start on a bar line of their own; the bar budget is exact.
                if token == bar { return newBars < bars && grammar.allows(token, in: state) }
                if token == grammar.endToken { return newBars == bars && grammar.allows(token, in: state) }
                return newBars > 0 && grammar.allows(token, in: state)
                    && !notes.forbids(token, at: state.barStart + state.position)
            },
            advance: { token in
                grammar.advance(&state, by: token)
                notes.advance(by: token, role: grammar.roles[Int(token)])
                tokensInBar += 1
                if token == bar { (newBars, tokensInBar) = (newBars + 1, 0) }
                return token != grammar.endToken
            })
        let decoded = EventTokenizer.standard.piece(from: promptTokens + vocabulary.strings(of: written))
        let firstNewStep = prompt.endStep
        let spliced = Prompt.splice(
            kept: prompt.piece.notes, new: decoded.notes.filter { $0.onset >= firstNewStep })
        let piece = QuantisedPiece(notes: spliced.notes, tempos: decoded.tempos, meters: decoded.meters)
        return PromptedPiece(
            piece: piece, kept: prompt.piece.notes, newNotes: piece.notes.count - prompt.piece.notes.count,
            newBars: newBars, droppedNotes: spliced.dropped, tokens: written.count)
    }
}
