import Clearance
import Foundation
import MIDIFile
import Testing
import Utilities

@testable import Generation

/// `evaluate`, `generate` and `train --json` lines: the streaming encoder against
/// Foundation's JSONEncoder (the reference), with the NaN a set without pieces reports.
@Suite struct EvaluationJSONTests {
    func expectReferenceParity<Value: Encodable>(_ value: Value, _ comment: Comment? = nil) throws {
        let streamed = try ReferenceJSON.canonical(StreamingJSONEncoder.encode(value))
        #expect(streamed == (try ReferenceJSON.canonicalEncoding(of: value)), comment)
    }

    func line<Value: Encodable>(_ value: Value) throws -> [String: Any] {
        let bytes = try StreamingJSONEncoder.encode(value)
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// Six small pieces in a folder: scales from different tonics, in different rhythms.
    func writeCorpus() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("tunesmith-evaluation-json-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for index in 0..<6 {
            let step = [0.5, 1, 0.25][index % 3]
            let scale = [0, 2, 4, 5, 7, 9, 11, 12]
            let notes = (0..<48).map { (UInt8(55 + index + scale[$0 % 8]), Double($0) * step, step) }
            let bytes = MIDIWriter().encode(PipelineFixtures.file(notes: notes)).bytes
            try Data(bytes).write(to: folder.appendingPathComponent("piece \(index) \"scale\".mid"))
        }
        return folder
    }

    /// The clearance index of the corpus in `folder`, kept beside it.
    func reference(_ folder: URL) throws -> ReferenceClearance {
        try ReferenceClearance.open(
            pieces: try CorpusFiles.pieces(in: [folder.path], names: CorpusFiles.fileNamesOnly),
            folder: folder.path + "-index")
    }

    @Test func evaluationReportsAndSummaries() throws {
        let folder = try writeCorpus()
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(atPath: folder.path + "-index")
        }
        let corpus = try CorpusFiles.pieces(in: [folder.path], names: CorpusFiles.fileNamesOnly)
        let evaluation = try PieceEvaluation(
            metrics: try CorpusMetrics(corpusFolders: [folder.path], names: CorpusFiles.fileNamesOnly),
            reference: try reference(folder), heldOut: Array(corpus.prefix(2)))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let reports = try evaluation.reference.checking { check in
            try files.compactMap { try evaluation.report(file: folder.appendingPathComponent($0).path, check: check) }
        }
        #expect(reports.count == 6)
        for report in reports { try expectReferenceParity(report, "\(report.file)") }
        let summary = evaluation.summary(of: reports)
        try expectReferenceParity(summary)
        #expect(summary.clearance.verdicts.values.reduce(0, +) == 6)
        #expect(summary.heldOut?.pieces == 2)
        let nothingEvaluated = evaluation.summary(of: [])
        #expect(nothingEvaluated.clearance.medianPercentile.isNaN)
        try expectReferenceParity(nothingEvaluated)
        let object = try line(nothingEvaluated)
        let clearance = try #require(object["clearance"] as? [String: Any])
        #expect(clearance["median_percentile"] is NSNull)
        #expect(clearance["verdicts"] as? [String: Int] == ["clear": 0, "review": 0, "copy": 0])
        #expect(object["corpus_pieces"] as? Int == 6)
        #expect(object["reference_pieces"] as? Int == 6)
        let report = try line(reports[0])
        #expect((report["inter_onset_histogram"] as? [Double])?.count == MusicalMetrics.ioiClasses.count)
        #expect(Verdict(rawValue: report["verdict"] as? String ?? "") != nil)
        // Every piece is in the reference set, so its closest match is itself.
        let best = try #require((report["matches"] as? [[String: Any]])?.first)
        #expect(best["piece"] as? String == folder.lastPathComponent + "/" + files[0])
        #expect(best["query_bars"] != nil && best["shared_notes"] != nil)
    }

    @Test func trainingAndGenerationLines() throws {
        let epoch = EpochRecord(
            epoch: 3, trainLoss: 2.5, validationLoss: .nan, learningRate: 1e-4, steps: 120,
            seconds: 4.25)
        try expectReferenceParity(epoch)
        #expect(try line(epoch)["val_loss"] is NSNull)
        let summary = TrainingSummary(
            model: "wavenet", tokenizer: "events", splitProtocol: "piece", trainLoss: 1.9, validationLoss: 2.1,
            bestEpoch: 2, epochs: 4, tokensPerSecond: 11228.5, parameters: 123_456, seconds: 86, vocabulary: 300,
            pieces: 31, trainingTokens: 250_000, validationWindows: 4096, run: "runs/demo")
        try expectReferenceParity(summary)
        #expect(try line(summary)["tokens_per_second"] as? Double == 11228.5)
        let folder = try writeCorpus()
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(atPath: folder.path + "-index")
        }
        let first = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().first)
        let checked = try reference(folder).check(
            ClearancePiece(contentsOf: folder.appendingPathComponent(first).path), file: "out/piece1.mid")
        let generated = PieceGenerator.Result(
            output: "out/piece1.mid", tokens: 768, notes: 40, seconds: 2.5, attempts: 1, clearance: checked,
            key: "D minor", keyMatches: true, bars: 8)
        try expectReferenceParity(generated)
        let object = try line(generated)
        #expect(object["verdict"] as? String == checked.verdict.rawValue)
        #expect((object["matches"] as? [Any])?.count == checked.matches.count)
        #expect(object["file"] == nil && object["prompted"] == nil)
    }
}
