import Foundation
import Testing

@testable import Score

/// The runner's error paths, exercised with small shell scripts standing in for a
/// MuseScore that hangs or fails (the real one does neither on demand).
@Suite struct RunnerTests {
    func script(_ body: String, in folder: String) throws -> String {
        let path = folder + "/fake-mscore"
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    func input(in folder: String) throws -> String {
        try ScoreFixtures.write(ScoreFixtures.dMajorPiano(), named: "scale.mid", in: folder)
    }

    @Test func aHangingMuseScoreIsStoppedAndTheFileNamed() throws {
        let folder = try ScoreFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let work = folder + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let job = ScoreJob(
            input: try input(in: folder),
            museScore: MuseScore(executable: try script("exec sleep 30", in: folder), timeout: 0.5),
            temporaryRoot: work)
        #expect(throws: ScoreError.timedOut(file: folder + "/scale.mid", seconds: 0.5)) {
            try job.run([.pdf]) { _ in () }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty)
    }

    @Test func aFailingMuseScoreReportsItsStatusAndWords() throws {
        let folder = try ScoreFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let work = folder + "/work"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let job = ScoreJob(
            input: try input(in: folder),
            museScore: MuseScore(executable: try script("echo 'cannot read file' >&2; exit 3", in: folder)),
            temporaryRoot: work)
        do {
            try job.run([.pdf]) { _ in () }
            Issue.record("a failing MuseScore must raise an error")
        } catch let error as ScoreError {
            guard case .museScoreFailed(let file, let status, let log) = error else {
                Issue.record("expected museScoreFailed, got \(error)")
                return
            }
            #expect(file.hasSuffix("scale.mid"))
            #expect(status == 3)
            #expect(log.contains("cannot read file"))
            #expect(error.description.contains("scale.mid"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: work).isEmpty)
    }

    @Test func aMuseScoreThatWritesNothingIsAnError() throws {
        let folder = try ScoreFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let job = ScoreJob(
            input: try input(in: folder),
            museScore: MuseScore(executable: try script("exit 0", in: folder)), temporaryRoot: folder)
        #expect(throws: ScoreError.self) { try job.run([.svg]) { _ in () } }
    }

    @Test func aMissingMuseScoreSaysHowToInstallIt() {
        #expect(throws: ScoreError.museScoreMissing(looked: "the PATH")) {
            try MuseScore.locate(environment: ["PATH": "/nonexistent"])
        }
        let message = ScoreError.museScoreMissing(looked: "the PATH").description
        #expect(message.contains("make deps-score"))
        #expect(message.contains("apt-get install -y --no-install-recommends musescore3"))
    }

    @Test func aReportGetsAReasonInsteadOfAScore() throws {
        let folder = try ScoreFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let preview = ScorePreview.make(for: try input(in: folder), in: folder, environment: ["PATH": "/nonexistent"])
        guard case .unavailable(let reason) = preview else {
            Issue.record("expected an unavailable score, got \(preview)")
            return
        }
        #expect(reason.contains("make deps-score"))
        #expect(preview.description.hasPrefix("score unavailable: "))
    }

    @Test func aFileWithoutNotesIsRefusedBeforeMuseScoreRuns() throws {
        let folder = try ScoreFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let empty = try ScoreFixtures.write(ScoreFixtures.file(onsets: []), named: "empty.mid", in: folder)
        let job = ScoreJob(
            input: empty, museScore: MuseScore(executable: try script("exit 0", in: folder)), temporaryRoot: folder)
        #expect(throws: ScoreError.noNotes(file: empty)) { try job.run([.pdf]) { _ in () } }
    }
}
