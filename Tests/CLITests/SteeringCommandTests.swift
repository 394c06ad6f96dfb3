import Foundation
import Testing

@Suite(.timeLimit(.minutes(10))) struct SteeringCommandTests {
    static func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// One tiny run (trained with bar infilling, the default) serves every check: an audition
    /// of continued candidates, an infill, and the usage errors, each naming its option.
    @Test func candidatesContinuationsAndInfillsKeepThePromptAndBadRequestsNameTheirOption() throws {
        let scratch = try ScratchFolder()
        let corpus = try scratch.writeRandomCorpus()
        let run = try scratch.trainTinyEventsRun(corpus: corpus, context: 32, layers: 2)
        let prompt = corpus + "/piece0.mid"

        // No key asked: one is drawn from the keys the training pieces open with, and checked.
        let plain = try CommandRunner.run([
            "generate", "--run", run, "--seed", "2", "-o", scratch.url.appendingPathComponent("plain.mid").path,
            "--json",
        ])
        #expect(plain.status == 0, "\(plain.standardError)")
        let drawn = try #require(try Self.objects(plain.standardOutput).first)
        let description = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run + "/run.json")))
                as? [String: Any])
        let counts = try #require((description["trainingKeys"] as? [String: Any])?["counts"] as? [[String: Any]])
        #expect(counts.map { $0["pieces"] as? Int ?? 0 }.reduce(0, +) > 0)
        #expect(drawn["key_drawn"] is String)
        #expect(drawn["key_matches"] is Bool)

        let folder = scratch.url.appendingPathComponent("audition").path
        let audition = try CommandRunner.run([
            "generate", "--run", run, "--prompt", prompt, "--continue-bars", "2", "--count", "3", "--seed", "4",
            "-o", folder, "--json",
        ])
        #expect(audition.status == 0, "\(audition.standardError)")
        let candidates = try Self.objects(audition.standardOutput)
        #expect(candidates.map { $0["seed"] as? Int } == [4, 5, 6])
        for candidate in candidates {
            let prompted = try #require(candidate["prompted"] as? [String: Any])
            #expect(prompted["notes_kept"] as? Int == 48)
            #expect(prompted["notes_to_keep"] as? Int == 48)
            #expect(prompted["new_bars"] as? Int == 2)
            let command = try #require(candidate["command"] as? String)
            #expect(
                command.contains("--seed \(candidate["seed"] as? Int ?? -1)") && command.contains("--continue-bars 2"))
            #expect(FileManager.default.fileExists(atPath: try #require(candidate["midi"] as? String)))
        }
        let page = try String(contentsOfFile: folder + "/index.html", encoding: .utf8)
        #expect(page.contains("<table class=\"sortable\">"))
        #expect(["1", "2", "3"].allSatisfy { page.contains("href=\"#candidate-\($0)\"") })

        let infilled = scratch.url.appendingPathComponent("infilled.mid").path
        let infill = try CommandRunner.run([
            "generate", "--run", run, "--prompt", prompt, "--infill", "2-3", "-o", infilled, "--json",
        ])
        #expect(infill.status == 0, "\(infill.standardError)")
        let result = try #require(try Self.objects(infill.standardOutput).first)
        let prompted = try #require(result["prompted"] as? [String: Any])
        #expect(prompted["notes_to_keep"] as? Int == 32)
        #expect(prompted["notes_kept"] as? Int == 32)

        let other = scratch.url.appendingPathComponent("other.mid").path
        for (arguments, named) in [
            (["--prompt", prompt, "--infill", "40-41"], "--infill 40-41: the prompt has 6 bars"),
            (["--prompt", prompt, "--infill", "3-2"], "--infill"),
            (["--continue-bars", "2"], "--prompt FILE"),
            (["--prompt", prompt, "--continue-bars", "0"], "--continue-bars 0"),
            (["--prompt", scratch.url.appendingPathComponent("none.mid").path, "--continue-bars", "2"], "--prompt"),
        ] {
            let refused = try CommandRunner.run(["generate", "--run", run, "-o", other] + arguments)
            #expect(refused.status != 0)
            #expect(refused.standardError.contains(named), "\(arguments): \(refused.standardError)")
        }
    }
}
