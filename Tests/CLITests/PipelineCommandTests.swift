import Foundation
import MIDIFile
import Testing

@Suite(.timeLimit(.minutes(10))) struct PipelineCommandTests {
    @Test func trainGenerateEvaluate() throws {
        let scratch = try ScratchFolder()
        let corpus = try scratch.writeRandomCorpus()
        let run = scratch.url.appendingPathComponent("run").path
        let cache = scratch.url.appendingPathComponent("cache").path
        let trained = try CommandRunner.run([
            "train", "--corpus", corpus, "--model", "wavenet", "--tokenizer", "events", "--epochs", "1",
            "--batch", "4", "--context", "16", "--width", "8", "--layers", "2", "--cache", cache, "--out", run,
            "--json",
        ])
        #expect(trained.status == 0, "\(trained.standardError)")
        let lines = trained.standardOutput.split(separator: "\n")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any])
        for key in [
            "model", "tokenizer", "protocol", "train_loss", "val_loss", "best_epoch", "tokens_per_second", "parameters",
            "seconds",
        ] {
            #expect(summary[key] != nil, "summary lacks \(key)")
        }
        #expect(summary["protocol"] as? String == "piece")
        #expect(try JSONKeys.offendingKeys(in: trained.standardOutput) == [])

        let first = scratch.url.appendingPathComponent("a.mid").path,
            second = scratch.url.appendingPathComponent("b.mid").path
        for output in [first, second] {
            let generated = try CommandRunner.run([
                "generate", "--run", run, "--length", "40", "--seed", "9", "-o", output, "--json",
            ])
            #expect(generated.status == 0, "\(generated.standardError)")
            #expect(try JSONKeys.offendingKeys(in: generated.standardOutput) == [])
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second)))

        let evaluated = try CommandRunner.run(["evaluate", first, "--against", corpus, "--run", run, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.standardError)")
        let set = try #require(
            try JSONSerialization.jsonObject(with: Data(evaluated.standardOutput.split(separator: "\n").last!.utf8))
                as? [String: Any])
        #expect(set["pieces"] as? Int == 1)
        #expect(set["corpus_pieces"] as? Int == 8)
        #expect(try JSONKeys.offendingKeys(in: evaluated.standardOutput) == [])
    }

    @Test func usageErrorsNameTheOption() throws {
        let scratch = try ScratchFolder()
        let corpus = try scratch.writeRandomCorpus()
        let seedContext = try CommandRunner.run([
            "train", "--corpus", corpus, "--model", "lstm", "--tokenizer", "notes", "--protocol", "seed",
            "--context", "64", "--out", scratch.url.appendingPathComponent("r").path,
        ])
        #expect(seedContext.status == 2)
        #expect(seedContext.standardError.contains("--context"))
        let missing = try CommandRunner.run([
            "train", "--corpus", scratch.url.appendingPathComponent("nowhere").path, "--model", "lstm",
            "--tokenizer", "events", "--out", scratch.url.appendingPathComponent("r").path,
        ])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("nowhere"))
    }
}
