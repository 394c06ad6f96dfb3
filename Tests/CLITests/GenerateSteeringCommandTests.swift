import Foundation
import MIDIFile
import Testing

/// `generate --key --style --meter --tempo --bars --instrument --key-strict`: usage errors name
/// the option and what is allowed; what is asked is what the file holds.
@Suite(.timeLimit(.minutes(10))) struct GenerateSteeringCommandTests {
    @Test func unreadableControlsAreUsageErrorsNamingTheOption() throws {
        let scratch = try ScratchFolder()
        let output = scratch.url.appendingPathComponent("out.mid").path
        let cases: [(flags: [String], says: String)] = [
            (["--key", "H major"], "--key H major: not a key"),
            (
                ["--meter", "7/9"],
                "--meter 7/9: not a meter the events vocabulary can say; write N/D with N from 1 to 16"
            ),
            (["--instrument", "kazoo"], "--instrument kazoo: not an instrument"),
            (["--guidance", "9"], "--guidance 9.0: give a weight from 0.0 (the header ignored) to 8.0"),
        ]
        for (flags, says) in cases {
            let outcome = try CommandRunner.run(["generate", "--run", scratch.url.path, "-o", output] + flags)
            #expect(outcome.status == 2, "\(flags)")
            #expect(outcome.standardError.contains(says), "\(outcome.standardError)")
        }
    }

    @Test func aTinyRunWritesWhatIsAskedAndRefusesWhatItCannot() throws {
        let scratch = try ScratchFolder()
        let corpus = try scratch.writeRandomCorpus()
        let run = try scratch.trainTinyEventsRun(corpus: corpus, context: 16, layers: 1)
        let output = scratch.url.appendingPathComponent("steered.mid").path

        let refused: [(flags: [String], says: String)] = [
            (["--style", "rock"], "--style rock: the run's styles are corpus"),
            (["--bars", "0"], "--bars 0: give 1 to 256 bars"),
            (["--tempo", "500"], "--tempo 500.0: give a tempo from 30 to 300 bpm"),
            (["--key-strict"], "--key-strict: there is no key asked for to be strict about; add --key"),
        ]
        for (flags, says) in refused {
            let outcome = try CommandRunner.run(["generate", "--run", run, "-o", output] + flags)
            #expect(outcome.status == 2, "\(flags)")
            #expect(outcome.standardError.contains(says), "\(outcome.standardError)")
        }

        let generated = try CommandRunner.run([
            "generate", "--run", run, "-o", output, "--style", "corpus", "--key", "Dm", "--meter", "3/4", "--tempo",
            "92", "--bars", "5", "--instrument", "violin", "--seed", "4", "--json",
        ])
        #expect(generated.status == 0, "\(generated.standardError)")
        let result = try #require(
            try JSONSerialization.jsonObject(with: Data(generated.standardOutput.utf8)) as? [String: Any])
        #expect(result["bars"] as? Int == 5)
        #expect(result["key"] is String && result["key_matches"] is Bool)
        #expect(result["attempts"] as? Int == 1)
        #expect(result["guidance"] as? Double == 3, "the default weight is recorded")
        let midi = try MIDIReader.read(contentsOf: output).file
        let signatures = midi.tracks.flatMap { track in track.events.compactMap { track.timeSignature(of: $0) } }
        #expect(signatures.map { "\($0.numerator)/\($0.denominator)" } == ["3/4"])
        let tempos = midi.tracks.flatMap { track in track.events.compactMap { track.tempo(of: $0) } }
        #expect(tempos.count == 1 && abs(60e6 / Double(tempos[0]) - 92) < 0.01)
        let programs = midi.tracks.flatMap { $0.events.filter { $0.status & 0xF0 == 0xC0 }.map(\.data1) }
        #expect(programs == [40])
        let notes = midi.tracks.flatMap { $0.pairNotes().notes }
        let barTicks = 3 * 480
        #expect((notes.map { $0.onset + $0.duration }.max()! + barTicks - 1) / barTicks == 5)

        // Without a header there is nothing to guide, and the JSON says so.
        let plain = try CommandRunner.run(["generate", "--run", run, "-o", output, "--bars", "2", "--json"])
        #expect(plain.status == 0, "\(plain.standardError)")
        let plainResult = try #require(
            try JSONSerialization.jsonObject(with: Data(plain.standardOutput.utf8)) as? [String: Any])
        #expect(plainResult["guidance"] == nil)
    }
}
