import Foundation
import MIDIFile
import Testing

@testable import Generation

/// A strict reader of `events` token streams, written apart from `TokenGrammar` so the two
/// check each other: a header (style, key, instruments rising), bars, each with its meter right
/// after its bar line and at most one polyphony after the meter, positions rising inside the bar and its meter on the onset grid, a tempo
/// or a note at every position, each pitch, after its instrument when that changes, followed by
/// its duration and velocity, `End` last and only after a note.
/// `complete` false accepts a stream cut off by a token limit (a prefix of such a piece).
private func referenceParse(_ tokens: [String], complete: Bool) -> Bool {
    var index = 0
    func peek(_ prefix: String) -> String? {
        guard index < tokens.count, tokens[index] == prefix || tokens[index].hasPrefix(prefix + "_") else { return nil }
        return tokens[index]
    }
    func number(_ token: String) -> Int? { Int(token.split(separator: "_").last ?? "") }
    var barStart = 0, barSteps = 48, notes = 0, bars = 0
    if peek("Style") != nil { index += 1 }
    if peek("Key") != nil { index += 1 }
    var lastHeaderInstrument = -1
    while index < tokens.count, let instrument = Instrument(token: tokens[index]) {
        guard instrument.index > lastHeaderInstrument else { return false }
        lastHeaderInstrument = instrument.index
        index += 1
    }
    var instrument = Instrument.piano
    while index < tokens.count {
        if peek("End") != nil { return notes > 0 && index == tokens.count - 1 }
        guard peek("Bar") != nil else { return false }
        if bars > 0 { barStart += barSteps }
        bars += 1
        index += 1
        if index == tokens.count && !complete { return true }
        guard let meter = peek("Meter") else { return false }
        let parts = meter.dropFirst(6).split(separator: "/").compactMap { Int($0) }
        barSteps = parts[0] * 48 / parts[1]
        index += 1
        if peek("Polyphony") != nil { index += 1 }
        var position = -1
        while let token = peek("Pos") {
            guard let next = number(token), next > position, next < barSteps,
                [0, 3, 4, 6, 8, 9].contains((barStart + next) % 12)
            else { return false }
            position = next
            index += 1
            var filled = false
            if peek("Tempo") != nil {
                index += 1
                filled = true
            }
            while index < tokens.count, peek("Pitch") != nil || Instrument(token: tokens[index]) != nil {
                if let next = Instrument(token: tokens[index]) {
                    guard next != instrument else { return false }
                    instrument = next
                    index += 1
                    if index == tokens.count && !complete { return true }
                }
                for part in ["Pitch", "Dur", "Vel"] {
                    if index == tokens.count && !complete { return true }
                    guard peek(part) != nil else { return false }
                    index += 1
                }
                notes += 1
                filled = true
            }
            if !filled { return index == tokens.count && !complete }
        }
    }
    return !complete && bars > 0
}

@Suite struct TokenGrammarTests {
    let tokenizer = EventTokenizer.standard
    var grammar: TokenGrammar { TokenGrammar(vocabulary: tokenizer.vocabulary)! }

    /// 3/8 bars move the bar line off the quarter, so the grid check must follow bar starts.
    var piece: QuantisedPiece {
        QuantisedPiece(
            notes: [
                .init(onset: 0, duration: 6, pitch: 60, velocityBucket: 8),
                .init(onset: 0, duration: 6, pitch: 64, velocityBucket: 8),
                .init(onset: 21, duration: 3, pitch: 62, velocityBucket: 9),
                .init(onset: 40, duration: 8, pitch: 67, velocityBucket: 9),
            ],
            tempos: [.init(step: 0, bucket: 18), .init(step: 18, bucket: 20)],
            meters: [.init(bar: 0, meter: TokenMeter(numerator: 3, denominator: 8))])
    }

    @Test func tokenizedPiecesEndWithTheEndTokenAndFollowTheGrammar() {
        let tokens = tokenizer.tokens(for: piece)
        #expect(tokens.last == EventTokenizer.endToken)
        #expect(tokens.filter { $0 == EventTokenizer.endToken }.count == 1)
        #expect(grammar.accepts(tokenizer.vocabulary.ids(of: tokens)))
        #expect(referenceParse(tokens, complete: true))
        #expect(tokenizer.piece(from: tokens) == piece)
    }

    @Test func grammarRejectsWhatThePieceFormForbids() {
        let vocabulary = tokenizer.vocabulary
        let broken: [[String]] = [
            // back in the bar
            ["Bar", "Meter_4/4", "Pos_12", "Pitch_60", "Dur_6", "Vel_8", "Pos_6", "Pitch_60", "Dur_6", "Vel_8", "End"],
            ["Bar", "Meter_4/4", "Pos_0", "Pitch_60", "Vel_8", "Dur_6", "End"],  // velocity first
            ["Bar", "Meter_4/4", "Pos_0", "Pos_12", "Pitch_60", "Dur_6", "Vel_8", "End"],  // empty position
            ["Bar", "Meter_4/4", "Pos_48", "Pitch_60", "Dur_6", "Vel_8", "End"],  // past the 4/4 bar
            ["Bar", "Meter_4/4", "Pos_1", "Pitch_60", "Dur_6", "Vel_8", "End"],  // off the grid
            ["Bar", "Meter_4/4", "End"],  // no note
            ["Pos_0", "Pitch_60", "Dur_6", "Vel_8", "End"],  // no bar line
            // header out of order
            ["Program_33", "Key_2_minor", "Bar", "Meter_4/4", "Pos_0", "Pitch_60", "Dur_6", "Vel_8", "End"],
            // instruments falling
            ["Program_33", "Program_0", "Bar", "Meter_4/4", "Pos_0", "Pitch_60", "Dur_6", "Vel_8", "End"],
            // a piano is already playing
            ["Bar", "Meter_4/4", "Pos_0", "Program_0", "Pitch_60", "Dur_6", "Vel_8", "End"],
            // a header token in the body
            ["Bar", "Meter_4/4", "Pos_0", "Key_2_minor", "Pitch_60", "Dur_6", "Vel_8", "End"],
            ["Bar", "Meter_4/4", "Pos_0", "Drums", "Dur_6", "Vel_8", "End"],  // an instrument without its note
            ["Bar", "Pos_0", "Pitch_60", "Dur_6", "Vel_8", "End"],  // a bar without its meter
            ["Bar", "Meter_3/4", "Pos_36", "Pitch_60", "Dur_6", "Vel_8", "End"],  // past the 3/4 bar
        ]
        for tokens in broken {
            #expect(!grammar.accepts(vocabulary.ids(of: tokens)), "\(tokens)")
            #expect(!referenceParse(tokens, complete: true), "\(tokens)")
        }
    }

    /// A bar line takes its meter and nothing else; a fixed meter takes only the meter in force.
    @Test func everyBarNamesItsMeterAndAFixedMeterRepeatsIt() throws {
        let vocabulary = tokenizer.vocabulary
        let ids = vocabulary.ids(of: ["Bar", "Meter_3/4", "Pos_0", "Pitch_60", "Dur_6", "Vel_8", "Bar"])
        func allowed(_ grammar: TokenGrammar) -> [String] {
            var logits = [Float](repeating: 0, count: vocabulary.count)
            grammar.mask(&logits, after: ids)
            return logits.indices.filter { logits[$0].isFinite }.map { vocabulary.tokens[$0] }
        }
        #expect(allowed(grammar) == TokenMeter.all.map { "Meter_\($0)" })
        var fixed = grammar
        fixed.constraints.meterFixed = true
        #expect(allowed(fixed) == ["Meter_3/4"])
        let valid = ["Bar", "Meter_4/4", "Pos_0", "Pitch_60", "Dur_6", "Vel_8", "Bar", "Meter_3/4", "End"]
        #expect(grammar.accepts(vocabulary.ids(of: valid)))
        #expect(!fixed.accepts(vocabulary.ids(of: valid)))
        #expect(referenceParse(valid, complete: true))
    }

    @Test func maskLeavesOnlyWhatMayComeNext() {
        let vocabulary = tokenizer.vocabulary
        var logits = [Float](repeating: 0, count: vocabulary.count)
        grammar.mask(&logits, after: vocabulary.ids(of: ["Bar", "Meter_4/4", "Pos_0", "Pitch_60"]))
        let allowed = logits.indices.filter { logits[$0].isFinite }.map { vocabulary.tokens[$0] }
        #expect(allowed.count == TokenGrid.longestDuration)
        #expect(allowed.allSatisfy { $0.hasPrefix("Dur_") })
    }

    /// Samples of an untrained Transformer are noise: without the grammar nearly every one
    /// is malformed; with it every one parses, and most reach their end token.
    @Test func everySampleOfARandomModelIsWellFormedUnderTheGrammar() {
        let vocabulary = tokenizer.vocabulary
        let config = ModelConfig.transformer(
            vocabularySize: vocabulary.count, width: 32, layers: 1, heads: 1, context: 64)
        let model = Models.make(config, batch: 1, time: 64, seed: 7)
        let prompt = vocabulary.ids(of: ["Bar"])
        let options = SamplingOptions(temperature: 1, topK: 0, topP: 1)
        var wellFormedWithout = 0, ended = 0
        for seed in 1...12 {
            var random = SeededRandom(seed: UInt64(seed))
            let free = TokenGenerator(model: model).continuation(
                of: prompt, length: 120, options: options, random: &random)
            if referenceParse(vocabulary.strings(of: prompt + free), complete: false) { wellFormedWithout += 1 }
            random = SeededRandom(seed: UInt64(seed))
            let guided = TokenGenerator(model: model, grammar: grammar)
                .continuation(of: prompt, length: 400, options: options, random: &random)
            let tokens = vocabulary.strings(of: prompt + guided)
            let complete = guided.last == grammar.endToken
            if complete { ended += 1 }
            #expect(grammar.accepts(prompt + guided))
            #expect(referenceParse(tokens, complete: complete), "\(tokens)")
            #expect(!tokenizer.piece(from: tokens).notes.isEmpty || !complete)
        }
        #expect(wellFormedWithout == 0)
        #expect(ended > 0)
    }

    @Test func notesVocabularyHasNoGrammar() {
        #expect(
            TokenGrammar(vocabulary: Vocabulary(tokenizer: NoteTokenizer.name, version: 1, tokens: ["C4", "0.4.7"]))
                == nil)
    }

    @Test(.enabled(if: PipelineFixtures.hasSharedCorpus))
    func corpusPiecesFollowTheGrammar() throws {
        for path in PipelineFixtures.sharedFiles("classical", every: 25)
            + PipelineFixtures.sharedFiles("jazz", every: 25)
        {
            guard let midi = try? MIDIReader.read(contentsOf: path).file else { continue }
            let piece = QuantisedPiece(midi)
            // A piece without notes can say nothing the grammar checks, and no sample may be one.
            guard !piece.notes.isEmpty else { continue }
            let tokens = tokenizer.tokens(for: piece)
            #expect(grammar.accepts(tokenizer.vocabulary.ids(of: tokens)), "\(path)")
            #expect(referenceParse(tokens, complete: true), "\(path)")
        }
    }

    /// Kind-first sampling draws a kind, then a token of it: every pitch is one kind, every
    /// duration another, and so on, whatever the value.
    @Test func tokensOfOneRoleShareAKindAndRolesDoNot() throws {
        let vocabulary = EventTokenizer.standard.vocabulary(styles: ["jazz"])
        let grammar = try #require(TokenGrammar(vocabulary: vocabulary))
        func kind(_ token: String) -> UInt8 { grammar.kinds[Int(vocabulary.id(of: token)!)] }
        #expect(kind("Pitch_21") == kind("Pitch_108") && kind("Dur_1") == kind("Dur_96"))
        #expect(kind("Pos_0") == kind("Pos_47") && kind("Program_0") == kind("Drums"))
        let roles = [
            "Bar", "Meter_3/4", "Pos_0", "Tempo_0", "Pitch_60", "Dur_12", "Vel_8", "End", "Style_jazz",
            "Key_0_major", "Program_0",
        ]
        #expect(Set(roles.map(kind)).count == roles.count)
        #expect(grammar.kinds.count == vocabulary.count)
    }
}
