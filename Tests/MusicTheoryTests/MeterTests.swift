import MIDIFile
import Testing

@testable import MusicTheory

@Suite struct MeterTests {
    let quarter = 480

    @Test func filesWithoutATimeSignatureAreInFourFour() {
        let meter = Meter(timeSignatures: [], ticksPerQuarter: quarter, endTick: 10 * quarter)
        #expect(meter.measures.count == 3)
        #expect(meter.measures.map(\.startTick) == [0, 4 * quarter, 8 * quarter])
        #expect(meter.measures.map(\.number) == [1, 2, 3])
        #expect(meter.measures.allSatisfy { $0.timeSignature == TimeSignature(numerator: 4, denominator: 4) })
    }

    @Test func changesMidPieceMoveTheBarLines() {
        // Two bars of 4/4, then 3/4, then 6/8 from bar 5.
        let meter = Meter(
            timeSignatures: [
                (0, TimeSignature(numerator: 4, denominator: 4)),
                (8 * quarter, TimeSignature(numerator: 3, denominator: 4)),
                (14 * quarter, TimeSignature(numerator: 6, denominator: 8)),
            ],
            ticksPerQuarter: quarter, endTick: 20 * quarter)
        #expect(meter.measures.map(\.startTick) == [0, 4, 8, 11, 14, 17].map { $0 * quarter })
        #expect(meter.measures.map(\.number) == [1, 2, 3, 4, 5, 6])
        #expect(meter.measures[2].timeSignature.numerator == 3)
        #expect(meter.measures[4].timeSignature == TimeSignature(numerator: 6, denominator: 8))
        #expect(meter.measures[4].endTick - meter.measures[4].startTick == 3 * quarter)
        #expect(meter.measures.allSatisfy { $0.isComplete })
    }

    @Test func aChangeInsideABarStartsANewBarThere() {
        let meter = Meter(
            timeSignatures: [
                (0, TimeSignature(numerator: 4, denominator: 4)),
                (6 * quarter, TimeSignature(numerator: 2, denominator: 4)),
            ],
            ticksPerQuarter: quarter, endTick: 10 * quarter)
        #expect(meter.measures.map(\.startTick) == [0, 4 * quarter, 6 * quarter, 8 * quarter])
        #expect(meter.measures[1].isComplete == false)
        #expect(meter.measures.map(\.number) == [1, 2, 3, 4])
    }

    @Test func aShortOpeningBarInItsOwnMeterIsAPickup() {
        // 1/4 for one beat, then 3/4: an upbeat into a waltz.
        let meter = Meter(
            timeSignatures: [
                (0, TimeSignature(numerator: 1, denominator: 4)),
                (quarter, TimeSignature(numerator: 3, denominator: 4)),
            ],
            ticksPerQuarter: quarter, endTick: 7 * quarter)
        #expect(meter.measures.map(\.number) == [0, 1, 2])
        #expect(meter.measures[1].startTick == quarter)
        #expect(meter.measureIndex(atTick: 4 * quarter) == 2)
    }

    @Test func aDeclaredPickupShiftsEveryBarLine() {
        let meter = Meter(timeSignatures: [], ticksPerQuarter: quarter, endTick: 9 * quarter, pickupTicks: quarter)
        #expect(meter.measures.map(\.startTick) == [0, quarter, 5 * quarter])
        #expect(meter.measures.map(\.number) == [0, 1, 2])
        #expect(!meter.measures[0].isComplete)
    }

    @Test func meterIsReadFromAnyTrack() {
        var conductor = TrackBuilder()
        conductor.timeSignature(3, 4, at: 0)
        var notes = TrackBuilder()
        notes.note(60, at: 0, length: 9 * quarter)
        let file = MIDIFile(
            format: .multiTrack, division: .ticksPerQuarterNote(quarter), tracks: [conductor.sorted, notes.sorted])
        let meter = Meter(file)
        #expect(meter.measures.count == 3)
        #expect(meter.measures.allSatisfy { $0.timeSignature == TimeSignature(numerator: 3, denominator: 4) })
    }
}
