/// How pieces become training and validation examples.
public enum SplitProtocol: String, CaseIterable, Sendable, Codable {
    /// Whole pieces go to training, validation or test (80 / 10 / 10): no piece is in two
    /// splits, so validation measures music the model has not seen.
    case piece
    /// The original project's recipe: every 32-token window of every piece predicts the
    /// token after it, and the windows (which overlap) are split 80 / 20 at random.
    case seed
}

/// A window of `context` tokens and the token that follows it, as (piece, start).
public struct Window: Hashable, Sendable {
    public var piece: Int
    public var start: Int
}

/// Token ids of a corpus, split for training, with the vocabulary they use.
public struct Dataset: Sendable {
    public static let seedContext = 32
    public static let seedValidationShare = 0.2

    public var vocabulary: Vocabulary
    public var splitProtocol: SplitProtocol
    /// Each piece's ids, after the vocabulary dropped what it does not know.
    public var sequences: [[Int32]]
    /// Per piece, how many of its first ids are its header (before the first `Bar`): 0 for
    /// vocabularies without one.
    public var headerLengths: [Int]
    /// Per piece, which ids are drum notes' key numbers (`DrumKeys`); empty for a piece without drums.
    var drumKeys: [[Bool]]
    public var names: [String]
    /// Indices into `sequences`. Under the seed protocol every piece is in `training`
    /// (its windows are what is split).
    public var training: [Int]
    public var validation: [Int]
    public var test: [Int]
    /// Under the seed protocol, the held-out windows (context `seedContext`).
    public var seedValidationWindows: [Window]
    public var seedTrainingWindows: [Window]

    public init(corpus: TokenizedCorpus, splitProtocol: SplitProtocol, seed: UInt64) {
        self.splitProtocol = splitProtocol
        names = corpus.pieces.map(\.name)
        var random = SeededRandom(seed: seed)
        var order = Array(corpus.pieces.indices)
        order.shuffle(using: &random)
        switch splitProtocol {
        case .piece:
            let validationCount = order.count >= 3 ? max(1, order.count / 10) : 0
            let testCount = validationCount
            validation = Array(order.prefix(validationCount)).sorted()
            test = Array(order.dropFirst(validationCount).prefix(testCount)).sorted()
            training = Array(order.dropFirst(validationCount + testCount)).sorted()
        case .seed:
            training = Array(corpus.pieces.indices)
            validation = []
            test = []
        }
        vocabulary = Self.vocabulary(for: corpus, countingPieces: training)
        let vocabulary = self.vocabulary
        sequences = corpus.pieces.map { vocabulary.ids(of: $0.tokens) }
        let bar = vocabulary.id(of: "Bar")
        headerLengths = sequences.map { sequence in
            guard vocabulary.tokenizer == EventTokenizer.name, let bar else { return 0 }
            return sequence.firstIndex(of: bar) ?? 0
        }
        let drumKeys = DrumKeys(vocabulary: vocabulary)
        self.drumKeys = sequences.map { drumKeys.flags(of: $0) }
        seedTrainingWindows = []
        seedValidationWindows = []
        if splitProtocol == .seed {
            var windows: [Window] = []
            for (piece, sequence) in sequences.enumerated() where sequence.count > Self.seedContext {
                for start in 0..<(sequence.count - Self.seedContext) {
                    windows.append(Window(piece: piece, start: start))
                }
            }
            windows.shuffle(using: &random)
            let validationCount = Int((Double(windows.count) * Self.seedValidationShare).rounded())
            seedValidationWindows = Array(windows.prefix(validationCount))
            seedTrainingWindows = Array(windows.dropFirst(validationCount))
        }
    }

    /// The `events` vocabulary is fixed but for its styles, one per style of the corpus's
    /// pieces (all of them: a style is a folder name, not something learnt). The `notes` one is
    /// the tokens seen at least `NoteTokenizer.minimumOccurrences` times in the pieces counted (under the seed
    /// protocol the whole corpus, as the original project counted; under the piece
    /// protocol the training pieces only, so validation cannot leak into it).
    static func vocabulary(for corpus: TokenizedCorpus, countingPieces: [Int]) -> Vocabulary {
        switch corpus.tokenizer {
        case .events:
            let styles = corpus.pieces.compactMap { piece in
                piece.tokens.prefix { $0 != "Bar" }.first { $0.hasPrefix(EventTokenizer.stylePrefix) }
                    .map { String($0.dropFirst(EventTokenizer.stylePrefix.count)) }
            }
            return EventTokenizer.standard.vocabulary(styles: styles)
        case .notes:
            var counts: [String: Int] = [:]
            for index in countingPieces { for token in corpus.pieces[index].tokens { counts[token, default: 0] += 1 } }
            let kept = counts.filter { $0.value >= NoteTokenizer.minimumOccurrences }.keys.sorted()
            return Vocabulary(tokenizer: NoteTokenizer.name, version: NoteTokenizer.version, tokens: kept)
        }
    }

    /// Windows of `context` tokens and their next token from the given pieces, every `stride` tokens.
    public func windows(of pieces: [Int], context: Int, stride: Int) -> [Window] {
        pieces.flatMap { piece in
            Swift.stride(from: 0, to: max(0, sequences[piece].count - context), by: stride).map {
                Window(piece: piece, start: $0)
            }
        }
    }

    /// `context + 1` tokens: the window and the token it predicts.
    public func tokens(of window: Window, context: Int) -> ArraySlice<Int32> {
        sequences[window.piece][window.start...(window.start + context)]
    }

    /// The drum flags of `window`'s tokens (`tokens(of:context:)`), or empty when it has no drums.
    func drumKeys(of window: Window, context: Int) -> [Bool] {
        let flags = drumKeys[window.piece]
        return flags.isEmpty ? [] : Array(flags[window.start...(window.start + context)])
    }

    public func tokenCount(of pieces: [Int]) -> Int { pieces.reduce(0) { $0 + sequences[$1].count } }
}
