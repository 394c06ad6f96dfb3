import Foundation
import MIDIFile

/// Why a producer's MIDI cannot be continued or infilled. Each case names the file and the
/// figures at fault; a front end that knows its options says which one to change.
public enum PromptError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Continuing or infilling was asked for without a prompt file.
    case missing
    case unreadable(path: String, reason: String)
    /// Nothing pitched on the events grid: nothing to keep or to continue.
    case noNotes(path: String)
    /// Bars `first`…`last` (1-based) are not all inside the prompt's `bars` bars.
    case infillOutsidePrompt(path: String, first: Int, last: Int, bars: Int)
    /// Continuation and infilling need bars: the `events` tokenizer.
    case needsEventTokens(tokenizer: String)
    /// The run never saw a fill example (it trained with an infill share of 0).
    case infillNotTrained(runFolder: String)

    public var description: String {
        switch self {
        case .missing: problem
        case .unreadable(let path, let reason): "\(path): \(problem) (\(reason))"
        case .noNotes(let path): "\(path): \(problem)"
        case .infillOutsidePrompt(let path, let first, let last, _): "bars \(first)-\(last) of \(path): \(problem)"
        case .needsEventTokens: problem
        case .infillNotTrained(let runFolder): "\(runFolder): \(problem); train with an infill share above 0"
        }
    }

    /// What is wrong, without naming an option or a remedy.
    public var problem: String {
        switch self {
        case .missing: "continuing or infilling bars needs a prompt MIDI file"
        case .unreadable: "not a readable MIDI file"
        case .noNotes: "no pitched notes to keep or continue"
        case .infillOutsidePrompt(_, _, _, let bars):
            "the prompt has \(bars) bar\(bars == 1 ? "" : "s"); give a range of bars from 1 to \(bars), first ≤ last"
        case .needsEventTokens(let tokenizer):
            "a run on \(tokenizer) tokens has no bars; continuing or infilling bars needs an events run"
        case .infillNotTrained: "the run never learnt to fill bars"
        }
    }
}

/// A producer's MIDI as the events grid holds it: what continuation and infilling keep note for note.
public struct Prompt: Sendable {
    public let path: String
    public let piece: QuantisedPiece
    /// The prompt's bars, up to the one holding its last event.
    public let bars: [(start: Int, meter: TokenMeter)]

    public init(contentsOf path: String) throws(PromptError) {
        let midi: MIDIFile
        do {
            midi = try MIDIReader.read(contentsOf: path).file
        } catch {
            throw .unreadable(path: path, reason: String(describing: error))
        }
        self.init(path: path, piece: QuantisedPiece(midi))
        if piece.notes.isEmpty { throw .noNotes(path: path) }
    }

    public init(path: String, piece: QuantisedPiece) {
        self.path = path
        self.piece = piece
        bars = piece.bars(through: piece.lastEventStep)
    }

    /// The step where the prompt's last bar ends.
    public var endStep: Int { bars[bars.count - 1].start + bars[bars.count - 1].meter.barSteps }

    /// The prompt's tokens without the `End` that would close it.
    var openTokens: [String] {
        let tokens = EventTokenizer.standard.tokens(for: piece)
        return tokens.last == EventTokenizer.endToken ? Array(tokens.dropLast()) : tokens
    }

    /// `kept` notes with `new` ones, minus each new note that would start while a kept note
    /// of its pitch still sounds: the canonical form would cut the kept note there, and a
    /// kept note must stay as it was.
    static func splice(kept: [QuantisedPiece.Note], new: [QuantisedPiece.Note]) -> (
        notes: [QuantisedPiece.Note], dropped: Int
    ) {
        var sounding: [Int: [Range<Int>]] = [:]
        for note in kept { sounding[note.pitch, default: []].append(note.onset..<(note.onset + note.duration)) }
        let admitted = new.filter { note in
            !(sounding[note.pitch] ?? []).contains { $0.contains(note.onset) }
        }
        return (kept + admitted, new.count - admitted.count)
    }

    /// How many of `notes` are in `piece` exactly (onset, duration, pitch, velocity).
    public static func keptCount(of notes: [QuantisedPiece.Note], in piece: QuantisedPiece) -> Int {
        let present = Set(piece.notes)
        return notes.filter { present.contains($0) }.count
    }
}

/// What a continuation or an infill wrote around the prompt.
public struct PromptedPiece: Sendable {
    public var piece: QuantisedPiece
    /// The prompt's notes that must be in `piece` note for note.
    public var kept: [QuantisedPiece.Note]
    /// Notes written by the model that made it into `piece`.
    public var newNotes: Int
    /// Bars the model wrote.
    public var newBars: Int
    /// Notes the model wrote that would have cut a kept note short, left out.
    public var droppedNotes: Int
    public var tokens: Int
}

/// One token at a time after a context, with the tokens `allows` forbids masked, until
/// `advance` says the piece is done or `budget` tokens are written.
struct ConstrainedSampling {
    let generator: TokenGenerator

    func sample(
        after context: [Int32], budget: Int, options: SamplingOptions, random: inout SeededRandom,
        allows: (Int32) -> Bool, advance: (Int32) -> Bool
    ) -> [Int32] {
        let decoder = generator.decoder(capacity: context.count + budget)
        var logits = decoder.append(context)
        var written: [Int32] = []
        while written.count < budget {
            for token in logits.indices where !allows(Int32(token)) { logits[token] = -.infinity }
            guard logits.contains(where: { $0 > -.infinity }) else { break }
            let token = options.sample(logits: logits, kinds: generator.grammar?.kinds, random: &random)
            written.append(token)
            guard advance(token), written.count < budget else { break }
            logits = decoder.append([token])
        }
        return written
    }
}

/// The pitches a new note may not take at the current onset: one already written there (the
/// canonical form keeps one note per onset and pitch, so a model repeating itself would only
/// spin), or one a kept note still holds (the splice would leave the new note out).
struct NoteMask {
    /// (vocabulary)
    private let pitchOfToken: [Int?]
    private var sounding: [Int: [Range<Int>]] = [:]
    private var writtenHere: Set<Int> = []

    init(vocabulary: Vocabulary, kept: [QuantisedPiece.Note]) {
        pitchOfToken = vocabulary.pitchOfToken
        for note in kept { sounding[note.pitch, default: []].append(note.onset..<(note.onset + note.duration)) }
    }

    /// Whether `token` is a pitch that may not start at `step`.
    func forbids(_ token: Int32, at step: Int) -> Bool {
        guard let pitch = pitchOfToken[Int(token)] else { return false }
        return writtenHere.contains(pitch) || (sounding[pitch] ?? []).contains { $0.contains(step) }
    }

    /// Follows the written tokens: a bar line or a new position starts a new onset.
    mutating func advance(by token: Int32, role: TokenGrammar.Role) {
        switch role {
        case .bar, .position: writtenHere.removeAll()
        case .pitch: if let pitch = pitchOfToken[Int(token)] { writtenHere.insert(pitch) }
        default: break
        }
    }
}
