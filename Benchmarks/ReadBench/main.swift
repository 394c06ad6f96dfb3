import Foundation
import MIDIFile

// Times Tunesmith's read + note pairing over MIDI files already in memory (warm cache,
// one thread). Usage: ReadBench [--repetitions N] < paths (one per line).
// Prints one JSON line: files, bytes, notes, and the best and median time of N passes.

var repetitions = 10
var arguments = Array(CommandLine.arguments.dropFirst())
if let flag = arguments.firstIndex(of: "--repetitions") {
    guard flag + 1 < arguments.count, let count = Int(arguments[flag + 1]), count > 0 else {
        FileHandle.standardError.write(Data("ReadBench: --repetitions needs a positive whole number\n".utf8))
        exit(2)
    }
    repetitions = count
    arguments.removeSubrange(flag...flag + 1)
}
let paths = arguments.isEmpty ? Array(AnyIterator { readLine() }).filter { !$0.isEmpty } : arguments

let inputs: [[UInt8]] = paths.map { path in
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("ReadBench: \(path): cannot read; check the path\n".utf8))
        exit(1)
    }
    return [UInt8](data)
}
let totalBytes = inputs.reduce(0) { $0 + $1.count }

/// One pass over every input; returns the notes found so the work cannot be optimised away.
func readAll() -> Int {
    var notes = 0
    for bytes in inputs {
        guard let result = try? MIDIReader.read(bytes) else { continue }
        for track in result.file.tracks { notes += track.pairNotes().notes.count }
    }
    return notes
}

func seconds(_ work: () -> Int) -> (Double, Int) {
    let start = DispatchTime.now().uptimeNanoseconds
    let notes = work()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, notes)
}

let (_, notes) = seconds(readAll)
let times = (0..<repetitions).map { _ in seconds(readAll).0 }.sorted()
let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
print(
    "{\"tool\":\"tunesmith\",\"files\":\(inputs.count),\"bytes\":\(totalBytes),\"notes\":\(notes),\"repetitions\":\(repetitions),\"best_seconds\":\(times[0]),\"median_seconds\":\(median)}"
)
