import CSndFile
import Foundation
import MIDIFile

@testable import Rendering

/// The small General MIDI soundfont from Debian's `timgm6mb-soundfont` package.
let timGM6mb = "/usr/share/sounds/sf2/TimGM6mb.sf2"
let haveTimGM6mb = FileManager.default.isReadableFile(atPath: timGM6mb)

/// Small MIDI files built in code, at 480 ticks per quarter note and 120 bpm (the
/// default tempo), so 960 ticks are one second.
enum TestMIDI {
    static let ticksPerSecond = 960

    /// Piano notes given as (pitch, start, length) in seconds, with an optional
    /// end-of-track well after the last note.
    static func piano(
        _ notes: [(pitch: UInt8, start: Double, length: Double)], velocity: UInt8 = 100,
        endOfTrackSeconds: Double? = nil
    ) -> MIDIFile {
        var track = Track()
        track.appendChannelEvent(tick: 0, status: 0xC0, data1: 0)
        var events: [(tick: Int, status: UInt8, pitch: UInt8, velocity: UInt8)] = []
        for note in notes {
            events.append((ticks(note.start), 0x90, note.pitch, velocity))
            events.append((ticks(note.start + note.length), 0x80, note.pitch, 0))
        }
        for event in events.sorted(by: { ($0.tick, $0.status) < ($1.tick, $1.status) }) {
            track.appendChannelEvent(tick: event.tick, status: event.status, data1: event.pitch, data2: event.velocity)
        }
        if let endOfTrackSeconds { track.endOfTrackTick = ticks(endOfTrackSeconds) }
        return MIDIFile(format: .singleTrack, division: .ticksPerQuarterNote(480), tracks: [track])
    }

    /// C major arpeggio then a chord: the last note ends at 2.0 s.
    static let arpeggio = piano([
        (60, 0, 0.5), (64, 0.5, 0.5), (67, 1.0, 0.5), (60, 1.5, 0.5), (64, 1.5, 0.5), (67, 1.5, 0.5),
    ])
    static let arpeggioLastNoteEnd = 2.0

    static func ticks(_ seconds: Double) -> Int { Int((seconds * Double(ticksPerSecond)).rounded()) }

    static func write(_ file: MIDIFile, named name: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try MIDIWriter().write(file, to: path)
        return path
    }
}

/// A fresh folder under the system's temporary directory for one test; each caller removes it when done.
func makeTemporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("RenderingTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

/// An audio file read back through libsndfile, as the renderer's users would.
struct DecodedAudio {
    var sampleRate: Int
    var channels: Int
    var majorFormat: Int
    var subtype: Int
    var samples: [Float]

    var frames: Int { samples.count / channels }
    var seconds: Double { Double(frames) / Double(sampleRate) }
    var peak: Float { samples.reduce(0) { max($0, abs($1)) } }
    var rmsDBFS: Double {
        let meanSquare = samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(samples.count, 1))
        return 10 * log10(meanSquare)
    }

    /// Peak of the frames in `range` seconds.
    func peak(seconds range: Range<Double>) -> Float {
        let first = max(0, Int(range.lowerBound * Double(sampleRate))) * channels
        let last = min(frames, Int(range.upperBound * Double(sampleRate))) * channels
        guard first < last else { return 0 }
        return samples[first..<last].reduce(0) { max($0, abs($1)) }
    }

    init(contentsOf path: String) throws {
        var info = SF_INFO()
        guard let handle = sf_open(path, Int32(SFM_READ), &info) else {
            throw SoundFileError(file: path, operation: "open", message: String(cString: sf_strerror(nil)))
        }
        defer { sf_close(handle) }
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        majorFormat = Int(info.format) & SF_FORMAT_TYPEMASK
        subtype = Int(info.format) & SF_FORMAT_SUBMASK
        samples = [Float](repeating: 0, count: Int(info.frames) * channels)
        let read = samples.withUnsafeMutableBufferPointer { sf_readf_float(handle, $0.baseAddress, info.frames) }
        guard read == info.frames else {
            throw SoundFileError(file: path, operation: "decode", message: String(cString: sf_strerror(handle)))
        }
    }
}

func dBFS(_ amplitude: Float) -> Double { Decibels.dBFS(amplitude: Double(amplitude)) }

/// Renders one in-memory MIDI file to `output` the way the command line does.
@discardableResult
func renderFile(_ file: MIDIFile, to output: String, options: RenderOptions = RenderOptions(), in folder: URL) throws
    -> RenderReport
{
    let input = try TestMIDI.write(file, named: "input-\(UUID().uuidString).mid", in: folder)
    let outcome = BatchRenderer.run(
        [RenderJob(input: input, output: output)], soundfont: timGM6mb, options: options, workers: 1)
    return try outcome[0].result.get()
}
