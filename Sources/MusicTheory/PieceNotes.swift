import MIDIFile

/// A note of a piece with everything analysis needs: where it sits in the file, what
/// plays it, and when, in ticks, quarter-note beats and seconds.
public struct PieceNote: Hashable, Sendable {
    public var track: Int
    /// 0–15; the General MIDI drum channel 10 is 9 here.
    public var channel: UInt8
    /// Program (0–127) in force on the channel at the onset; 0 when none was set.
    public var program: UInt8
    public var pitch: UInt8
    public var velocity: UInt8
    public var onsetTick: Int
    public var durationTicks: Int
    public var onsetBeats: Double
    public var durationBeats: Double
    public var onsetSeconds: Double
    public var durationSeconds: Double

    public var endTick: Int { onsetTick + durationTicks }

    /// Channel 10 in General MIDI: key numbers name drums, not pitches.
    public var isDrum: Bool { channel == MIDIChannel.drums }
}

/// Every note of a file, from each track's note pairing (per channel × key, velocity-0
/// note-on as off; see `NotePairing` for re-struck keys), in onset order.
public struct PieceNotes: Sendable {
    public var notes: [PieceNote]
    /// Per track, notes still sounding at the track's end, closed there.
    public var closedAtTrackEnd: [Int]
    /// Per track, note-offs that matched no sounding note.
    public var unmatchedNoteOffs: [Int]
    public let tempoMap: TempoMap

    public init(_ file: MIDIFile, pairing: NotePairing = .firstInFirstOut) {
        let tempoMap = TempoMap(file)
        let programs = ProgramTimeline(file)
        var notes: [PieceNote] = []
        var closed: [Int] = [], unmatched: [Int] = []
        let clock = NoteClock(tempoMap)
        for (trackIndex, track) in file.tracks.enumerated() {
            let paired = pairing.pair(track)
            closed.append(paired.closedAtTrackEnd)
            unmatched.append(paired.unmatchedNoteOffs)
            notes.reserveCapacity(notes.count + paired.notes.count)
            var cursor = 0
            for note in paired.notes {
                let end = note.onset + note.duration
                cursor = clock.changeIndex(atTick: note.onset, from: cursor)
                let endIndex = clock.changeIndex(atTick: end, from: cursor)
                let onsetBeats = clock.beats(atTick: note.onset),
                    onsetSeconds = clock.seconds(atTick: note.onset, change: cursor)
                notes.append(
                    PieceNote(
                        track: trackIndex, channel: note.channel,
                        program: programs.program(channel: note.channel, atTick: note.onset),
                        pitch: note.pitch, velocity: note.velocity,
                        onsetTick: note.onset, durationTicks: note.duration,
                        onsetBeats: onsetBeats, durationBeats: clock.beats(atTick: end) - onsetBeats,
                        onsetSeconds: onsetSeconds,
                        durationSeconds: clock.seconds(atTick: end, change: endIndex) - onsetSeconds))
            }
        }
        notes.sort { ($0.onsetTick, $0.track, $0.pitch) < ($1.onsetTick, $1.track, $1.pitch) }
        self.notes = notes
        closedAtTrackEnd = closed
        unmatchedNoteOffs = unmatched
        self.tempoMap = tempoMap
    }
}

/// Program changes per channel over time, from all tracks: format 1 files often set a
/// channel's program in a track other than the one that plays its notes.
public struct ProgramTimeline: Sendable {
    private var changes: [[(tick: Int, program: UInt8)]] = Array(repeating: [], count: 16)

    public init(_ file: MIDIFile) {
        var ordered: [(tick: Int, order: Int, channel: Int, program: UInt8)] = []
        for track in file.tracks {
            for event in track.events where event.status & 0xF0 == 0xC0 {
                ordered.append((event.tick, ordered.count, Int(event.channel), event.data1))
            }
        }
        ordered.sort { ($0.tick, $0.order) < ($1.tick, $1.order) }
        for change in ordered { changes[change.channel].append((change.tick, change.program)) }
    }

    /// The program in force on `channel` at `tick`; 0 (the General MIDI default) before any change.
    public func program(channel: UInt8, atTick tick: Int) -> UInt8 {
        let list = changes[Int(channel)]
        var low = 0, high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle].tick <= tick { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? 0 : list[low - 1].program
    }
}

/// Tick → seconds and beats for many notes in onset order: a cursor walks the tempo
/// changes forward instead of searching them for every note, which matters for
/// performance recordings with a tempo change every few ticks.
struct NoteClock {
    private let tempoMap: TempoMap
    private let ticks: [Int]
    private let seconds: [Double]
    private let secondsPerTick: [Double]
    private let ticksPerQuarter: Double
    private let isMusical: Bool

    init(_ tempoMap: TempoMap) {
        self.tempoMap = tempoMap
        ticksPerQuarter = Double(tempoMap.division.ticksPerQuarter)
        isMusical = tempoMap.division.isMusical
        ticks = tempoMap.changes.map(\.tick)
        seconds = tempoMap.changes.map(\.seconds)
        let quarter = ticksPerQuarter
        secondsPerTick = tempoMap.changes.map { Double($0.microsecondsPerQuarter) / 1e6 / quarter }
    }

    /// Index of the tempo change in force at `tick`, stepping forward from `start` (or
    /// from the beginning when `tick` lies before it), and searching by halves when the
    /// tick lies many changes ahead (a note held through a long accelerando).
    func changeIndex(atTick tick: Int, from start: Int) -> Int {
        var index = start < ticks.count && ticks[start] <= tick ? start : 0
        var steps = 0
        while index + 1 < ticks.count && ticks[index + 1] <= tick {
            index += 1
            steps += 1
            if steps == 8 { break }
        }
        guard steps == 8 else { return index }
        var high = ticks.count - 1
        while index < high {
            let middle = (index + high + 1) / 2
            if ticks[middle] <= tick { index = middle } else { high = middle - 1 }
        }
        return index
    }

    func seconds(atTick tick: Int, change index: Int) -> Double {
        guard isMusical else { return tempoMap.seconds(atTick: tick) }
        return seconds[index] + Double(tick - ticks[index]) * secondsPerTick[index]
    }

    func beats(atTick tick: Int) -> Double {
        isMusical ? Double(tick) / ticksPerQuarter : tempoMap.beats(atTick: tick)
    }
}
