import Testing

@testable import Clearance
@testable import Reports

@Suite struct ClearanceReportPageTests {
    /// A tune an octave lower, its first half in one track and its second in another, each
    /// under a higher tune of the host: reported as the notes of several voices it was
    /// gathered from, with the words that say what that means.
    @Test func aTuneSplitBetweenVoicesIsReportedAsNotesOfSeveralVoices() throws {
        var onset: Float = 0
        let lengths: [Float] = [1, 0.5, 0.5, 1.5, 0.5, 1, 1, 2]
        let tune = [64, 67, 71, 69, 72, 76, 74, 71, 67, 69, 65, 62, 64, 60, 59, 62].enumerated().map {
            index, pitch in
            defer { onset += lengths[index % lengths.count] }
            return LineNote(onsetBeats: onset, durationBeats: lengths[index % lengths.count], pitch: UInt8(pitch))
        }
        let moved = tune.map {
            LineNote(onsetBeats: $0.onsetBeats + 8, durationBeats: $0.durationBeats, pitch: $0.pitch - 12)
        }
        let above = (0..<48).map {
            TrackNote(
                track: 0, note: LineNote(onsetBeats: Float($0) * 0.5, durationBeats: 0.5, pitch: UInt8(79 + $0 % 5)))
        }
        let notes =
            above + moved[0..<8].map { TrackNote(track: 1, note: $0) }
            + moved[8...].map { TrackNote(track: 2, note: $0) }
        let query = ClearancePiece(
            lines: LineExtraction.lines(ofTrackNotes: notes),
            barStartBeats: stride(from: 0, to: 64, by: 4).map(Float.init),
            firstBarNumber: 1)
        var catalogue = MemoryCatalogue()
        catalogue.add(
            path: "catalogue/tune.mid",
            piece: ClearancePiece(
                lines: LineExtraction.lines(ofTrackNotes: tune.map { TrackNote(track: 0, note: $0) }),
                barStartBeats: stride(from: 0, to: 64, by: 4).map(Float.init), firstBarNumber: 1))
        let baseline = Baseline(scores: (0..<20).map { Float($0) / 4 }, pieceCount: 20)
        let result = try ClearanceChecker(baseline: baseline).check(query, file: "suspect.mid", against: catalogue)
        let best = try #require(result.details.first)
        #expect(best.queryLine.source == .acrossVoices && best.alignment.sharedNotes == tune.count)
        let page = ClearanceReportPage(
            result: result, query: query, baseline: baseline, thresholds: VerdictThresholds(),
            passageFiles: result.matches.map { _ in nil }
        ).output(path: "suspect.html").page.render()
        #expect(page.contains("3:1 to 6:3, notes of several voices, in the catalogue piece"))
        #expect(page.contains("played now by one voice and now by another"))
    }
}
