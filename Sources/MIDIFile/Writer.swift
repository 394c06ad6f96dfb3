import Foundation
import Utilities

/// Strict writer: whatever the model holds, the bytes it produces are a spec-valid SMF.
///
/// End-of-track is written exactly once per track, events are sorted by tick, meta events
/// whose payload is invalid (and any stray end-of-track) are left out, and the header's
/// format and track count agree with the tracks. Sysex and escape events with bytes over
/// 127 are left out too: strict readers (mido, pretty_midi) refuse such files.
public struct MIDIWriter: Sendable {
    public var useRunningStatus: Bool

    public init(useRunningStatus: Bool = false) {
        self.useRunningStatus = useRunningStatus
    }

    public struct Encoded: Sendable {
        public var bytes: [UInt8]
        /// Meta and sysex events left out because their payload is invalid (reported by the reader).
        public var omittedInvalidEvents: Int
    }

    public func encode(_ file: MIDIFile) -> Encoded {
        var out: [UInt8] = []
        out.reserveCapacity(14 + file.tracks.reduce(0) { $0 + 8 + $1.events.count * 4 + $1.payloadBytes.count })
        let format: MIDIFile.Format =
            file.tracks.count <= 1 && file.format != .independentSequences
            ? .singleTrack
            : (file.format == .independentSequences ? .independentSequences : .multiTrack)
        out.append(contentsOf: Array("MThd".utf8))
        appendBigEndian(6, bytes: 4, to: &out)
        appendBigEndian(Int(format.rawValue), bytes: 2, to: &out)
        appendBigEndian(max(1, file.tracks.count), bytes: 2, to: &out)
        appendBigEndian(Int(file.division.rawValue), bytes: 2, to: &out)
        // The spec requires at least one track; a file that recovered none gets an empty one.
        let tracks = file.tracks.isEmpty ? [Track()] : file.tracks
        var omitted = 0
        for track in tracks {
            omitted += appendTrack(track, to: &out, longestDelta: file.division.absurdDeltaTicks)
        }
        return Encoded(bytes: out, omittedInvalidEvents: omitted)
    }

    /// Writes atomically: a temporary file beside the destination, renamed into place,
    /// so a crash never leaves a half-written file under the final name.
    @discardableResult
    public func write(_ file: MIDIFile, to path: String) throws -> Encoded {
        let encoded = encode(file)
        try AtomicFile.write(Data(encoded.bytes), to: path)
        return encoded
    }

    private func appendTrack(_ track: Track, to out: inout [UInt8], longestDelta: Int) -> Int {
        out.append(contentsOf: Array("MTrk".utf8))
        let lengthOffset = out.count
        out.append(contentsOf: [0, 0, 0, 0])
        let inOrder = zip(track.events, track.events.dropFirst()).allSatisfy { $0.tick <= $1.tick }
        let ordered =
            inOrder
            ? track.events
            : track.events.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }.map(
                \.element)
        var lastTick = 0
        var runningStatus: UInt8 = 0
        var omitted = 0
        for event in ordered {
            if event.isMeta {
                if event.data1 == MetaType.endOfTrack.rawValue || event.data1 > 0x7F
                    || metaProblem(type: event.data1, payload: track.payload(of: event)) != nil
                {
                    omitted += 1
                    continue
                }
            } else if event.isSysex {
                if sysexProblem(track.payload(of: event)) != nil {
                    omitted += 1
                    continue
                }
            } else if !event.isChannelMessage {
                omitted += 1
                continue
            }
            appendDelta(event.tick - lastTick, longest: longestDelta, to: &out)
            lastTick = event.tick
            if event.isChannelMessage {
                if !useRunningStatus || event.status != runningStatus { out.append(event.status) }
                runningStatus = event.status
                out.append(event.data1 & 0x7F)
                if event.status & 0xF0 != 0xC0 && event.status & 0xF0 != 0xD0 { out.append(event.data2 & 0x7F) }
            } else {
                runningStatus = 0
                out.append(event.status)
                if event.isMeta { out.append(event.data1) }
                let payload = track.payload(of: event)
                appendVariableLength(payload.count, to: &out)
                out.append(contentsOf: payload)
            }
        }
        appendDelta(max(0, track.lastTick - lastTick), longest: longestDelta, to: &out)
        out.append(contentsOf: [0xFF, 0x2F, 0x00])
        let length = out.count - lengthOffset - 4
        for index in 0..<4 { out[lengthOffset + index] = UInt8(truncatingIfNeeded: length >> (24 - 8 * index)) }
        return omitted
    }
}

/// A delta the reader would take for damage (over an hour) is written in hour-long steps,
/// each carried by an empty text event, so time is kept exactly and reads back as music.
/// This happens when an omitted invalid event joined two long gaps into one.
func appendDelta(_ delta: Int, longest: Int, to out: inout [UInt8]) {
    var remaining = delta
    while remaining > longest {
        appendVariableLength(longest, to: &out)
        out.append(contentsOf: [0xFF, MetaType.text.rawValue, 0x00])
        remaining -= longest
    }
    appendVariableLength(remaining, to: &out)
}

func appendBigEndian(_ value: Int, bytes count: Int, to out: inout [UInt8]) {
    for index in (0..<count).reversed() { out.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
}

/// Variable-length quantity; values beyond the 28 bits SMF allows are saturated.
func appendVariableLength(_ value: Int, to out: inout [UInt8]) {
    let value = min(max(value, 0), 0x0FFF_FFFF)
    var shift = 21
    while shift > 0 && value >> shift == 0 { shift -= 7 }
    while shift > 0 {
        out.append(UInt8(value >> shift & 0x7F) | 0x80)
        shift -= 7
    }
    out.append(UInt8(value & 0x7F))
}
