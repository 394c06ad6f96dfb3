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
            let line = try #require(
                try JSONSerialization.jsonObject(with: Data(generated.standardOutput.utf8)) as? [String: Any])
            #expect(["clear", "review", "copy"].contains(line["verdict"] as? String ?? ""))
            #expect(line["matches"] is [Any])
        }
        // The training pieces' clearance index is built once, in the run folder, and reused.
        #expect(FileManager.default.fileExists(atPath: run + "/clearance/clearance.sqlite"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second)))

        let evaluated = try CommandRunner.run(["evaluate", first, "--against", corpus, "--run", run, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.standardError)")
        let set = try #require(
            try JSONSerialization.jsonObject(with: Data(evaluated.standardOutput.split(separator: "\n").last!.utf8))
                as? [String: Any])
        #expect(set["pieces"] as? Int == 1)
        #expect(set["corpus_pieces"] as? Int == 8)
        #expect(try JSONKeys.offendingKeys(in: evaluated.standardOutput) == [])
        let description = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run + "/run.json")))
                as? [String: Any])
        let training = try #require(description["training"] as? [String])
        let test = try #require(description["test"] as? [String])
        #expect(set["reference_pieces"] as? Int == training.count)
        #expect((set["held_out"] as? [String: Any])?["pieces"] as? Int == test.count)

        // A training piece evaluated against the run is a copy, of itself.
        let trainingPiece = try #require(training.first)
        let own = try CommandRunner.run([
            "evaluate", corpus + "/" + trainingPiece.split(separator: "/").last!, "--against", corpus, "--run", run,
            "--json",
        ])
        #expect(own.status == 0, "\(own.standardError)")
        let ownLine = try #require(
            try JSONSerialization.jsonObject(with: Data(own.standardOutput.split(separator: "\n").first!.utf8))
                as? [String: Any])
        #expect(ownLine["verdict"] as? String == "copy")
        #expect((ownLine["matches"] as? [[String: Any]])?.first?["piece"] as? String == trainingPiece)

        // The exact n-gram check's thresholds are refused, saying what replaced them.
        let retired = try CommandRunner.run([
            "generate", "--run", run, "--max-shared-run", "20", "-o", scratch.url.appendingPathComponent("c.mid").path,
        ])
        #expect(retired.status != 0)
        #expect(
            retired.standardError.contains("--max-shared-run 20") && retired.standardError.contains("--copy-percentile")
        )
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
