import Foundation
import MIDIFile
import Testing
import Utilities

@testable import MusicTheory

/// Checks against the shared corpus: labelled keys, and damaged files.
@Suite(.enabled(if: SharedData.hasCorpus), .timeLimit(.minutes(10))) struct CorpusTests {
    /// KEYS.csv holds catalogue keys of 43 pieces; music21's Aarden–Essen gets 40 right.
    @Test func labelledKeysAreFoundByTheAardenProfile() throws {
        let classical = SharedData.corpus + "/classical"
        let rows = try String(contentsOfFile: classical + "/KEYS.csv", encoding: .utf8).split(separator: "\n")
            .dropFirst()
        var right = 0, total = 0
        for row in rows {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 3, let mode = Key.Mode(rawValue: fields[2]),
                let label = Key(tonicName: fields[1], mode: mode)
            else { continue }
            total += 1
            let analysis = try Analyzer.analyze(
                contentsOf: classical + "/" + fields[0], options: AnalysisOptions(profile: .aarden))
            if analysis.key?.best.key == label { right += 1 }
        }
        #expect(total == 43)
        #expect(Double(right) / Double(total) >= 0.9)
    }

    /// Damaged files are analysed after lenient reading, with their findings; only files
    /// holding no MIDI data at all are refused.
    @Test func damagedFilesAreAnalysedWithTheirFindings() throws {
        let files = try InputFiles.midiFiles(in: [SharedData.corpus + "/malformed"])
        #expect(!files.isEmpty)
        var analysed = 0, withFindings = 0
        for file in files {
            do {
                let analysis = try Analyzer.analyze(contentsOf: file, options: AnalysisOptions())
                analysed += 1
                if !analysis.findings.isEmpty { withFindings += 1 }
                #expect(analysis.windows.count == max(1, analysis.meter.measures.count))
                if analysis.key != nil { #expect(analysis.histograms.pitchClass.contains { $0 > 0 }) }
            } catch is NotMIDIError {
                continue
            }
        }
        #expect(analysed > files.count / 2)
        #expect(withFindings > 0)
    }
}
