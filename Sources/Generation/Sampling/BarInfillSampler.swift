/// `generate --prompt FILE --infill A-B`: bars A…B (1-based, inclusive) rewritten with the
/// bars before and after them in view, as the model learnt from `BarInfill` examples. The
/// context is the prompt with `Bar FillHole` for each masked bar, then `End FillStart`; the
/// model writes the masked bars, closed by `FillEnd`, and they are spliced back. Everything
/// outside A…B (notes, tempos, meters) stays as the prompt has it.
struct BarInfillSampler {
    let sampling: ConstrainedSampling
    let grammar: TokenGrammar
    let vocabulary: Vocabulary
    let context: Int

    func infill(
        _ prompt: Prompt, bars range: ClosedRange<Int>, options: SamplingOptions, random: inout SeededRandom
    ) throws(PromptError) -> PromptedPiece {
        guard range.lowerBound >= 1, range.upperBound <= prompt.bars.count else {
            throw .infillOutsidePrompt(
                path: prompt.path, first: range.lowerBound, last: range.upperBound, bars: prompt.bars.count)
        }
        let holeBars = Array(prompt.bars[(range.lowerBound - 1)..<range.upperBound])
        let holeStart = holeBars[0].start
        let holeEnd = holeBars[holeBars.count - 1].start + holeBars[holeBars.count - 1].meter.barSteps

        var fillGrammar = Continuation.grammar(grammar, playing: prompt)
        fillGrammar.constraints.tempoFixed = true
        let grammar = fillGrammar
        let tokens = prompt.openTokens
        let barIndices = tokens.indices.filter { tokens[$0] == "Bar" }
        let maskedFirst = barIndices[range.lowerBound - 1]
        let maskedLast = range.upperBound < barIndices.count ? barIndices[range.upperBound] : tokens.count
        // The bars after the hole, whole, up to half the room the context leaves beside the fill;
        // then as much before the hole as the context holds, as training windows had it.
        let fillRoom = min(context / 2, (maskedLast - maskedFirst) + 2)
        var afterEnd = tokens.count
        while afterEnd > maskedLast && afterEnd - maskedLast > (context - fillRoom) / 2 {
            afterEnd = barIndices.last { $0 < afterEnd && $0 >= maskedLast } ?? maskedLast
        }
        var contextTokens = Array(tokens[..<maskedFirst])
        for _ in holeBars { contextTokens += ["Bar", EventTokenizer.fillHoleToken] }
        contextTokens += tokens[maskedLast..<afterEnd]
        contextTokens += [EventTokenizer.endToken, EventTokenizer.fillStartToken]
        let contextIds = vocabulary.ids(of: contextTokens)

        let bar = vocabulary.id(of: "Bar"), fillEnd = vocabulary.id(of: EventTokenizer.fillEndToken)
        // The grammar of the fill: the hole's bars, each on the prompt's own bar line and meter
        // (`Continuation.grammar` fixes the meter, which each bar opened here sets), no tempo of
        // its own (fixed above: the prompt's stay), and `FillEnd` after the last one.
        let kept = prompt.piece.notes.filter { $0.onset < holeStart || $0.onset >= holeEnd }
        // The fill's notes play the instrument sounding where the hole starts until an
        // instrument token says otherwise, as the tokenizer wrote the masked bars.
        let instrument = Self.instrument(after: tokens[..<maskedFirst])
        var state = TokenGrammar.State()
        state.instrument = instrument
        var written = 0, tokensInBar = 0
        var notes = NoteMask(vocabulary: vocabulary, kept: kept)
        let output = sampling.sample(
            after: Array(contextIds.suffix(max(1, context - fillRoom))),
            budget: holeBars.count * (Continuation.tokensPerBar + 8) + 1, options: options, random: &random,
            allows: { token in
                if tokensInBar >= Continuation.tokensPerBar
                    && !Continuation.allowedInFullBar(grammar.roles[Int(token)], phase: state.phase)
                {
                    return false
                }
                if token == fillEnd {
                    return written == holeBars.count && [.meter, .eventBody].contains(state.phase)
                }
                if token == bar { return written < holeBars.count && grammar.allows(token, in: state) }
                return token != grammar.endToken && written > 0 && grammar.allows(token, in: state)
                    && !notes.forbids(token, at: state.barStart + state.position)
            },
            advance: { token in
                guard token != fillEnd else { return false }
                grammar.advance(&state, by: token)
                notes.advance(by: token, role: grammar.roles[Int(token)])
                tokensInBar += 1
                if token == bar {
                    tokensInBar = 0
                    state.barStart = holeBars[written].start
                    state.meter = holeBars[written].meter
                    written += 1
                }
                return true
            })
        let fill = Self.notes(
            of: vocabulary.strings(of: output), barStarts: holeBars.map(\.start), instrument: instrument
        )
        .filter { $0.onset >= holeStart && $0.onset < holeEnd }
        let spliced = Prompt.splice(kept: kept, new: fill)
        let piece = QuantisedPiece(notes: spliced.notes, tempos: prompt.piece.tempos, meters: prompt.piece.meters)
        return PromptedPiece(
            piece: piece, kept: kept, newNotes: piece.notes.count - kept.count, newBars: written,
            droppedNotes: spliced.dropped, tokens: output.count)
    }

    /// The instrument a note plays after `tokens` (a piece's tokens from its first): the
    /// last instrument token in its bars, or the default piano. Header instruments only list.
    static func instrument(after tokens: ArraySlice<String>) -> Instrument {
        guard let firstBar = tokens.firstIndex(of: "Bar") else { return .piano }
        return tokens[firstBar...].lazy.reversed().compactMap(Instrument.init(token:)).first ?? .piano
    }

    /// The notes of fill tokens, each bar placed at the prompt's own bar line, played by
    /// `instrument` until an instrument token changes it.
    static func notes(of tokens: [String], barStarts: [Int], instrument: Instrument) -> [QuantisedPiece.Note] {
        var notes: [QuantisedPiece.Note] = []
        var bar = -1, position = 0, instrument = instrument
        for token in tokens {
            if token == "Bar" {
                bar += 1
                position = 0
                continue
            }
            if let named = Instrument(token: token) {
                instrument = named
                continue
            }
            guard bar >= 0, bar < barStarts.count, let separator = token.firstIndex(of: "_"),
                let value = Int(token[token.index(after: separator)...])
            else { continue }
            switch token[..<separator] {
            case "Pos": position = value
            case "Pitch":
                notes.append(
                    QuantisedPiece.Note(
                        onset: barStarts[bar] + position, duration: TokenGrid.stepsPerQuarter, pitch: value,
                        velocityBucket: 8, instrument: instrument))
            case "Dur": if !notes.isEmpty { notes[notes.count - 1].duration = value }
            case "Vel": if !notes.isEmpty { notes[notes.count - 1].velocityBucket = value }
            default: continue
            }
        }
        return notes
    }
}
