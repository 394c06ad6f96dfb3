import Foundation
import Testing

@testable import MusicTheory

@Suite struct PitchTests {
    @Test func middleCIsC4AndOctavesChangeAtC() {
        #expect(Pitch.name(of: 60) == "C4")
        #expect(Pitch.name(of: 59) == "B3")
        #expect(Pitch.name(of: 21) == "A0")
        #expect(Pitch.name(of: 0) == "C-1")
        #expect(Pitch.name(of: 127) == "G9")
    }

    @Test func blackKeysFollowTheSpelling() {
        #expect(Pitch.name(of: 61, spelling: .sharps) == "C#4")
        #expect(Pitch.name(of: 61, spelling: .flats) == "Db4")
        #expect(Pitch.name(of: 70, spelling: Key(tonic: 3, mode: .major).spelling) == "Bb4")
        #expect(Pitch.name(of: 66, spelling: Key(tonic: 4, mode: .minor).spelling) == "F#4")
    }

    @Test func everyMIDINumberSurvivesANameRoundTrip() {
        for midi in 0...127 {
            #expect(Pitch.midiNumber(named: Pitch.name(of: midi, spelling: .sharps)) == midi)
            #expect(Pitch.midiNumber(named: Pitch.name(of: midi, spelling: .flats)) == midi)
        }
        #expect(Pitch.midiNumber(named: "E♭5") == 75)
        #expect(Pitch.midiNumber(named: "H2") == nil)
        #expect(Pitch.midiNumber(named: "G#9") == nil)
    }

    @Test func equalTemperamentAroundA440() {
        let tuning = Tuning.standard
        #expect(tuning.frequency(ofMIDI: 69) == 440)
        #expect(abs(tuning.frequency(ofMIDI: 60) - 261.6255653) < 1e-6)
        #expect(abs(tuning.frequency(ofMIDI: 81) - 880) < 1e-9)
        for midi in 0...127 {
            let back = tuning.midiNumber(ofFrequency: tuning.frequency(ofMIDI: midi))!
            #expect(abs(back - Double(midi)) < 1e-9)
        }
    }

    @Test func otherReferencePitchesShiftEveryNote() {
        let baroque = Tuning(a4: 415)
        #expect(baroque.frequency(ofMIDI: 69) == 415)
        #expect(abs(baroque.frequency(ofMIDI: 70) - 415 * pow(2, 1.0 / 12)) < 1e-9)
        #expect(abs(Tuning(a4: 432).frequency(ofMIDI: 57) - 216) < 1e-9)
    }

    @Test func frequencyToNearestPitchAndCents() {
        let tuning = Tuning.standard
        let sharpA = tuning.nearestPitch(toFrequency: 445)!
        #expect(sharpA.midi == 69)
        #expect(abs(sharpA.cents - 1200 * log2(445.0 / 440)) < 1e-9)
        let flatC = tuning.nearestPitch(toFrequency: 259)!
        #expect(flatC.midi == 60)
        #expect(flatC.cents < 0 && flatC.cents > -50)
        #expect(tuning.nearestPitch(toFrequency: 0) == nil)
        #expect(tuning.nearestPitch(toFrequency: -3) == nil)
    }

    @Test func keyNamesAndRelations() {
        #expect(Key(tonic: 1, mode: .major).name == "Db major")
        #expect(Key(tonic: 1, mode: .minor).name == "C# minor")
        #expect(Key(tonic: 6, mode: .major).signatureAccidentals == 6)
        #expect(Key(tonic: 3, mode: .minor).signatureAccidentals == -6)
        #expect(Key(tonic: 0, mode: .major).relative == Key(tonic: 9, mode: .minor))
        #expect(Key(tonic: 9, mode: .minor).relative == Key(tonic: 0, mode: .major))
        #expect(Key(tonic: 4, mode: .major).parallel == Key(tonic: 4, mode: .minor))
        #expect(Key(tonic: 7, mode: .major).isFifthAway(from: Key(tonic: 0, mode: .major)))
        #expect(Key(tonicName: "Bb", mode: .minor) == Key(tonic: 10, mode: .minor))
        #expect(Key.all.count == 24 && Set(Key.all).count == 24)
    }
}
