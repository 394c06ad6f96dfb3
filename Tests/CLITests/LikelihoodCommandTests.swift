import Foundation
import Testing

@Suite(.timeLimit(.minutes(10))) struct LikelihoodCommandTests {
    /// A Markov run (counted in well under a second) scored through the command: one JSON
    /// line per file with the documented keys, a total line that sums them, and a file that
    /// cannot be read reported and skipped with exit status 1.
    @Test func markovRunScoredAsJSONLines() throws {
        let scratch = try ScratchFolder()
        let corpus = try scratch.writeRandomCorpus()
        let run = scratch.url.appendingPathComponent("run").path
        let trained = try CommandRunner.run([
            "train", "--corpus", corpus, "--model", "markov", "--order", "3", "--tokenizer", "events",
            "--context", "16", "--out", run, "--json",
        ])
        #expect(trained.status == 0, "\(trained.standardError)")
        let summary = try #require(
            try JSONSerialization.jsonObject(
                with: Data(trained.standardOutput.split(separator: "\n").last!.utf8)) as? [String: Any])
        #expect(summary["order"] as? Int == 3)
        #expect((summary["val_bits_per_note"] as? Double).map { $0 > 0 } == true)
        let memory = try #require(summary["piece_memory"] as? [String: Any])
        #expect(Set(memory.keys) == ["tokens", "bits_per_note_without", "bits_per_note_with"])

        let broken = try scratch.write(Array("not a MIDI file".utf8), named: "broken.mid")
        let scored = try CommandRunner.run(["likelihood", "--run", run, corpus, broken, "--json"])
        #expect(scored.status == 1)
        #expect(scored.standardError.contains("broken.mid"))
        let lines = try scored.standardOutput.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let pieces = lines.filter { $0["nats_per_token"] != nil && $0["total"] == nil }
        #expect(pieces.count == 8)
        for piece in pieces {
            #expect(
                Set(piece.keys) == [
                    "file", "tokens", "notes", "nats_per_token", "bits_per_note", "unknown_tokens",
                    "model_nats_per_token", "model_bits_per_note",
                ])
            let tokens = try #require(piece["tokens"] as? Int)
            let notes = try #require(piece["notes"] as? Int)
            #expect(notes == 48)
            // Bits per note are nats per token turned by the piece's tokens per note, blended or alone.
            for (natsKey, bitsKey) in [
                ("nats_per_token", "bits_per_note"), ("model_nats_per_token", "model_bits_per_note"),
            ] {
                let nats = try #require(piece[natsKey] as? Double)
                let bits = try #require(piece[bitsKey] as? Double)
                #expect(abs(bits - nats * Double(tokens) / log(2) / Double(notes)) < 1e-9 * bits)
            }
        }
        let total = try #require(lines.last)
        #expect(
            Set(total.keys) == [
                "total", "files", "tokens", "notes", "nats_per_token", "bits_per_note", "seconds", "piece_memory",
                "model_nats_per_token", "model_bits_per_note",
            ])
        #expect(total["piece_memory"] as? Bool == true)
        #expect(total["total"] as? Bool == true)
        #expect(total["files"] as? Int == 8)
        #expect(total["tokens"] as? Int == pieces.reduce(0) { $0 + ($1["tokens"] as? Int ?? 0) })
        #expect(total["notes"] as? Int == 8 * 48)

        let heldOut = try CommandRunner.run(["likelihood", "--run", run, "--held-out"])
        #expect(heldOut.status == 0, "\(heldOut.standardError)")
        #expect(heldOut.standardOutput.contains("bits/note"))
        // The model alone: the documented keys without the memory's, and the total says so.
        let alone = try CommandRunner.run(["likelihood", "--run", run, corpus, "--no-piece-memory", "--json"])
        #expect(alone.status == 0, "\(alone.standardError)")
        let aloneTotal = try #require(
            try JSONSerialization.jsonObject(with: Data(alone.standardOutput.split(separator: "\n").last!.utf8))
                as? [String: Any])
        #expect(aloneTotal["piece_memory"] as? Bool == false && aloneTotal["model_bits_per_note"] == nil)
        let aloneBits = try #require(aloneTotal["bits_per_note"] as? Double)
        #expect(abs(aloneBits - (try #require(total["model_bits_per_note"] as? Double))) < 1e-9 * aloneBits)

        let wideStride = try CommandRunner.run(["likelihood", "--run", run, corpus, "--stride", "17"])
        #expect(wideStride.status == 2)
        #expect(wideStride.standardError.contains("--stride 17"))
    }
}
