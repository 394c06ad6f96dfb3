/// The piece's memory read two ways (IDyOM's viewpoints, Conklin & Witten 1995): with each pitch
/// as the step from the one before, so a motif played again higher or a sequence is the same run
/// of tokens, and with pitches as written, which knows a bass line or a melody's exact notes.
/// Each is a `PieceMemory` of the same piece; `MemoryMixture` weighs them.
public struct PieceMemories {
    public private(set) var steps: PieceMemory
    public private(set) var written: PieceMemory

    /// `pitches`: the MIDI pitch of each token, −1 for a token without one (empty: both memories
    /// read the tokens as they are).
    public init(vocabularySize: Int, pitches: [Int] = []) {
        steps = PieceMemory(vocabularySize: vocabularySize, pitches: pitches)
        written = PieceMemory(vocabularySize: vocabularySize)
    }

    /// The piece so far.
    public var history: [Int32] { steps.history }

    /// How much the pitch-step memory knows about the next token (`PieceMemory.bucket`).
    public var bucket: Int { steps.bucket }

    public mutating func append(_ token: Int32) {
        steps.append(token)
        written.append(token)
    }

    public mutating func append(contentsOf tokens: some Sequence<Int32>) {
        for token in tokens { append(token) }
    }
}
