import MIDIFile
import MusicTheory
import Testing

@testable import Corpus

@Suite(.timeLimit(.minutes(10))) struct NoteFingerprintTests {
    func fingerprint(_ file: MIDIFile) -> String? {
        NoteFingerprint.of(PieceNotes(file).notes, division: file.division)
    }

    @Test func ignoresResolutionTempoTrackLayoutAndMetaEvents() {
        let original = TinyCorpus.file(TinyCorpus.melody(firstPitch: 60))
        var resaved = TinyCorpus.file(
            TinyCorpus.melody(firstPitch: 60, ticksPerQuarter: 96), ticksPerQuarter: 96,
            microsecondsPerQuarter: 400_000, emptyTracks: 1, noteTracks: 3)
        resaved.tracks[0].appendMeta(tick: 0, type: MetaType.text.rawValue, payload: Array("another sequencer".utf8))
        #expect(fingerprint(original) != nil)
        #expect(fingerprint(original) == fingerprint(resaved))
    }

    @Test func changesWithOnePitchOrOneOnset() {
        var melody = TinyCorpus.melody(firstPitch: 60)
        let original = fingerprint(TinyCorpus.file(melody))
        melody[17].pitch += 1
        let otherPitch = fingerprint(TinyCorpus.file(melody))
        melody[17].pitch -= 1
        melody[17].onset += 240
        let otherOnset = fingerprint(TinyCorpus.file(melody))
        #expect(Set([original, otherPitch, otherOnset]).count == 3)
    }

    @Test func drumsAreNotPitches() {
        let pitched = fingerprint(TinyCorpus.file(TinyCorpus.melody(firstPitch: 40)))
        let drums = fingerprint(TinyCorpus.file(TinyCorpus.melody(firstPitch: 40, channel: 9)))
        #expect(pitched != drums)
    }

    @Test func silenceHasNoFingerprint() {
        #expect(fingerprint(TinyCorpus.file([])) == nil)
    }
}
