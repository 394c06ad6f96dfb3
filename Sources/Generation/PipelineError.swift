import Foundation

/// Why training, sampling or reading a run cannot go on. Each case carries the files and
/// figures at fault; `description` says what is wrong and what to do in the library's
/// terms, and a front end that knows its own options can say which one to change.
public enum PipelineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A corpus root that does not exist.
    case corpusNotFound(path: String)
    case unreadableCorpusFile(path: String)
    /// No file with a MIDI extension under any of the roots.
    case noMIDIFiles(roots: [String], extensions: [String])
    /// Too few tokens for one training and one validation window of `context` tokens.
    case corpusTooSmall(roots: [String], pieces: Int, tokens: Int, context: Int)
    /// A file a run folder must hold is not there.
    case runFileMissing(path: String, runFolder: String)
    case runFileUnreadable(path: String, reason: String)
    case unreadableVocabulary(path: String, reason: String)
    /// The run's vocabulary was made by another version of its tokenizer.
    case vocabularyOutdated(path: String, vocabulary: TokenizerVersion, tokenizer: TokenizerVersion)
    /// A resumed run's corpus tokenises to another vocabulary than the run was trained on.
    case vocabularyChanged(path: String)
    /// Early stopping or the epoch limit ended the run; resuming has nothing to do.
    case runFinished(runFolder: String)
    /// None of the prompt's tokens is in the run's vocabulary.
    case promptOutsideVocabulary(path: String)
    /// A Markov model's n-grams must fit the keys its counts are stored under.
    case markovOrderTooHigh(order: Int, vocabularySize: Int, highest: Int)
    /// A piece tokenises to fewer than two tokens the run's vocabulary knows: nothing to score.
    case nothingToScore(path: String, knownTokens: Int)
    case silentSamples(output: String, attempts: Int)
    /// Every sample's copy check found a copy: the last one's closest reference piece, how many
    /// notes it shares with it, and that match's percentile among unrelated reference pieces.
    case copiedSamples(output: String, attempts: Int, closest: String, sharedNotes: Int, percentile: Double)
    /// None of the pieces to check originality against reads as MIDI.
    case noReadableReference(pieces: Int)
    /// The shared-run guard reads notes through the `events` grammar; this run has no such grammar.
    case sharedRunGuardNeedsEvents(runFolder: String, tokenizer: String)
    /// Continuing or infilling a prompt samples through its own loop, which the guard does not watch yet.
    case sharedRunGuardWithSteering
    /// A guarded run must be at least two notes long.
    case sharedRunTooShort(notes: Int)

    /// A tokenizer by name and version, as a vocabulary records it.
    public struct TokenizerVersion: Hashable, Sendable, CustomStringConvertible {
        public var name: String
        public var version: Int

        public var description: String { "\(name) v\(version)" }
    }

    public var description: String {
        let subject: String, remedy: String?
        switch self {
        case .corpusNotFound(let path):
            (subject, remedy) = (path, "give a Tunesmith corpus folder or a folder of MIDI files")
        case .unreadableCorpusFile(let path):
            (subject, remedy) = (path, "check its permissions")
        case .noMIDIFiles(let roots, _):
            (subject, remedy) = (roots.joined(separator: " "), nil)
        case .corpusTooSmall(let roots, _, _, _):
            (subject, remedy) = (roots.joined(separator: " "), "add pieces or use shorter windows")
        case .runFileMissing(let path, let runFolder):
            (subject, remedy) = (path, "is \(runFolder) a run folder written by a training run?")
        case .unreadableVocabulary(let path, _):
            (subject, remedy) = (path, "was the run folder written by a training run?")
        case .runFileUnreadable(let path, _):
            (subject, remedy) = (path, "the run folder is damaged, train again")
        case .vocabularyOutdated(let path, _, _):
            (subject, remedy) = (path, "train the run again")
        case .vocabularyChanged(let path):
            (subject, remedy) = (path, "resume with the same corpus, tokenizer and seed, or start a new run")
        case .runFinished(let runFolder):
            (subject, remedy) = (runFolder, "allow more epochs or more patience to go on")
        case .promptOutsideVocabulary(let path):
            (subject, remedy) = (path, "choose a prompt with notes the corpus has")
        case .markovOrderTooHigh(let order, _, _):
            (subject, remedy) = ("order \(order)", "choose a lower order")
        case .nothingToScore(let path, _):
            (subject, remedy) = (path, nil)
        case .silentSamples(let output, _):
            (subject, remedy) = (output, "nothing written — train the run longer, or sample longer or more times")
        case .copiedSamples(let output, _, _, _, _):
            (subject, remedy) = (output, "nothing written — sample at a higher temperature or more times")
        case .noReadableReference:
            (subject, remedy) = ("the copy check", "check the corpus files with the inspect command")
        case .sharedRunGuardNeedsEvents(let runFolder, _):
            (subject, remedy) = (runFolder, "train a run with the events tokenizer to guard shared runs")
        case .sharedRunGuardWithSteering:
            (subject, remedy) = ("the shared-run guard", "generate from the start, or leave the guard out")
        case .sharedRunTooShort(let notes):
            (subject, remedy) = ("a run of \(notes) notes", "guard runs of at least 2 notes")
        }
        return "\(subject): \(problem)" + (remedy.map { "; " + $0 } ?? "")
    }

    /// What is wrong, with its figures, without the file it concerns or a remedy.
    public var problem: String {
        switch self {
        case .corpusNotFound: "no such file or folder"
        case .unreadableCorpusFile: "cannot be read"
        case .noMIDIFiles(_, let extensions):
            "no MIDI files found (looked for \(extensions.map { "." + $0 }.joined(separator: ", ")))"
        case .corpusTooSmall(_, let pieces, let tokens, let context):
            "\(pieces) readable pieces, \(tokens) tokens — too little to train and validate with windows of \(context)"
        case .runFileMissing: "missing"
        case .runFileUnreadable(_, let reason): "unreadable (\(reason))"
        case .unreadableVocabulary(_, let reason): "not a readable vocabulary (\(reason))"
        case .vocabularyOutdated(_, let vocabulary, let tokenizer):
            "vocabulary \(vocabulary), this build's tokenizer is \(tokenizer)"
        case .vocabularyChanged: "the corpus now gives another vocabulary"
        case .runFinished: "the run already stopped (early stopping or its epoch limit reached)"
        case .promptOutsideVocabulary: "none of the prompt's tokens is in the run's vocabulary"
        case .markovOrderTooHigh(_, let vocabularySize, let highest):
            "n-grams of a \(vocabularySize)-token vocabulary are kept up to order \(highest)"
        case .nothingToScore(_, let knownTokens):
            "\(knownTokens) token\(knownTokens == 1 ? "" : "s") the run's vocabulary knows; "
                + "at least two are needed to score"
        case .silentSamples(_, let attempts): "none of \(attempts) samples holds a note"
        case .copiedSamples(_, let attempts, let closest, let sharedNotes, let percentile):
            "every one of \(attempts) samples is a copy of a training piece by the clearance check (the last shares "
                + "\(sharedNotes) notes with \(closest), more than \(String(format: "%.1f", percentile)) % of "
                + "unrelated training pieces share with their closest match)"
        case .noReadableReference(let pieces):
            "none of the \(pieces) reference pieces reads as MIDI, so there is nothing to check originality against"
        case .sharedRunGuardNeedsEvents(_, let tokenizer):
            "the run uses the \(tokenizer) tokenizer, whose tokens have no bars or onsets to guard runs with"
        case .sharedRunGuardWithSteering: "not applied to a continued or infilled prompt yet"
        case .sharedRunTooShort: "a single note is held by every piece"
        }
    }
}
