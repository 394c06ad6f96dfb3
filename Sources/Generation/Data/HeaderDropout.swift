/// The training transform that teaches the header: every window opens with its piece's
/// header (style, key, instruments), wherever in the piece the window lies, so the model
/// learns what each header token says about the music that follows; and header tokens are
/// dropped at random, so the model also learns to write a piece with any of them, or all of
/// them, missing, as `generate` asks for when a control is not given.
struct HeaderDropout: Sendable {
    /// How often the whole header is dropped: the unconditioned pieces.
    static let wholeHeader = 0.2
    /// Otherwise, how often each header token is dropped on its own.
    static let eachToken = 0.2

    /// `context + 1` ids: the header's kept tokens, then the piece's body from the window's
    /// start (past the header when the window starts inside it; earlier when the body ends
    /// too soon after it), with the drum flags of those ids (empty when there are no drums).
    /// A piece without a header gives its window unchanged and draws nothing; one whose body
    /// alone is shorter than the window gives its window unchanged too.
    func window(_ window: Window, of dataset: Dataset, context: Int, random: inout SeededRandom) -> (
        tokens: [Int32], drums: [Bool]
    ) {
        let headerLength = dataset.headerLengths[window.piece]
        guard headerLength > 0 else {
            return (Array(dataset.tokens(of: window, context: context)), dataset.drumKeys(of: window, context: context))
        }
        let sequence = dataset.sequences[window.piece]
        var tokens: [Int32] = []
        tokens.reserveCapacity(context + 1)
        if !Self.draw(Self.wholeHeader, &random) {
            for token in sequence[..<headerLength] where !Self.draw(Self.eachToken, &random) { tokens.append(token) }
        }
        let header = tokens.count
        let bodyLength = context + 1 - header
        guard sequence.count - headerLength >= bodyLength else {
            return (Array(dataset.tokens(of: window, context: context)), dataset.drumKeys(of: window, context: context))
        }
        let bodyStart = min(max(window.start, headerLength), sequence.count - bodyLength)
        let bodyEnd = bodyStart + bodyLength
        tokens += sequence[bodyStart..<bodyEnd]
        let flags = dataset.drumKeys[window.piece]
        let drums = flags.isEmpty ? [] : [Bool](repeating: false, count: header) + flags[bodyStart..<bodyEnd]
        return (tokens, drums)
    }

    private static func draw(_ probability: Double, _ random: inout SeededRandom) -> Bool {
        Double(random.next() >> 11) * 0x1p-53 < probability
    }
}
