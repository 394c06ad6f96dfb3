import MusicTheory
import Testing

@testable import Score

@Suite struct GridTests {
    /// Sixteenth-note runs played a little early and late: a quarter is 96 ticks, a
    /// sixteenth 24, and no onset strays more than 7 ticks.
    @Test func humanisedSixteenthsFitTheSixteenthGrid() {
        let onsets: [Double] = (0..<64).map { (index: Int) -> Double in
            let tick: Int = index * 24 + (index * 5 % 15) - 7
            return Double(tick) / 96
        }
        let fit = GridFit(onsetBeats: onsets)
        #expect(fit.best == .sixteenths)
        #expect(fit.sixteenthsError < fit.tripletsError)
    }

    /// Eighth-note triplets (32 ticks apart at 96 per quarter), also humanised.
    @Test func humanisedTripletsFitTheTripletGrid() {
        let onsets: [Double] = (0..<48).map { (index: Int) -> Double in
            let tick: Int = index * 32 + (index * 5 % 11) - 5
            return Double(tick) / 96
        }
        let fit = GridFit(onsetBeats: onsets)
        #expect(fit.best == .triplets)
        #expect(fit.tripletsError < fit.sixteenthsError)
    }

    /// Quarter notes sit on both grids; such music is written straight.
    @Test func onsetsOnTheBeatStayStraight() {
        let fit = GridFit(onsetBeats: (0..<16).map(Double.init))
        #expect(fit.sixteenthsError == 0 && fit.tripletsError == 0)
        #expect(fit.best == .sixteenths)
    }

    @Test func snappingGoesToTheNearestPoint() {
        #expect(Grid.sixteenths.snap(59, ticksPerQuarter: 480) == 0)
        #expect(Grid.sixteenths.snap(61, ticksPerQuarter: 480) == 120)
        #expect(Grid.triplets.snap(150, ticksPerQuarter: 480) == 160)
        #expect(Grid.triplets.snap(330, ticksPerQuarter: 480) == 320)
    }
}

@Suite struct BeatGridTests {
    /// Four bars of straight eighths at 480 per quarter, humanised, with beat 6 played
    /// as a triplet.
    static func onsets() -> [Int] {
        var onsets: [Int] = []
        for beat in 0..<16 {
            let points = beat == 6 ? [0, 160, 320] : [0, 240]
            for (index, point) in points.enumerated() {
                onsets.append(beat * 480 + point + (beat + index) % 5 * 6 - 12)
            }
        }
        return onsets.map { max(0, $0) }
    }

    @Test func aTripletBeatInAStraightPieceGetsTheTripletGrid() {
        let grid = BeatGrid(onsets: Self.onsets(), ticksPerQuarter: 480)
        #expect(grid.pieceGrid == .sixteenths)
        #expect(grid.otherGridBeats == [6])
        #expect(grid.snap(6 * 480 + 150) == 6 * 480 + 160)
        #expect(grid.snap(7 * 480 + 250) == 7 * 480 + 240)
    }

    @Test func quantisingFollowsTheBeatsGrid() {
        let notes = Self.onsets().map { ScoreNote(channel: 0, pitch: 64, velocity: 80, onset: $0, end: $0 + 100) }
        let quantised = Quantiser.quantise(notes, grid: BeatGrid(onsets: Self.onsets(), ticksPerQuarter: 480))
        let inBeat6 = quantised.filter { $0.onset / 480 == 6 }.map { $0.onset - 6 * 480 }
        #expect(inBeat6 == [0, 160, 320])
        #expect(quantised.filter { $0.onset / 480 != 6 }.allSatisfy { $0.onset % 240 == 0 })
    }

    /// A lone, slightly late downbeat fits both grids equally: the piece's grid stays.
    @Test func aBeatWithOnlyADownbeatKeepsThePiecesGrid() {
        let grid = BeatGrid(onsets: [0, 240, 480, 720, 960 + 9], ticksPerQuarter: 480)
        #expect(grid.otherGridBeats.isEmpty)
    }
}

@Suite struct QuantiserTests {
    func note(_ pitch: UInt8, _ onset: Int, _ end: Int, velocity: UInt8 = 80) -> ScoreNote {
        ScoreNote(channel: 0, pitch: pitch, velocity: velocity, onset: onset, end: end)
    }

    @Test func onsetsAndEndsMoveToTheGrid() {
        let quantised = Quantiser.quantise(
            [note(60, 113, 238), note(64, 355, 604)], grid: .sixteenths, ticksPerQuarter: 480)
        #expect(quantised.map(\.onset) == [120, 360])
        #expect(quantised.map(\.end) == [240, 600])
    }

    /// A grace-note-short blip keeps one grid step rather than vanishing.
    @Test func aNoteNeverShrinksBelowOneStep() {
        let quantised = Quantiser.quantise([note(60, 235, 239)], grid: .triplets, ticksPerQuarter: 480)
        #expect(quantised == [note(60, 160, 320)])
    }

    @Test func aKeyIsCutWhereItIsStruckAgain() {
        let quantised = Quantiser.quantise(
            [note(62, 0, 300), note(62, 235, 470)], grid: .sixteenths, ticksPerQuarter: 480)
        #expect(quantised.count == 2)
        #expect(quantised[0].end == 240)
        #expect(quantised[1].onset == 240)
    }

    @Test func twoStrikesOnOneGridPointMerge() {
        let quantised = Quantiser.quantise(
            [note(62, 4, 100, velocity: 50), note(62, 10, 230, velocity: 90)], grid: .sixteenths, ticksPerQuarter: 480)
        #expect(quantised == [note(62, 0, 240, velocity: 90)])
    }

    @Test func differentKeysDoNotInterfere() {
        let quantised = Quantiser.quantise(
            [note(60, 0, 480), note(64, 0, 480), note(67, 10, 470)], grid: .sixteenths, ticksPerQuarter: 480)
        #expect(quantised.count == 3)
        #expect(quantised.allSatisfy { $0.onset == 0 && $0.end == 480 })
    }
}

@Suite struct StaffSplitTests {
    func note(_ pitch: UInt8, at onset: Int = 0) -> ScoreNote {
        ScoreNote(channel: 0, pitch: pitch, velocity: 80, onset: onset, end: onset + 120)
    }

    @Test func middleCAndAboveGoToTheRightHand() throws {
        let notes = [note(48), note(55), note(59), note(60), note(64), note(67)]
        let hands = try #require(StaffSplit.split(notes))
        #expect(hands.right.map(\.pitch) == [60, 64, 67])
        #expect(hands.left.map(\.pitch) == [48, 55, 59])
    }

    /// One B3 among twenty treble notes: a ledger line, not a second staff.
    @Test func aMelodyDippingBelowMiddleCOnceStaysOnOneStaff() {
        let notes = (0..<20).map { note(72, at: $0 * 120) } + [note(59, at: 2400)]
        #expect(StaffSplit.split(notes) == nil)
    }

    @Test func aPartOnOneSideStaysOnOneStaff() {
        #expect(StaffSplit.split([note(40), note(45), note(52)]) == nil)
    }

    @Test func pianosArePrograms0To7OffTheDrumChannel() {
        #expect(StaffSplit.isPiano(program: nil, channel: 0))
        #expect(StaffSplit.isPiano(program: 7, channel: 3))
        #expect(!StaffSplit.isPiano(program: 8, channel: 0))
        #expect(!StaffSplit.isPiano(program: 0, channel: 9))
    }
}
