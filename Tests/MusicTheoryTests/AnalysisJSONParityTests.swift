import Foundation
import MIDIFile
import Testing
import Utilities

@testable import MusicTheory

/// `analyze --json` lines from the streaming encoder hold the same values as Foundation's
/// JSONEncoder (the reference) writes for them.
@Suite struct AnalysisJSONParityTests {
    func expectReferenceParity<Value: Encodable>(_ value: Value, _ comment: Comment? = nil) throws {
        let streamed = try ReferenceJSON.canonical(StreamingJSONEncoder.encode(value))
        #expect(streamed == (try ReferenceJSON.canonicalEncoding(of: value)), comment)
    }

    @Test func builtPiecesAndAwkwardFileNames() throws {
        let options = AnalysisOptions(cleanTracks: true)
        let melody = melodyFile([(60, 1), (64, 1), (67, 1), (72, 1), (71, 1), (67, 1), (62, 1), (60, 1)])
        var doubled = TrackBuilder()
        doubled.note(60, at: 0, length: 480)
        doubled.note(60, at: 0, length: 480)
        let cleaned = MIDIFile(
            format: .multiTrack, division: .ticksPerQuarterNote(480),
            tracks: [Track(), doubled.sorted])
        let silent = MIDIFile(tracks: [Track(endOfTrackTick: 1920)])
        let names = ["plain.mid", "quote\"back\\slash.mid", "tab\tnew\nline\u{1}.mid", "Für Élise 🎵.mid"]
        var totals = CorpusTotals(options: options)
        for (file, name) in zip([melody, cleaned, silent, melody], names) {
            let analysis = Analyzer.analyze(file, file: name, options: options)
            totals.add(analysis)
            try expectReferenceParity(AnalysisReport(analysis, options: options), "\(name)")
        }
        try expectReferenceParity(totals)
    }

    /// Every fifth corpus file, damaged ones included, and the totals over them.
    @Test(.enabled(if: SharedData.hasCorpus)) func corpusFiles() throws {
        let options = AnalysisOptions(frequencyBinning: .logarithmic(binsPerOctave: 12))
        let files = try InputFiles.midiFiles(in: [SharedData.corpus])
        var totals = CorpusTotals(options: options)
        var compared = 0
        for file in files.enumerated().filter({ $0.offset % 5 == 0 }).map(\.element) {
            guard let analysis = try? Analyzer.analyze(contentsOf: file, options: options) else { continue }
            totals.add(analysis)
            try expectReferenceParity(AnalysisReport(analysis, options: options), "\(file)")
            compared += 1
        }
        #expect(compared > 100)
        try expectReferenceParity(totals)
    }
}
