import Utilities

/// Tick → seconds and beats, from tempo events on any track (format 1 files put them
/// in odd places) and the file's time division.
public struct TempoMap: Sendable {
    public struct Change: Hashable, Sendable {
        public var tick: Int
        public var microsecondsPerQuarter: Int
        /// Seconds elapsed at `tick`.
        public var seconds: Double
    }

    public let division: Division
    /// Sorted by tick; the first change is at tick 0 (120 bpm when the file says nothing).
    public let changes: [Change]

    public static let defaultMicrosecondsPerQuarter = 500_000

    public init(_ file: MIDIFile) {
        var events: [(tick: Int, microsecondsPerQuarter: Int)] = []
        for track in file.tracks {
            for event in track.events where event.isMeta && event.data1 == MetaType.tempo.rawValue {
                if let value = track.tempo(of: event) { events.append((event.tick, value)) }
            }
        }
        self.init(division: file.division, tempoEventsInTrackOrder: events)
    }

    /// From a file's set-tempo events listed track after track, as `init(_:)` collects them
    /// (a reader that walks the events anyway collects them in the same pass): ordered by
    /// tick, and at one tick the later track's tempo holds.
    public init(division: Division, tempoEventsInTrackOrder events: [(tick: Int, microsecondsPerQuarter: Int)]) {
        // Most files list their tempo events in tick order already (one conductor track), and
        // sorting thousands of them cost more than the rest of the map.
        var inTickOrder = true
        for index in events.indices.dropFirst() where events[index].tick < events[index - 1].tick {
            inTickOrder = false
            break
        }
        guard !inTickOrder else {
            self.init(division: division, tempos: events)
            return
        }
        let ordered = events.enumerated().sorted { ($0.element.tick, $0.offset) < ($1.element.tick, $1.offset) }
        self.init(division: division, tempos: ordered.map(\.element))
    }

    public init(division: Division, tempos: [(tick: Int, microsecondsPerQuarter: Int)]) {
        self.division = division
        var changes = [Change(tick: 0, microsecondsPerQuarter: Self.defaultMicrosecondsPerQuarter, seconds: 0)]
        let ticksPerQuarter = Double(division.ticksPerQuarter)
        for (tick, value) in tempos {
            let last = changes[changes.count - 1]
            let seconds =
                last.seconds + Double(tick - last.tick) * Double(last.microsecondsPerQuarter) / 1e6 / ticksPerQuarter
            if tick == last.tick {
                changes[changes.count - 1].microsecondsPerQuarter = value
            } else {
                changes.append(Change(tick: tick, microsecondsPerQuarter: value, seconds: seconds))
            }
        }
        self.changes = changes
    }

    /// Index of the change in force at `tick`.
    private func changeIndex(at tick: Int) -> Int {
        changes.lastIndex(atMost: tick, by: \.tick)
    }

    public func seconds(atTick tick: Int) -> Double {
        if let ticksPerSecond = division.smpteTicksPerSecond { return Double(tick) / ticksPerSecond }
        let change = changes[changeIndex(at: tick)]
        return change.seconds + Double(tick - change.tick) * Double(change.microsecondsPerQuarter) / 1e6
            / Double(division.ticksPerQuarter)
    }

    /// Quarter-note beats at `tick`; for SMPTE timing, integrated over the tempo map.
    public func beats(atTick tick: Int) -> Double {
        guard let ticksPerSecond = division.smpteTicksPerSecond else {
            return Double(tick) / Double(division.ticksPerQuarter)
        }
        var beats = 0.0
        var previousTick = 0
        var tempo = Double(Self.defaultMicrosecondsPerQuarter)
        for change in changes where change.tick <= tick {
            beats += Double(change.tick - previousTick) / ticksPerSecond * 1e6 / tempo
            previousTick = change.tick
            tempo = Double(change.microsecondsPerQuarter)
        }
        return beats + Double(tick - previousTick) / ticksPerSecond * 1e6 / tempo
    }
}

extension Division {
    /// Ticks per quarter note; for SMPTE, the ticks in a quarter at the default tempo.
    public var ticksPerQuarter: Int {
        switch self {
        case .ticksPerQuarterNote(let ticks): max(ticks, 1)
        case .smpte: max(1, Int((smpteTicksPerSecond ?? 1) * Double(TempoMap.defaultMicrosecondsPerQuarter) / 1e6))
        }
    }
}

extension MIDIFile {
    /// Seconds from the start to the end of the longest track.
    public var durationSeconds: Double {
        TempoMap(self).seconds(atTick: tracks.map(\.lastTick).max() ?? 0)
    }
}
