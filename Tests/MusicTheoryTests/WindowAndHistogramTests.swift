import MIDIFile
import Testing

@testable import MusicTheory

@Suite struct WindowAndHistogramTests {
    /// Two bars of C major arpeggio, one silent bar, two bars of F♯ major arpeggio.
    func twoKeys() -> MIDIFile {
        var melody: [(UInt8, Double)] = []
        for _ in 0..<2 { melody += [(60, 1), (64, 1), (67, 1), (72, 1)] }
        var builder = TrackBuilder()
        var tick = 0
        for (pitch, quarters) in melody {
            builder.note(pitch, at: tick, length: Int(quarters * 480))
            tick += Int(quarters * 480)
        }
        tick += 4 * 480
        for _ in 0..<2 {
            for pitch: UInt8 in [66, 70, 73, 78] {
                builder.note(pitch, at: tick, length: 480)
                tick += 480
            }
        }
        return MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(480), tracks: [builder.sorted])
    }

    @Test func windowsFollowTheMusicAndEmptyWindowsSaySo() throws {
        let analysis = Analyzer.analyze(twoKeys(), file: "two keys", options: AnalysisOptions(windowMeasures: 1))
        #expect(analysis.windows.count == 5)
        #expect(analysis.windows.map(\.firstMeasure) == [1, 2, 3, 4, 5])
        #expect(analysis.windows[0].best?.key == Key(tonic: 0, mode: .major))
        #expect(analysis.windows[2].best == nil)
        #expect(analysis.windows[4].best?.key == Key(tonic: 6, mode: .major))
        let report = AnalysisReport(analysis, options: AnalysisOptions(windowMeasures: 1))
        #expect(report.windows[2].key == nil && report.windows[2].note != nil)
    }

    @Test func longerWindowsAndAMeasureLimit() throws {
        let options = AnalysisOptions(windowMeasures: 2, measureLimit: 3)
        let analysis = Analyzer.analyze(twoKeys(), file: "two keys", options: options)
        #expect(analysis.windows.map(\.firstMeasure) == [1, 2])
        #expect(analysis.windows.map(\.lastMeasure) == [2, 3])
        #expect(analysis.windows.allSatisfy { $0.best?.key == Key(tonic: 0, mode: .major) })
    }

    /// A note held across a bar line counts in each bar for the part that sounds there.
    @Test func heldNotesCountInEveryBarTheySoundIn() throws {
        var builder = TrackBuilder()
        builder.note(62, at: 0, length: 480 * 12)  // D for three bars
        builder.note(66, at: 480 * 4, length: 480)  // F♯ in bar 2 only
        builder.note(69, at: 480 * 8, length: 480)  // A in bar 3 only
        let file = MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(480), tracks: [builder.sorted])
        let analysis = Analyzer.analyze(file, file: "held", options: AnalysisOptions())
        #expect(analysis.windows.count == 3)
        #expect(analysis.windows.allSatisfy { $0.best != nil })
        #expect(analysis.windows[0].best?.key.tonic == 2)
    }

    @Test func pitchPitchClassAndFrequencyHistograms() {
        let file = melodyFile([(69, 2), (69, 1), (57, 1), (60, 0.5)])
        let notes = PieceNotes(file).notes
        let byDuration = NoteHistograms(notes, weighting: .duration)
        #expect(byDuration.pitch[69] == 3 && byDuration.pitch[57] == 1 && byDuration.pitch[60] == 0.5)
        #expect(byDuration.pitchClass[9] == 4 && byDuration.pitchClass[0] == 0.5)
        let byCount = NoteHistograms(notes, weighting: .count)
        #expect(byCount.pitch[69] == 2)
        // 440 Hz falls in the linear bin 400–450 Hz, 220 Hz in 200–250 Hz.
        let bin440 = byDuration.frequencyEdges.firstIndex(of: 400)!
        #expect(byDuration.frequency[bin440] == 3)
        #expect(byDuration.frequency[byDuration.frequencyEdges.firstIndex(of: 200)!] == 1)
        #expect(byDuration.frequency.reduce(0, +) == 4.5)
    }

    @Test func logBinsGiveEveryOctaveTheSameNumberOfBins() {
        let notes = PieceNotes(melodyFile([(45, 1), (57, 1), (69, 1), (81, 1)])).notes
        let histograms = NoteHistograms(notes, weighting: .count, binning: .logarithmic(binsPerOctave: 3))
        let filled = histograms.frequency.indices.filter { histograms.frequency[$0] > 0 }
        #expect(filled.count == 4)
        #expect(zip(filled, filled.dropFirst()).allSatisfy { $1 - $0 == 3 })
    }

    @Test func histogramsAddUpOverACorpus() {
        let first = NoteHistograms(PieceNotes(melodyFile([(60, 1)])).notes, weighting: .count)
        let second = NoteHistograms(PieceNotes(melodyFile([(60, 1), (62, 1)])).notes, weighting: .count)
        var total = NoteHistograms()
        total.add(first)
        total.add(second)
        #expect(total.pitch[60] == 2 && total.pitch[62] == 1)
        #expect(total.frequency.reduce(0, +) == 3)
    }

    @Test func drumsAndEmptyFilesHaveNoKey() {
        var drums = TrackBuilder()
        drums.note(38, at: 0, length: 240, channel: 9)
        let analysis = Analyzer.analyze(MIDIFile(tracks: [drums.sorted]), file: "drums", options: AnalysisOptions())
        #expect(analysis.key == nil)
        #expect(analysis.histograms.pitch.allSatisfy { $0 == 0 })
        let report = AnalysisReport(analysis, options: AnalysisOptions())
        #expect(report.message?.contains("no pitched notes") == true)
        #expect(report.drumNotes == 1)
    }
}
