/// A decoder's logits blended with the piece's own memory (`MemoryMixture`): the memory reads
/// every token the decoder is given, prompt and samples alike, so a generated piece can return
/// to its own motifs however long ago they were.
final class MemoryDecoder: TokenDecoder {
    let inner: any TokenDecoder
    let mixture: MemoryMixture
    private var memories: PieceMemories

    init(_ inner: any TokenDecoder, mixture: MemoryMixture) {
        self.inner = inner
        self.mixture = mixture
        memories = mixture.memories()
    }

    func append(_ tokens: [Int32]) -> [Float] {
        memories.append(contentsOf: tokens)
        return mixture.logits(model: inner.append(tokens), memories: memories)
    }
}
