import Foundation
import MIDIFile

// Prints the paired notes of each MIDI file as one JSON object per line, for
// Benchmarks/compare-notes to set beside symusic's and mido's note lists:
//   {"file": ..., "notes": [[track, channel, pitch, onset, duration, velocity], ...],
//    "track_ends": [last tick of each track], "findings": ["kind", ...]}
// or {"file": ..., "error": ...} when the file holds no MIDI data.
// Paths come from the arguments, or one per line on standard input when there are none.

func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

func describe(_ path: String) -> String {
    let result: ReadResult
    do {
        result = try MIDIReader.read(contentsOf: path)
    } catch {
        return "{\"file\":\(jsonString(path)),\"error\":\(jsonString("\(error)"))}"
    }
    var rows: [String] = []
    for (trackIndex, track) in result.file.tracks.enumerated() {
        for note in track.pairNotes().notes {
            rows.append("[\(trackIndex),\(note.channel),\(note.pitch),\(note.onset),\(note.duration),\(note.velocity)]")
        }
    }
    let ends = result.file.tracks.map { String($0.lastTick) }
    let kinds = result.findings.map { jsonString($0.kind.rawValue) }
    return "{\"file\":\(jsonString(path)),\"notes\":[\(rows.joined(separator: ","))],"
        + "\"track_ends\":[\(ends.joined(separator: ","))],\"findings\":[\(kinds.joined(separator: ","))]}"
}

let paths =
    CommandLine.arguments.count > 1
    ? Array(CommandLine.arguments.dropFirst())
    : (readLine(strippingNewline: true).map { first in [first] + AnySequence { AnyIterator { readLine() } } } ?? [])
for path in paths where !path.isEmpty {
    print(describe(path))
}
