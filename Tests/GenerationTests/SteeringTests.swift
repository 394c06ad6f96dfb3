import Foundation
import MIDIFile
import MusicTheory
import Testing

@testable import Generation

/// Header tokens (style, key, instruments), what training does with them, and the controls
/// `generate` honours exactly.
@Suite struct SteeringTokenTests {
    let tokenizer = EventTokenizer.standard

    /// A piano, a fingered bass (program 33) and drums.
    var band: QuantisedPiece {
        QuantisedPiece(
            notes: [
                .init(onset: 0, duration: 12, pitch: 62, velocityBucket: 10),
                .init(onset: 0, duration: 24, pitch: 38, velocityBucket: 9, instrument: .program(33)),
                .init(onset: 0, duration: 3, pitch: 36, velocityBucket: 12, instrument: .drums),
                .init(onset: 12, duration: 3, pitch: 38, velocityBucket: 12, instrument: .drums),
                .init(onset: 12, duration: 12, pitch: 65, velocityBucket: 10),
                .init(onset: 24, duration: 24, pitch: 45, velocityBucket: 9, instrument: .program(33)),
                .init(onset: 48, duration: 12, pitch: 69, velocityBucket: 11),
            ],
            tempos: [.init(step: 0, bucket: 18)], meters: [.init(bar: 0, meter: .common)])
    }

    @Test func tokensOpenWithTheHeaderAndRoundTrip() throws {
        let key = Key(tonic: 2, mode: .minor)
        let tokens = tokenizer.tokens(for: band, style: "jazz", key: key)
        #expect(Array(tokens.prefix(6)) == ["Style_jazz", "Key_2_minor", "Program_0", "Program_33", "Drums", "Bar"])
        // An instrument token comes only where the instrument changes; the first note is a piano's.
        #expect(
            Array(tokens[6...15]) == [
                "Meter_4/4", "Polyphony_2", "Pos_0", "Tempo_18", "Pitch_62", "Dur_12", "Vel_10", "Program_33",
                "Pitch_38", "Dur_24",
            ])
        #expect(tokens.filter { $0 == "Drums" }.count == 3)
        #expect(tokenizer.piece(from: tokens) == band)
        let header = EventTokenizer.header(of: tokens)
        #expect(header == .init(style: "jazz", key: key, instruments: [.piano, .program(33), .drums]))
        let vocabulary = tokenizer.vocabulary(styles: ["jazz", "classical", "jazz"])
        #expect(EventTokenizer.styles(in: vocabulary) == ["classical", "jazz"])
        #expect(tokens.allSatisfy { vocabulary.id(of: $0) != nil })
        #expect(TokenGrammar(vocabulary: vocabulary)!.accepts(vocabulary.ids(of: tokens)))
    }

    @Test func instrumentsSurviveMIDIWithATrackEachAndDrumsOnChannelTen() throws {
        let midi = band.midiFile()
        #expect(midi.tracks.count == 4)
        let drumTrack = midi.tracks[3]
        #expect(drumTrack.events.filter { $0.status & 0xF0 == 0x90 }.allSatisfy { $0.channel == 9 })
        let reread = try MIDIReader.read(MIDIWriter().encode(midi).bytes).file
        #expect(QuantisedPiece(reread) == band)
        #expect(QuantisedPiece(reread).instruments == [.piano, .program(33), .drums])
        // Drums have no pitch to find a key in or to copy a melody with.
        #expect(band.pitchedNotes.count == 5)
    }

    @Test func instrumentNamesAndNumbers() {
        #expect(Instrument(named: "violin") == .program(40))
        #expect(Instrument(named: "Tenor Sax") == .program(66))
        #expect(Instrument(named: "electric guitar (jazz)") == .program(26))
        #expect(Instrument(named: "33") == .program(33))
        #expect(Instrument(named: "Drums") == .drums)
        #expect(Instrument(named: "128") == nil)
        #expect(Instrument(named: "kazoo") == nil)
        #expect(GeneralMIDI.programNames.count == 128)
    }

    @Test func transpositionMovesTheKeyTokenAndLeavesDrumsAlone() throws {
        let vocabulary = tokenizer.vocabulary
        let transposition = try #require(Transposition(vocabulary: vocabulary, maximum: 5))
        let tokens = tokenizer.tokens(for: band, key: Key(tonic: 11, mode: .minor))
        let ids = vocabulary.ids(of: tokens)
        let drums = DrumKeys(vocabulary: vocabulary).flags(of: ids)
        #expect(drums.filter { $0 }.count == 2)
        let moved = vocabulary.strings(of: try #require(transposition.shifted(ids, by: 3, drums: drums)))
        #expect(moved.contains("Key_2_minor") && !moved.contains("Key_11_minor"))
        let piece = tokenizer.piece(from: moved)
        #expect(piece.notes.filter { $0.instrument == .drums }.map(\.pitch) == [36, 38])
        #expect(piece.pitchedNotes.map(\.pitch) == band.pitchedNotes.map { $0.pitch + 3 })
    }

    /// Every training window opens with a subset of its piece's header, in order, then the
    /// body where the window lies; sometimes the whole header, sometimes none of it.
    @Test func trainingWindowsOpenWithTheHeaderSomeOfItDropped() throws {
        let body = ["Bar", "Pos_0"] + (0..<30).flatMap { ["Pitch_\(60 + $0 % 12)", "Dur_12", "Vel_8"] } + ["End"]
        let header = ["Style_folk", "Key_7_major", "Program_0"]
        let corpus = TokenizedCorpus(
            tokenizer: .events,
            pieces: (0..<4).map { .init(name: "p\($0)", contentHash: UInt64($0), tokens: header + body) })
        let dataset = Dataset(corpus: corpus, splitProtocol: .piece, seed: 1)
        #expect(dataset.headerLengths == [3, 3, 3, 3])
        let vocabulary = dataset.vocabulary
        let context = 16
        var random = SeededRandom(seed: 9)
        var kept: [Int: Int] = [:]
        let sequence = header + body
        for start in [0, 1, 3, 20, sequence.count - context - 1] {
            for _ in 0..<100 {
                let window = Window(piece: 0, start: start)
                let (ids, drums) = HeaderDropout().window(window, of: dataset, context: context, random: &random)
                #expect(ids.count == context + 1 && drums.isEmpty)
                let tokens = vocabulary.strings(of: ids)
                let opening = Array(tokens.prefix { header.contains($0) })
                #expect(opening == header.filter { opening.contains($0) })
                kept[opening.count, default: 0] += 1
                // The body from the window's start, past the header, early enough to fill the window.
                let length = context + 1 - opening.count
                let bodyStart = min(max(start, header.count), sequence.count - length)
                #expect(Array(tokens[opening.count...]) == Array(sequence[bodyStart..<bodyStart + length]))
            }
        }
        #expect(kept[0, default: 0] > 50 && kept[3, default: 0] > 150)
        #expect(kept[1, default: 0] + kept[2, default: 0] > 50)
    }

    @Test func keysParseInTheWaysPeopleWriteThem() {
        let dMinor = Key(tonic: 2, mode: .minor)
        for text in ["D minor", "Dm", "d min", "D_minor", "d-minor", "Dminor"] {
            #expect(Key(parsing: text) == dMinor, "\(text)")
        }
        #expect(Key(parsing: "Bb major") == Key(tonic: 10, mode: .major))
        #expect(Key(parsing: "F#m") == Key(tonic: 6, mode: .minor))
        #expect(Key(parsing: "Eb") == Key(tonic: 3, mode: .major))
        #expect(Key(parsing: "C♯ minor") == Key(tonic: 1, mode: .minor))
        #expect(Key(parsing: "AM") == Key(tonic: 9, mode: .major))
        for text in ["H major", "D dorian", "", "minor", "Dx", "D minor major"] {
            #expect(Key(parsing: text) == nil, "\(text)")
        }
    }

    @Test func controlsNameWhatIsAllowed() throws {
        #expect(try GenerationControls.meter(parsing: "6/8") == TokenMeter(numerator: 6, denominator: 8))
        for text in ["7/9", "0/4", "17/4", "3", "three/4", "3/4/4"] {
            #expect(throws: GenerationControlError.unknownMeter(text)) { try GenerationControls.meter(parsing: text) }
        }
        #expect(throws: GenerationControlError.unknownKey("H major")) { try GenerationControls.key(parsing: "H major") }
        #expect(GenerationControlError.unknownMeter("7/9").description.contains("2, 4, 8, 16"))
        let vocabulary = tokenizer.vocabulary(styles: ["classical", "jazz"])
        let rock = GenerationControls(style: "rock").problem(vocabulary: vocabulary, hasPrompt: false)
        #expect(rock == .unknownStyle("rock", known: ["classical", "jazz"]))
        #expect(rock?.description.contains("classical, jazz") == true)
        #expect(GenerationControls(bars: 0).problem(vocabulary: vocabulary, hasPrompt: false) == .barsOutOfRange(0))
        #expect(GenerationControls(bpm: 400).problem(vocabulary: vocabulary, hasPrompt: false) == .tempoOutOfRange(400))
        #expect(
            GenerationControls(keyStrict: true).problem(vocabulary: vocabulary, hasPrompt: false) == .strictWithoutKey)
        #expect(GenerationControls(bars: 8).problem(vocabulary: vocabulary, hasPrompt: true) == .combinedWithPrompt)
        let old = Vocabulary(tokenizer: "events", version: 2, tokens: ["Bar", "End"])
        #expect(
            GenerationControls(bars: 8).problem(vocabulary: old, hasPrompt: false)
                == .needsHeaderTokens(tokenizer: "events v2"))
        #expect(GenerationControls(style: "jazz", bars: 8).problem(vocabulary: vocabulary, hasPrompt: false) == nil)
    }
}

/// Meter, tempo, bar count and instruments are exact by construction: an untrained model,
/// whose every token is noise, still writes exactly what was asked, read back from the MIDI file.
@Suite struct ConstrainedSamplingTests {
    @Test(arguments: [
        GenerationControls(meter: TokenMeter(numerator: 3, denominator: 4), bpm: 92, bars: 8),
        GenerationControls(
            meter: TokenMeter(numerator: 6, denominator: 8), bpm: 140.5, bars: 3, instruments: [.program(40), .drums]),
        GenerationControls(meter: TokenMeter(numerator: 5, denominator: 16), bpm: 60, bars: 1),
    ])
    func untrainedModelWritesExactlyWhatWasAsked(controls: GenerationControls) throws {
        let vocabulary = EventTokenizer.standard.vocabulary(styles: ["jazz"])
        let model = Models.make(
            .transformer(vocabularySize: vocabulary.count, width: 32, layers: 1, heads: 1, context: 64), batch: 1,
            time: 64, seed: 11)
        let grammar = TokenGrammar(vocabulary: vocabulary, constraints: controls.constraints)!
        let prompt = vocabulary.ids(of: controls.openingTokens)
        let bars = controls.bars!, meter = controls.meter!
        for seed in 1...10 {
            var random = SeededRandom(seed: UInt64(seed))
            let ids = TokenGenerator(model: model, grammar: grammar).continuation(
                of: prompt, length: bars * GenerationControls.tokensPerBar,
                options: SamplingOptions(temperature: 1, topK: 0, topP: 1), random: &random)
            #expect(ids.last == grammar.endToken, "seed \(seed)")
            let piece = EventTokenizer.standard.piece(from: vocabulary.strings(of: prompt + ids))
                .truncated(atStep: bars * meter.barSteps)
            let midi = PieceGenerator.midiFile(of: piece, controls: controls)
            let reread = try MIDIReader.read(MIDIWriter().encode(midi).bytes).file

            let signatures = reread.tracks.flatMap { track in track.events.compactMap { track.timeSignature(of: $0) } }
            #expect(signatures.map { "\($0.numerator)/\($0.denominator)" } == ["\(meter)"], "seed \(seed)")
            let tempos = reread.tracks.flatMap { track in track.events.compactMap { track.tempo(of: $0) } }
            #expect(tempos.count == 1 && abs(60e6 / Double(tempos[0]) - controls.bpm!) < 0.01, "seed \(seed)")
            let notes = reread.tracks.flatMap { $0.pairNotes().notes }
            let barTicks = meter.barSteps * QuantisedPiece.ticksPerQuarter / TokenGrid.stepsPerQuarter
            let end = notes.map { $0.onset + $0.duration }.max() ?? 0
            let lastOnset = notes.map(\.onset).max() ?? 0
            // Bars as a reader counts them from the notes: the last one sounds in bar N, none beyond.
            #expect((end + barTicks - 1) / barTicks == bars && lastOnset >= (bars - 1) * barTicks, "seed \(seed)")
            #expect(reread.tracks.allSatisfy { $0.endOfTrackTick <= bars * barTicks })
            if !controls.instruments.isEmpty {
                #expect(Set(QuantisedPiece(reread).instruments).isSubset(of: Set(controls.instruments)), "seed \(seed)")
            }
        }
    }

    /// Near the token limit the bar budget closes: empty bars, one note in the last, `End`.
    @Test func aTightTokenLimitStillEndsWithTheLastBar() throws {
        let vocabulary = EventTokenizer.standard.vocabulary
        let model = Models.make(
            .transformer(vocabularySize: vocabulary.count, width: 32, layers: 1, heads: 1, context: 64), batch: 1,
            time: 64, seed: 5)
        let controls = GenerationControls(bars: 6)
        let grammar = TokenGrammar(vocabulary: vocabulary, constraints: controls.constraints)!
        let prompt = vocabulary.ids(of: controls.openingTokens)
        for seed in 1...10 {
            var random = SeededRandom(seed: UInt64(seed))
            let ids = TokenGenerator(model: model, grammar: grammar).continuation(
                of: prompt, length: 40, options: SamplingOptions(temperature: 1, topK: 0, topP: 1), random: &random)
            #expect(ids.count <= 40 && ids.last == grammar.endToken, "seed \(seed)")
            #expect(grammar.accepts(prompt + ids))
            let tokens = vocabulary.strings(of: prompt + ids)
            #expect(tokens.filter { $0 == "Bar" }.count == 6)
            let piece = EventTokenizer.standard.piece(from: tokens)
            // The model may change meter (none was asked): the last bar starts where five bars of its meters end.
            #expect(piece.notes.contains { $0.onset >= piece.meterStart(ofBar: 5) }, "seed \(seed)")
        }
    }
}

/// `--key-strict` asks the analyze recipe's profile and Aarden–Essen (music21's default) to agree.
@Suite struct StrictKeyTests {
    /// One note per pitch class, each as long as `quarters` says: the duration-weighted
    /// pitch-class histogram the key finders read.
    static func file(quarters: [Double]) -> MIDIFile {
        var onset = 0.0
        var notes: [(pitch: UInt8, onset: Double, duration: Double)] = []
        for (pitchClass, length) in quarters.enumerated() where length > 0 {
            notes.append((UInt8(60 + pitchClass), onset, length))
            onset += length
        }
        return PipelineFixtures.file(notes: notes)
    }

    @Test func aClearPieceIsInTheSameKeyUnderEveryStrictProfile() throws {
        // C major: tonic triad long, the other scale degrees shorter, no chromatic notes.
        let file = Self.file(quarters: [8, 0, 2, 0, 6, 2, 0, 6, 0, 2, 0, 1])
        let major = try #require(Key(parsing: "C major"))
        #expect(GenerationControls.strictKeys(of: file) == [major, major])
        #expect(
            GenerationControls.strictKeys(
                of: MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(480), tracks: [Track()])) == [
                    nil, nil,
                ])
    }

    /// The histogram of a 10-minute run's `--key "F# major" --key-strict` piece that music21
    /// called B major: Krumhansl hears F♯ major, Aarden–Essen B major, so strict resamples it.
    @Test func profilesThatDisagreeAreBothReported() throws {
        let file = Self.file(quarters: [
            0.25, 37.0 / 6, 0.5, 71.0 / 12, 5.0 / 6, 2, 31.0 / 3, 0, 37.0 / 12, 0, 23.0 / 6, 19.0 / 6,
        ])
        let keys = GenerationControls.strictKeys(of: file)
        #expect(keys == [Key(parsing: "F# major"), Key(parsing: "B major")])
    }
}
