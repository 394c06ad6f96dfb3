import Foundation
import MIDIFile
import Testing

@Suite(.timeLimit(.minutes(10))) struct ReportCommandTests {
    /// C major scale, one bar of eighths, written by MIDIWriter.
    func scale() -> [UInt8] {
        var track = Track()
        for (index, pitch) in ([60, 62, 64, 65, 67, 69, 71, 72] as [UInt8]).enumerated() {
            track.appendChannelEvent(tick: index * 240, status: 0x90, data1: pitch, data2: 90)
            track.appendChannelEvent(tick: index * 240 + 240, status: 0x80, data1: pitch)
        }
        return MIDIWriter().encode(MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(480), tracks: [track]))
            .bytes
    }

    @Test func writesTheReportAndSaysWhereAsJSON() throws {
        let scratch = try ScratchFolder()
        let input = try scratch.write(scale(), named: "scale.mid")
        let output = scratch.url.appendingPathComponent("Reports/scale").path
        let outcome = try CommandRunner.run([
            "report", input, "-o", output, "--measures", "4", "--profile", "temperley", "--json",
        ])
        #expect(outcome.status == 0)
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        #expect(summary["pieces"] as? Int == 1)
        #expect(summary["index"] as? String == output + "/index.html")
        let page = try String(contentsOfFile: output + "/pieces/scale.html", encoding: .utf8)
        #expect(page.contains("Temperley"), "the chosen profile is the one overlaid")
    }

    @Test func usageErrorsNameTheOption() throws {
        let scratch = try ScratchFolder()
        let input = try scratch.write(scale(), named: "scale.mid")
        let badMeasures = try CommandRunner.run([
            "report", input, "-o", scratch.url.appendingPathComponent("r").path, "--measures", "0",
        ])
        #expect(badMeasures.status == 2)
        #expect(badMeasures.standardError.contains("--measures"))
        let missing = try CommandRunner.run([
            "report", scratch.url.appendingPathComponent("nowhere.mid").path, "-o",
            scratch.url.appendingPathComponent("r").path,
        ])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("nowhere.mid"))
    }

    /// `report` and `analyze` read the analysis flags through one option group, so the two cannot
    /// drift apart again (report had lost --pairing, --duration-grid and --a4).
    @Test func takesTheAnalysisFlagsOfAnalyze() throws {
        let scratch = try ScratchFolder()
        let input = try scratch.write(scale(), named: "scale.mid")
        let output = scratch.url.appendingPathComponent("r").path
        let outcome = try CommandRunner.run([
            "report", input, "-o", output, "--pairing", "fifo", "--duration-grid", "none", "--a4", "415",
            "--bin-hz", "25", "--data-bytes", "drop",
        ])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let page = try String(contentsOfFile: output + "/pieces/scale.html", encoding: .utf8)
        #expect(page.contains("A4 415"), "the log-axis frequency chart is tuned to --a4")
        #expect(!page.contains("A4 440"))
        let badA4 = try CommandRunner.run(["report", input, "-o", output, "--a4", "0"])
        #expect(badA4.status == 2)
        #expect(badA4.standardError.contains("--a4"))
        #expect(try CommandRunner.run(["report", input, "-o", output, "--pairing", "lifo"]).status == 2)
    }

    @Test func acceptsEveryOptionOfAnalyzeButItsOwn() throws {
        func options(_ command: String) throws -> Set<String> {
            let help = try CommandRunner.run([command, "--help"]).standardOutput
            return Set(help.matches(of: /--[a-z0-9-]+/).map { String($0.output) })
        }
        let analyzeOnly: Set = ["--total", "--jobs", "--help"]
        let analyze = try options("analyze").subtracting(analyzeOnly)
        #expect(analyze.isSuperset(of: ["--pairing", "--duration-grid", "--a4", "--profile", "--bin-hz"]))
        #expect(analyze.subtracting(try options("report")).isEmpty)
    }

    /// A run folder as `tunesmith train` leaves it (run.json, history.json), written by hand.
    @Test func aTrainingRunFolderGetsItsLossPage() throws {
        let scratch = try ScratchFolder()
        let run = scratch.url.appendingPathComponent("lstm-run")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        let options =
            #"{"batch":8,"context":32,"corpus":["corpus"],"dropout":0.1,"epochs":3,"learningRate":0.002,"model":"lstm","patience":3,"seed":1,"splitProtocol":"piece","tokenizer":"notes","validationWindows":64}"#
        try Data(#"{"options":\#(options),"training":["a","b"],"validation":["c"],"test":[]}"#.utf8).write(
            to: run.appendingPathComponent("run.json"))
        let history = [(1, 5.0, 4.8), (2, 4.0, 4.1), (3, 3.5, 4.3)].map { epoch, train, validation in
            #"{"epoch":\#(epoch),"train_loss":\#(train),"val_loss":\#(validation),"learning_rate":0.002,"steps":10,"seconds":1.5}"#
        }
        try Data(("[" + history.joined(separator: ",") + "]").utf8).write(
            to: run.appendingPathComponent("history.json"))
        let output = scratch.url.appendingPathComponent("Reports/runs").path
        let outcome = try CommandRunner.run(["report", run.path, "-o", output])
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let page = try String(contentsOfFile: output + "/runs/lstm-run.html", encoding: .utf8)
        #expect(page.contains("best epoch 2: 4.10"))
        #expect(page.contains("2 / 1 / 0"), "pieces per split")
        let csv = try String(contentsOfFile: output + "/runs/lstm-run/loss.csv", encoding: .utf8)
        #expect(csv == "epoch,training,validation\r\n1,5,4.8\r\n2,4,4.1\r\n3,3.5,4.3\r\n")
    }
}
