import MIDIFile
import MusicTheory
import Testing

@testable import Score

/// Bars of 4/4 at 480 ticks per quarter, all on one grid.
func uniformBars(_ grid: NoteGrid, bars: Int = 8) -> BarGrids {
    let measures = Meter(timeSignatures: [], ticksPerQuarter: 480, endTick: bars * 1920).measures
    return BarGrids(measures: measures, grids: Array(repeating: grid, count: measures.count), ticksPerQuarter: 480)
}

@Suite struct BarGridChoiceTests {
    func choose(_ onsets: [Int], allowsTriplets: Bool = true) -> BarGridChoice {
        BarGridChoice(onsets: onsets, barStart: 0, ticksPerQuarter: 480, allowsTriplets: allowsTriplets)
    }

    /// Sixteenths played up to 35 ticks (of 120) early or late.
    @Test func humanisedSixteenthsFitTheSixteenthGrid() {
        let choice = choose((0..<16).map { $0 * 120 + ($0 * 37 % 71) - 35 }.map { max(0, $0) })
        #expect(choice.grid == .sixteenths)
        #expect(choice.errors[.thirtySeconds]! <= choice.errors[.sixteenths]!)
    }

    @Test func humanisedTripletsFitTheTripletGrid() {
        let choice = choose((0..<12).map { $0 * 160 + ($0 * 7 % 11) - 5 }.map { max(0, $0) })
        #expect(choice.grid == .triplets)
        #expect(choice.errors[.triplets]! < choice.errors[.sixteenths]!)
    }

    @Test func aThirtySecondRunGetsTheFinerGrid() {
        let choice = choose((0..<16).map { 960 + $0 * 60 + $0 % 3 })
        #expect(choice.grid == .thirtySeconds)
    }

    /// Onsets on beats fit every grid, and eighths both straight grids: written in sixteenths.
    @Test func onsetsOnTheBeatStayStraight() {
        let choice = choose([0, 480, 960, 1440])
        #expect(choice.errors.values.allSatisfy { $0 == 0 })
        #expect(choice.grid == .sixteenths)
        #expect(choose([0, 480, 720, 960]).grid == .sixteenths)
        #expect(choose([]).grid == .sixteenths)
    }

    /// Where a beat is not a quarter note, triplets are not offered even when they fit.
    @Test func noTripletsWhereTheBeatIsNotAQuarter() {
        let choice = choose([0, 160, 320, 480, 640, 800], allowsTriplets: false)
        #expect(choice.errors[.triplets] == nil)
        #expect(choice.grid != .triplets)
        func firstBar(_ numerator: Int, _ denominator: Int) -> Measure {
            let signature = TimeSignature(numerator: numerator, denominator: denominator)
            return Meter(timeSignatures: [(0, signature)], ticksPerQuarter: 480, endTick: 1440).measures[0]
        }
        #expect(!BarGrids.allowsTriplets(firstBar(6, 8), ticksPerQuarter: 480))
        let threeFour = firstBar(3, 4)
        #expect(BarGrids.allowsTriplets(threeFour, ticksPerQuarter: 480))
    }

    /// Bar 2 of three is played in triplets: only it gets the triplet grid, and snapping
    /// follows each bar's grid (an end on a bar line belongs to the bar it closes).
    @Test func eachBarGetsItsOwnGrid() {
        let straight = (0..<8).map { $0 * 240 + 7 }
        let triplets = (0..<12).map { 1920 + $0 * 160 - 6 }
        let bars = BarGrids(
            measures: Meter(timeSignatures: [], ticksPerQuarter: 480, endTick: 3 * 1920).measures,
            onsets: straight + triplets + straight.map { $0 + 2 * 1920 }, ticksPerQuarter: 480)
        #expect(bars.grids == [.sixteenths, .triplets, .sixteenths])
        #expect(bars.snapOnset(1920 + 150) == 1920 + 160)
        #expect(bars.snapOnset(150) == 120)
        #expect(bars.snapEnd(1920 + 1910) == 3840)
        #expect(bars.step(atTick: 2000) == 160)
    }
}

@Suite struct QuantiserTests {
    func note(_ pitch: UInt8, _ onset: Int, _ end: Int, velocity: UInt8 = 80) -> ScoreNote {
        ScoreNote(channel: 0, pitch: pitch, velocity: velocity, onset: onset, end: end)
    }

    @Test func onsetsAndEndsMoveToTheGridAndThePlayedEndIsKept() {
        let quantised = Quantiser.quantise([note(60, 113, 238), note(64, 355, 604)], bars: uniformBars(.sixteenths))
        #expect(quantised.map(\.onset) == [120, 360])
        #expect(quantised.map(\.end) == [240, 600])
        #expect(quantised.map(\.playedEnd) == [238, 604])
    }

    /// A grace-note-short blip keeps one grid step rather than vanishing.
    @Test func aNoteNeverShrinksBelowOneStep() {
        let quantised = Quantiser.quantise([note(60, 235, 239)], bars: uniformBars(.triplets))
        #expect(quantised.map(\.onset) == [160])
        #expect(quantised.map(\.end) == [320])
    }

    @Test func aKeyIsCutWhereItIsStruckAgain() {
        let quantised = Quantiser.quantise([note(62, 0, 300), note(62, 235, 470)], bars: uniformBars(.sixteenths))
        #expect(quantised.count == 2)
        #expect(quantised[0].end == 240)
        #expect(quantised[1].onset == 240)
    }

    @Test func twoStrikesOnOneGridPointMerge() {
        let quantised = Quantiser.quantise(
            [note(62, 4, 100, velocity: 50), note(62, 10, 230, velocity: 90)], bars: uniformBars(.sixteenths))
        #expect(quantised.count == 1)
        #expect(quantised.first.map { ($0.onset, $0.end, $0.velocity) } ?? (0, 0, 0) == (0, 240, 90))
    }

    @Test func differentKeysDoNotInterfere() {
        let quantised = Quantiser.quantise(
            [note(60, 0, 480), note(64, 0, 480), note(67, 10, 470)], bars: uniformBars(.sixteenths))
        #expect(quantised.count == 3)
        #expect(quantised.allSatisfy { $0.onset == 0 && $0.end == 480 })
    }
}
