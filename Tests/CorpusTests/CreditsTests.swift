import Foundation
import MIDIFile
import Testing

@testable import Corpus

@Suite(.timeLimit(.minutes(10))) struct CreditsTests {
    /// A piano-midi.de-style file: the copyright in the conductor track, the author's
    /// credit as the name of an otherwise empty track.
    @Test func copyrightAndCreditsOfDroppedTracksSurviveInTheCleanFile() throws {
        var file = TinyCorpus.file(TinyCorpus.melody(firstPitch: 60), emptyTracks: 1)
        file.tracks[0].appendMeta(
            tick: 0, type: MetaType.copyright.rawValue, payload: Array("Copyright © 2010 by Bernd Krueger".utf8))
        var credit = Track()
        credit.appendMeta(
            tick: 0, type: MetaType.trackName.rawValue, payload: Array("Produced 1997 by Bernd Krüger.".utf8))
        file.tracks.append(credit)
        let scrape = try TinyCorpus.temporaryFolder()
        let corpus = try TinyCorpus.temporaryFolder()
        defer {
            try? FileManager.default.removeItem(at: scrape)
            try? FileManager.default.removeItem(at: corpus)
        }
        try TinyCorpus.write(TinyCorpus.bytes(file), to: scrape, "credited.mid")

        _ = try CorpusIngest.run(sources: [scrape.path], into: corpus.path)
        let piece = try #require(try CataloguedPiece.list(corpus: corpus.path).first)
        let clean = try MIDIReader.read(contentsOf: corpus.appendingPathComponent(try #require(piece.cleanFile)).path)
            .file
        #expect(clean.tracks.count == 1)
        let track = clean.tracks[0]
        let words = track.events.filter(\.isMeta).compactMap { event in track.text(of: event).map { (event.data1, $0) }
        }
        #expect(words.contains { $0 == (MetaType.copyright.rawValue, "Copyright © 2010 by Bernd Krueger") })
        #expect(words.contains { $0 == (MetaType.text.rawValue, "Produced 1997 by Bernd Krüger.") })
        #expect(words.contains { $0 == (MetaType.text.rawValue, "layer with no data") })
        #expect(track.pairNotes().notes.count == 40)
    }
}
