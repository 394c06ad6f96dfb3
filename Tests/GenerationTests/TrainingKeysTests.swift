import MusicTheory
import Testing

@testable import Generation

/// `generate` without `--key` draws a key as often as the run's training pieces (of the asked
/// style) open with it.
@Suite struct TrainingKeysTests {
    static let vocabulary = EventTokenizer.standard.vocabulary(styles: ["jazz", "classical"])

    /// A piece's ids: its header (style, key, a piano), then one bar with one note.
    static func piece(style: String?, key: Key?) -> [Int32] {
        let header = EventTokenizer.Header(style: style, key: key, instruments: [.piano]).tokens
        return vocabulary.ids(of: header + ["Bar", "Meter_4/4", "Pos_0", "Pitch_60", "Dur_4", "Vel_4", "End"])
    }

    static let dMinor = Key(tonic: 2, mode: .minor)
    static let fMajor = Key(tonic: 5, mode: .major)
    static let cMajor = Key(tonic: 0, mode: .major)

    static let keys = TrainingKeys(
        headers: [
            piece(style: "jazz", key: dMinor), piece(style: "jazz", key: dMinor), piece(style: "jazz", key: dMinor),
            piece(style: "jazz", key: fMajor), piece(style: "classical", key: cMajor), piece(style: "jazz", key: nil),
        ].map { $0[...] }, vocabulary: vocabulary)

    @Test func countsTheHeaderKeysByStyleLeavingOutPiecesWithoutAKey() {
        #expect(
            Self.keys.counts == [
                .init(style: "classical", key: "Key_0_major", pieces: 1),
                .init(style: "jazz", key: "Key_2_minor", pieces: 3),
                .init(style: "jazz", key: "Key_5_major", pieces: 1),
            ])
    }

    @Test func drawsKeysAsOftenAsTheStylesPiecesHaveThem() {
        var random = SeededRandom(seed: 7)
        var drawn: [Key: Int] = [:]
        for _ in 0..<4000 { drawn[Self.keys.draw(style: "jazz", random: &random)!, default: 0] += 1 }
        #expect(drawn[Self.cMajor] == nil)
        #expect(abs(Double(drawn[Self.dMinor]!) / 4000 - 0.75) < 0.03)
        #expect(abs(Double(drawn[Self.fMajor]!) / 4000 - 0.25) < 0.03)
        #expect(Self.keys.draw(style: "classical", random: &random) == Self.cMajor)
    }

    @Test func withoutAStyleOrWithOneNoPieceHasEveryKeyCounts() {
        var random = SeededRandom(seed: 9)
        let all = Set((0..<500).map { _ in Self.keys.draw(style: nil, random: &random)! })
        let unknown = Set((0..<500).map { _ in Self.keys.draw(style: "baroque", random: &random)! })
        #expect(all == [Self.dMinor, Self.fMajor, Self.cMajor])
        #expect(unknown == all)
        #expect(TrainingKeys(counts: []).draw(style: nil, random: &random) == nil)
    }
}
