import Foundation
import Testing

@Suite(.timeLimit(.minutes(10))) struct ClearanceCommandTests {
    @Test func indexThenCheckACopyWithAReport() throws {
        let scratch = try ScratchFolder()
        let corpus = try scratch.writeRandomCorpus()
        _ = try scratch.write(Array("<html>not found</html>".utf8), named: "corpus/broken.mid")
        let index = scratch.url.appendingPathComponent("index").path
        let indexed = try CommandRunner.run(["clearance", "index", corpus, "--into", index, "--json"])
        #expect(indexed.status == 1)  // broken.mid is reported and skipped
        #expect(indexed.standardError.contains("broken.mid"))
        let summary = try #require(
            try JSONSerialization.jsonObject(
                with: Data(indexed.standardOutput.split(separator: "\n").last.map(String.init)?.utf8 ?? "".utf8))
                as? [String: Any])
        #expect(summary["pieces"] as? Int == 8)
        #expect(summary["failed"] as? Int == 1)

        try FileManager.default.createDirectory(
            at: scratch.url.appendingPathComponent("new"), withIntermediateDirectories: true)
        let copy = scratch.url.appendingPathComponent("new/suspect.mid").path
        try FileManager.default.copyItem(atPath: corpus + "/piece3.mid", toPath: copy)
        let reports = scratch.url.appendingPathComponent("reports").path
        let checked = try CommandRunner.run(["clearance", "check", copy, "--against", index, "--json", "-o", reports])
        #expect(checked.status == 0)
        let result = try #require(
            try JSONSerialization.jsonObject(with: Data(checked.standardOutput.utf8)) as? [String: Any])
        #expect(result["verdict"] as? String == "copy")
        let best = try #require((result["matches"] as? [[String: Any]])?.first)
        #expect((best["piece"] as? String)?.hasSuffix("piece3.mid") == true)
        #expect(best["shared_notes"] as? Int == 48)
        #expect(best["percentile"] as? Double == 100)
        #expect(best["query_bars"] as? [Int] == [1, 6])
        let page = try String(contentsOfFile: reports + "/suspect.html", encoding: .utf8)
        #expect(page.contains("Verdict: copy"))
        #expect(page.contains("<svg"))
        #expect(page.contains("shared notes"))
        let rendered = FileManager.default.fileExists(atPath: reports + "/suspect-audio/match1-this.wav")
        #expect(rendered == page.contains("<audio"))

        // One thread finds what all cores find; no thread at all is a usage error naming the option.
        let alone = try CommandRunner.run(["clearance", "check", copy, "--against", index, "--json", "--threads", "1"])
        #expect(alone.status == 0)
        let aloneResult = try #require(
            try JSONSerialization.jsonObject(with: Data(alone.standardOutput.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: aloneResult).isEqual(to: result))
        let none = try CommandRunner.run(["clearance", "check", copy, "--against", index, "--threads", "0"])
        #expect(none.status == 2)
        #expect(none.standardError.contains("--threads 0"))
    }

    @Test func aDamagedIndexIsNamedWithWhatToDo() throws {
        let scratch = try ScratchFolder()
        let corpus = try scratch.writeRandomCorpus()
        let index = scratch.url.appendingPathComponent("index")
        try FileManager.default.createDirectory(at: index, withIntermediateDirectories: true)
        _ = try scratch.write(Array(repeating: 0x41, count: 4096), named: "index/clearance.sqlite")
        let checked = try CommandRunner.run(["clearance", "check", corpus, "--against", index.path])
        #expect(checked.status == 1)
        #expect(checked.standardError.contains("clearance.sqlite"))
        #expect(checked.standardError.contains("index the catalogue again"))
        let missing = try CommandRunner.run(["clearance", "check", corpus, "--against", scratch.url.path])
        #expect(missing.status == 1)
        #expect(missing.standardError.contains("tunesmith clearance index SOURCE... --into"))
    }
}
