/// A decoder's logits blended with the piece's own memory (`MemoryMixture`): the memory reads
/// every token the decoder is given, prompt and samples alike, so a generated piece can return
/// to its own motifs however long ago they were.
final class MemoryDecoder: TokenDecoder {
    let inner: any TokenDecoder
    let mixture: MemoryMixture
    private var memory: PieceMemory

    init(_ inner: any TokenDecoder, mixture: MemoryMixture, vocabularySize: Int) {
        self.inner = inner
        self.mixture = mixture
        memory = PieceMemory(vocabularySize: vocabularySize)
    }

    func append(_ tokens: [Int32]) -> [Float] {
        memory.append(contentsOf: tokens)
        return mixture.logits(model: inner.append(tokens), memory: memory)
    }
}
