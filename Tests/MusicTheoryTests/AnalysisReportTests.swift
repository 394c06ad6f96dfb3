import Foundation
import MIDIFile
import Testing
import Utilities

@testable import MusicTheory

@Suite struct AnalysisReportTests {
    func json(_ report: AnalysisReport) throws -> [String: Any] {
        let data = Data(try StreamingJSONEncoder.encode(report))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func jsonHasTheFieldsTheIssueNames() throws {
        let file = melodyFile([(60, 1), (64, 1), (67, 1), (72, 1), (71, 1), (67, 1), (62, 1), (60, 1)])
        let options = AnalysisOptions()
        let object = try json(
            AnalysisReport(Analyzer.analyze(file, file: "scale.mid", options: options), options: options))
        #expect(object["file"] as? String == "scale.mid")
        let key = try #require(object["key"] as? [String: Any])
        for field in ["tonic", "mode", "name", "correlation", "confidence"] {
            #expect(key[field] != nil, "key.\(field)")
        }
        #expect(key["name"] as? String == "C major")
        #expect((object["candidates"] as? [Any])?.count == 24)
        let windows = try #require(object["windows"] as? [[String: Any]])
        #expect(windows.count == 2)
        for field in ["first_measure", "last_measure", "key", "correlation"] {
            #expect(windows[0][field] != nil, "windows.\(field)")
        }
        #expect((object["pitch_class_histogram"] as? [Double])?.count == 12)
        let pitches = try #require(object["pitch_histogram"] as? [[String: Any]])
        #expect(pitches.contains { $0["name"] as? String == "C4" && $0["weight"] as? Double == 2 })
        #expect(object["notes"] as? Int == 8)
        #expect(object["measures"] as? Int == 2)
    }

    @Test func cleanupIsReportedWhenAskedFor() throws {
        var builder = TrackBuilder()
        builder.note(60, at: 0, length: 480)
        builder.note(60, at: 0, length: 480)
        let file = MIDIFile(
            format: .multiTrack, division: .ticksPerQuarterNote(480), tracks: [Track(), builder.sorted])
        let options = AnalysisOptions(cleanTracks: true)
        let analysis = Analyzer.analyze(file, file: "doubled", options: options)
        #expect(analysis.notes.notes.count == 1)
        #expect(analysis.cleanup.map(\.kind) == [.droppedEmptyTrack, .droppedDuplicateNote])
        let object = try json(AnalysisReport(analysis, options: options))
        #expect((object["cleanup"] as? [Any])?.count == 2)
    }
}

@Suite struct EmptyReportTests {
    @Test func filesWithoutNotesSayWhyAndKeepEveryField() throws {
        let options = AnalysisOptions()
        let report = AnalysisReport(
            Analyzer.analyze(MIDIFile(tracks: [Track(endOfTrackTick: 1920)]), file: "silence", options: options),
            options: options)
        let data = Data(try StreamingJSONEncoder.encode(report))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["key"] is NSNull)
        #expect((object["candidates"] as? [Any])?.isEmpty == true)
        #expect((object["message"] as? String)?.contains("no pitched notes") == true)
        let windows = try #require(object["windows"] as? [[String: Any]])
        #expect(windows.first?["key"] is NSNull)
        #expect(AnalysisText.render(report).contains("no pitched notes"))
    }
}
