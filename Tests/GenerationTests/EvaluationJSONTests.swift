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

    @Test func evaluationReportsAndSummaries() throws {
        let folder = try writeCorpus()
        defer { try? FileManager.default.removeItem(at: folder) }
        let evaluation = try PieceEvaluation(
            corpusFolders: [folder.path], run: nil, threshold: CopyThreshold(),
            names: CorpusFiles.fileNamesOnly)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let reports = try files.compactMap { try evaluation.report(file: folder.appendingPathComponent($0).path) }
        #expect(reports.count == 6)
        for report in reports { try expectReferenceParity(report, "\(report.file)") }
        let summary = evaluation.summary(of: reports)
        try expectReferenceParity(summary)
        let nothingEvaluated = evaluation.summary(of: [])
        #expect(nothingEvaluated.medianSharedNGramShare.isNaN)
        try expectReferenceParity(nothingEvaluated)
        let object = try line(nothingEvaluated)
        #expect(object["median_shared_n_gram_share"] is NSNull)
        #expect(object["corpus_pieces"] as? Int == 6)
        #expect(object["held_out_median_shared_n_gram_share"] == nil)
        let report = try line(reports[0])
        #expect((report["inter_onset_histogram"] as? [Double])?.count == MusicalMetrics.ioiClasses.count)
        #expect((report["originality"] as? [String: Any])?["shared_n_gram_share"] != nil)
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
        let originality = OriginalityIndex.Report(
            longestSharedRun: 9, longestRunSource: nil, sharedNGramShare: 0.125,
            notes: 40)
        try expectReferenceParity(
            PieceGenerator.Result(
                output: "out/piece1.mid", tokens: 768, notes: 40, seconds: 2.5,
                attempts: 1, originality: originality, copy: false, key: "D minor", keyMatches: true, bars: 8))
    }
}
