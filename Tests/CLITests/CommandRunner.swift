import Foundation
import MIDIFile
import Testing

/// Runs the built `tunesmith` binary, which SwiftPM places beside the test bundle.
struct CommandRunner {
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The command ran past its time and was killed; the test fails instead of hanging.
    struct TimedOut: Error, CustomStringConvertible {
        var arguments: [String]
        var seconds: Double
        var description: String { "tunesmith \(arguments.joined(separator: " ")) ran past \(seconds) s and was killed" }
    }

    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tunesmith")
    }

    /// `environment` adds to (or overrides) this process's environment. Both pipes are drained
    /// at once: a child that fills one pipe (64 KiB) while the reader waits on the other would
    /// block forever.
    static func run(
        _ arguments: [String], environment: [String: String] = [:],
        timeout: Double = 300
    ) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        let standardOutput = PipeDrain(output), standardError = PipeDrain(error)
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            throw TimedOut(arguments: arguments, seconds: timeout)
        }
        return Outcome(
            status: process.terminationStatus,
            standardOutput: String(decoding: standardOutput.wait(), as: UTF8.self),
            standardError: String(decoding: standardError.wait(), as: UTF8.self))
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeDrain: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    // Written once by the reading thread before `finished` is signalled, read only after it.
    private var data = Data()

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            finished.signal()
        }.start()
    }

    func wait() -> Data {
        finished.wait()
        return data
    }
}

/// A fresh folder for one test, removed when the test ends.
final class ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tunesmith-cli-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Eight small pieces of random eighth notes in corpus/, written by MIDIWriter.
    func writeRandomCorpus() throws -> String {
        try FileManager.default.createDirectory(
            at: url.appendingPathComponent("corpus"), withIntermediateDirectories: true)
        var state: UInt64 = 17
        for index in 0..<8 {
            var track = Track()
            for step in 0..<48 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let pitch = UInt8(55 + Int(state >> 59))
                track.appendChannelEvent(tick: step * 240, status: 0x90, data1: pitch, data2: 80)
                track.appendChannelEvent(tick: step * 240 + 240, status: 0x80, data1: pitch)
            }
            let bytes = MIDIWriter().encode(
                MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(480), tracks: [track])
            ).bytes
            _ = try write(bytes, named: "corpus/piece\(index).mid")
        }
        return url.appendingPathComponent("corpus").path
    }

    /// Trains a tiny events Transformer for one epoch on `corpus` into run/; returns its folder.
    func trainTinyEventsRun(corpus: String, context: Int, layers: Int) throws -> String {
        let run = url.appendingPathComponent("run").path
        let trained = try CommandRunner.run([
            "train", "--corpus", corpus, "--model", "transformer", "--tokenizer", "events", "--epochs", "1",
            "--batch", "4", "--context", String(context), "--width", "16", "--layers", String(layers),
            "--cache", url.appendingPathComponent("cache").path, "--out", run,
        ])
        #expect(trained.status == 0, "\(trained.standardError)")
        return run
    }

    func write(_ bytes: [UInt8], named name: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
