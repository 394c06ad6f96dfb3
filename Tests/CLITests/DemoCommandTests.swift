import Foundation
import MIDIFile
import Testing

/// `tunesmith demo` end to end on eight tiny pieces, one damaged copy and one duplicate,
/// with a twelve-second training budget.
@Suite(.timeLimit(.minutes(10))) struct DemoCommandTests {
    @Test func wholePipelineLeavesEveryArtefact() throws {
        let scratch = try ScratchFolder()
        let corpus = try scratch.writeRandomCorpus()
        let piece = try Data(contentsOf: URL(fileURLWithPath: corpus + "/piece0.mid"))
        _ = try scratch.write(
            Array("downloaded from somewhere\r\n".utf8) + Array(piece), named: "corpus/junk-before-header.mid")
        _ = try scratch.write(Array(piece), named: "corpus/copy-of-piece0.mid")
        let out = scratch.url.appendingPathComponent("demo").path

        let demo = try CommandRunner.run([
            "demo", "--corpus", corpus, "--minutes", "0.2", "--pieces", "2", "--length", "96", "--context", "32",
            "--out", out,
        ])
        #expect(demo.status == 0, "\(demo.standardError)")

        let catalogue = try CommandRunner.run(["corpus", "list", out + "/work/corpus", "--json"])
        let rows = try catalogue.standardOutput.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(rows.count == 10)
        let statuses = rows.compactMap { $0["status"] as? String }
        #expect(statuses.filter { $0 == "clean" }.count == 8)
        #expect(statuses.contains("repaired") || statuses.contains("duplicate"))
        for row in rows {
            guard let clean = row["clean_file"] as? String else { continue }
            let reread = try MIDIReader.read(contentsOf: out + "/work/corpus/" + clean)
            #expect(reread.findings.isEmpty, "\(clean): \(reread.findings)")
            #expect(reread.file.tracks.flatMap { $0.pairNotes().notes }.count == 48)
        }

        let corpusReport = try String(contentsOfFile: out + "/corpus/index.html", encoding: .utf8)
        #expect(corpusReport.contains("<svg"))
        #expect(FileManager.default.fileExists(atPath: out + "/work/run/best"))
        #expect(FileManager.default.fileExists(atPath: out + "/work/run/checkpoint"))

        let index = try String(contentsOfFile: out + "/index.html", encoding: .utf8)
        for number in 1...2 {
            let generated = try MIDIReader.read(contentsOf: out + "/pieces/piece-\(number).mid")
            #expect(generated.findings.isEmpty)
            #expect(!generated.file.tracks.flatMap { $0.pairNotes().notes }.isEmpty)
            #expect(
                try Self.peakOfPCM16WAV(out + "/pieces/piece-\(number).wav") > 1000, "piece-\(number).wav is silent")
            #expect(index.contains("src=\"pieces/piece-\(number).wav\""))
        }
        let trainingPage = try #require(index.firstMatch(of: /href="(training\/runs\/[^"]+\.html)"/)?.1)
        #expect(FileManager.default.fileExists(atPath: out + "/" + trainingPage))
        #expect(index.contains("href=\"corpus/index.html\""))
        #expect(index.contains("tunesmith train --corpus"))
        #expect(index.contains("--transpose 5"))
        #expect(index.firstMatch(of: /best validation loss \d+\.\d{3} at epoch \d+/) != nil)
        #expect(index.contains("reference pieces: "))
        #expect(index.contains("corpus percentile"))
        #expect(index.contains("id=\"piano-roll-piece-1\""))
        for steered in ["continued", "infilled"] {
            let written = try MIDIReader.read(contentsOf: out + "/pieces/\(steered).mid")
            #expect(written.file.tracks.flatMap { $0.pairNotes().notes }.count >= 32, "\(steered) lost its sketch")
            #expect(index.contains("src=\"pieces/\(steered).wav\""))
        }
        #expect(index.contains("--continue-bars 4") && index.contains("--infill 2-3"))
        #expect(index.contains("href=\"audition/index.html\""))
        let audition = try String(contentsOfFile: out + "/audition/index.html", encoding: .utf8)
        #expect(audition.contains("href=\"#candidate-1\"") && audition.contains("href=\"#candidate-2\""))
        #expect(audition.contains("How to read the verdict"))
    }

    @Test func refusesAnOutputHoldingAnythingButADemo() throws {
        let scratch = try ScratchFolder()
        let corpus = try scratch.writeRandomCorpus()
        let refused = try CommandRunner.run(["demo", "--corpus", corpus, "--out", corpus])
        #expect(refused.status == 2)
        #expect(refused.standardError.contains("--out"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: corpus).count == 8)

        let file = corpus + "/piece0.mid"
        let refusedFile = try CommandRunner.run(["demo", "--corpus", corpus, "--out", file])
        #expect(refusedFile.status == 2)
        #expect(refusedFile.standardError.contains("--out"))
        #expect(FileManager.default.fileExists(atPath: file))
    }

    /// Largest absolute sample of a 16-bit PCM WAV, found by walking its RIFF chunks.
    static func peakOfPCM16WAV(_ path: String) throws -> Int {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        func word(_ at: Int) -> Int {
            Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        guard bytes.count > 12, bytes[0..<4] == [0x52, 0x49, 0x46, 0x46] else { return 0 }
        var offset = 12, bitsPerSample = 0
        while offset + 8 <= bytes.count {
            let size = word(offset + 4), body = offset + 8
            if bytes[offset..<offset + 4] == Array("fmt ".utf8)[...] {
                bitsPerSample = Int(bytes[body + 14]) | Int(bytes[body + 15]) << 8
            }
            if bytes[offset..<offset + 4] == Array("data".utf8)[...] {
                guard bitsPerSample == 16 else { return 0 }
                var peak = 0
                for sample in stride(from: body, to: min(body + size, bytes.count) - 1, by: 2) {
                    peak = max(
                        peak, abs(Int(Int16(bitPattern: UInt16(bytes[sample]) | UInt16(bytes[sample + 1]) << 8))))
                }
                return peak
            }
            offset = body + size + size % 2
        }
        return 0
    }
}
