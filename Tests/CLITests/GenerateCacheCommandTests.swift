import Foundation
import Testing

@Suite(.timeLimit(.minutes(10))) struct GenerateCacheCommandTests {
    /// A rotary Transformer with a context of 8 writes 40 tokens: past its window, where the
    /// cache slides. Incremental decoding and the full-window reference write the same file.
    @Test func noCacheWritesTheSamePiece() throws {
        let scratch = try ScratchFolder()
        let corpus = try scratch.writeRandomCorpus()
        let run = scratch.url.appendingPathComponent("run").path
        let trained = try CommandRunner.run([
            "train", "--corpus", corpus, "--model", "transformer",
            "--tokenizer", "events", "--epochs", "1", "--batch", "4", "--context", "8",
            "--width", "16", "--layers", "2",
            "--cache", scratch.url.appendingPathComponent("cache").path, "--out", run,
        ])
        #expect(trained.status == 0, "\(trained.standardError)")
        let cached = scratch.url.appendingPathComponent("cached.mid").path
        let reference = scratch.url.appendingPathComponent("reference.mid").path
        for (output, flags) in [(cached, [String]()), (reference, ["--no-cache"])] {
            let generated = try CommandRunner.run(
                ["generate", "--run", run, "--length", "40", "--seed", "3", "-o", output] + flags)
            #expect(generated.status == 0, "\(generated.standardError)")
        }
        let written = try Data(contentsOf: URL(fileURLWithPath: cached))
        #expect(!written.isEmpty)
        #expect(written == (try Data(contentsOf: URL(fileURLWithPath: reference))))
    }
}
