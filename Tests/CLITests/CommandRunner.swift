import Foundation
import MIDIFile

/// Runs the built `tunesmith` binary, which SwiftPM places beside the test bundle.
struct CommandRunner {
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tunesmith")
    }

    /// `environment` adds to (or overrides) this process's environment.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus,
                       standardOutput: String(decoding: outData, as: UTF8.self),
                       standardError: String(decoding: errData, as: UTF8.self))
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
        try FileManager.default.createDirectory(at: url.appendingPathComponent("corpus"), withIntermediateDirectories: true)
        var state: UInt64 = 17
        for index in 0..<8 {
            var track = Track()
            for step in 0..<48 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let pitch = UInt8(55 + Int(state >> 59))
                track.appendChannelEvent(tick: step * 240, status: 0x90, data1: pitch, data2: 80)
                track.appendChannelEvent(tick: step * 240 + 240, status: 0x80, data1: pitch)
            }
            let bytes = MIDIWriter().encode(MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(480), tracks: [track])).bytes
            _ = try write(bytes, named: "corpus/piece\(index).mid")
        }
        return url.appendingPathComponent("corpus").path
    }

    func write(_ bytes: [UInt8], named name: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
