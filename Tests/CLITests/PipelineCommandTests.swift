import Foundation
import MIDIFile
import Testing

@Suite struct PipelineCommandTests {
    /// Eight small pieces of random eighth notes, written by MIDIWriter.
    func writeCorpus(in scratch: ScratchFolder) throws -> String {
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("corpus"), withIntermediateDirectories: true)
        var state: UInt64 = 17
        for index in 0..<8 {
            var track = Track()
            for step in 0..<48 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let pitch = UInt8(55 + Int(state >> 59))
                track.appendChannelEvent(tick: step * 240, status: 0x90, data1: pitch, data2: 80)
                track.appendChannelEvent(tick: step * 240 + 240, status: 0x80, data1: pitch)
            }
            let bytes = MIDIWriter().encode(MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(480), tracks: [track])).bytes
            _ = try scratch.write(bytes, named: "corpus/piece\(index).mid")
        }
        return scratch.url.appendingPathComponent("corpus").path
    }

    @Test func trainGenerateEvaluate() throws {
        let scratch = try ScratchFolder()
        let corpus = try writeCorpus(in: scratch)
        let run = scratch.url.appendingPathComponent("run").path
        let cache = scratch.url.appendingPathComponent("cache").path
        let trained = try CommandRunner.run(["train", "--corpus", corpus, "--model", "wavenet", "--tokenizer", "events", "--epochs", "1",
                                             "--batch", "4", "--context", "16", "--width", "8", "--layers", "2", "--cache", cache, "--out", run, "--json"])
        #expect(trained.status == 0, "\(trained.standardError)")
        let lines = trained.standardOutput.split(separator: "\n")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(lines.last!.utf8)) as? [String: Any])
        for key in ["model", "tokenizer", "protocol", "train_loss", "val_loss", "best_epoch", "tokens_per_second", "parameters", "seconds"] {
            #expect(summary[key] != nil, "summary lacks \(key)")
        }
        #expect(summary["protocol"] as? String == "piece")

        let first = scratch.url.appendingPathComponent("a.mid").path, second = scratch.url.appendingPathComponent("b.mid").path
        for output in [first, second] {
            let generated = try CommandRunner.run(["generate", "--run", run, "--length", "40", "--seed", "9", "-o", output, "--json"])
            #expect(generated.status == 0, "\(generated.standardError)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second)))

        let evaluated = try CommandRunner.run(["evaluate", first, "--against", corpus, "--run", run, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.standardError)")
        let set = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.standardOutput.split(separator: "\n").last!.utf8)) as? [String: Any])
        #expect(set["pieces"] as? Int == 1)
        #expect(set["corpusPieces"] as? Int == 8)
    }

    @Test func usageErrorsNameTheOption() throws {
        let scratch = try ScratchFolder()
        let corpus = try writeCorpus(in: scratch)
        let seedContext = try CommandRunner.run(["train", "--corpus", corpus, "--model", "lstm", "--tokenizer", "notes", "--protocol", "seed",
                                                 "--context", "64", "--out", scratch.url.appendingPathComponent("r").path])
        #expect(seedContext.status == 2)
        #expect(seedContext.standardError.contains("--context"))
        let missing = try CommandRunner.run(["train", "--corpus", scratch.url.appendingPathComponent("nowhere").path, "--model", "lstm",
                                             "--tokenizer", "events", "--out", scratch.url.appendingPathComponent("r").path])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("nowhere"))
    }
}
