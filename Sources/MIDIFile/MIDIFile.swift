/// A Standard MIDI File as events: what the bytes say, after lenient reading.
///
/// The model is faithful rather than normalised: invalid meta events are kept raw (and
/// reported by the reader); the writer decides what a spec-valid file may contain.
public struct MIDIFile: Hashable, Sendable {
    public var format: Format
    public var division: Division
    public var tracks: [Track]

    public init(format: Format = .multiTrack, division: Division = .ticksPerQuarterNote(480), tracks: [Track] = []) {
        self.format = format
        self.division = division
        self.tracks = tracks
    }

    public enum Format: UInt16, Sendable, Hashable, Codable {
        case singleTrack = 0
        case multiTrack = 1
        case independentSequences = 2
    }
}

/// How ticks relate to time: musical (per quarter note) or absolute (SMPTE frames).
public enum Division: Hashable, Sendable {
    case ticksPerQuarterNote(Int)
    /// Frames per second is 24, 25, 29 (meaning 29.97 drop-frame) or 30.
    case smpte(framesPerSecond: Int, ticksPerFrame: Int)

    init(rawValue: UInt16) {
        if rawValue & 0x8000 != 0 {
            let frames = -Int(Int8(bitPattern: UInt8(rawValue >> 8)))
            self = .smpte(framesPerSecond: frames, ticksPerFrame: Int(rawValue & 0xFF))
        } else {
            self = .ticksPerQuarterNote(Int(rawValue))
        }
    }

    var rawValue: UInt16 {
        switch self {
        case .ticksPerQuarterNote(let ticks):
            return UInt16(clamping: ticks) & 0x7FFF
        case .smpte(let frames, let ticksPerFrame):
            return UInt16(UInt8(bitPattern: Int8(truncatingIfNeeded: -frames))) << 8
                | UInt16(UInt8(clamping: ticksPerFrame))
        }
    }

    /// Ticks beyond which one delta time is not music but damage: an hour at 120 bpm.
    /// The reader clips longer deltas; the writer never writes one.
    var absurdDeltaTicks: Int {
        switch self {
        case .ticksPerQuarterNote(let ticks): max(ticks, 1) * 2 * 3600
        case .smpte: Int(smpteTicksPerSecond ?? 1) * 3600
        }
    }

    /// Ticks per second for SMPTE timing (29 means 29.97 drop-frame).
    var smpteTicksPerSecond: Double? {
        guard case .smpte(let frames, let ticksPerFrame) = self else { return nil }
        let fps = frames == 29 ? 29.97 : Double(frames)
        return fps * Double(ticksPerFrame)
    }
}

/// One `MTrk` chunk: events in time order, without the end-of-track event, whose
/// position is kept in `endOfTrackTick` so trailing silence survives a round trip.
public struct Track: Hashable, Sendable {
    public var events: [MIDIEvent]
    /// Bytes of every sysex and meta event, referenced by `MIDIEvent.payloadStart/Count`;
    /// one buffer per track keeps reading free of per-event allocations.
    public var payloadBytes: [UInt8]
    public var endOfTrackTick: Int

    public init(events: [MIDIEvent] = [], payloadBytes: [UInt8] = [], endOfTrackTick: Int = 0) {
        self.events = events
        self.payloadBytes = payloadBytes
        self.endOfTrackTick = endOfTrackTick
    }

    public func payload(of event: MIDIEvent) -> ArraySlice<UInt8> {
        let start = Int(event.payloadStart)
        return payloadBytes[start..<start + Int(event.payloadCount)]
    }

    /// The last tick the track covers: its end-of-track, or its last event if later.
    public var lastTick: Int { max(endOfTrackTick, events.last?.tick ?? 0) }

    public mutating func appendChannelEvent(tick: Int, status: UInt8, data1: UInt8, data2: UInt8 = 0) {
        events.append(MIDIEvent(tick: tick, status: status, data1: data1, data2: data2))
        endOfTrackTick = max(endOfTrackTick, tick)
    }

    public mutating func appendMeta(tick: Int, type: UInt8, payload: some Collection<UInt8>) {
        appendPayloadEvent(tick: tick, status: 0xFF, data1: type, payload: payload)
    }

    public mutating func appendSysex(tick: Int, escape: Bool = false, payload: some Collection<UInt8>) {
        appendPayloadEvent(tick: tick, status: escape ? 0xF7 : 0xF0, data1: 0, payload: payload)
    }

    /// Copies an event (and its payload) read from another track.
    public mutating func append(_ event: MIDIEvent, from source: Track) {
        if event.hasPayload {
            appendPayloadEvent(
                tick: event.tick, status: event.status, data1: event.data1, payload: source.payload(of: event))
        } else {
            events.append(event)
            endOfTrackTick = max(endOfTrackTick, event.tick)
        }
    }

    private mutating func appendPayloadEvent(tick: Int, status: UInt8, data1: UInt8, payload: some Collection<UInt8>) {
        let start = payloadBytes.count
        payloadBytes.append(contentsOf: payload)
        events.append(
            MIDIEvent(
                tick: tick, status: status, data1: data1, data2: 0,
                payloadStart: UInt32(start), payloadCount: UInt32(payload.count)))
        endOfTrackTick = max(endOfTrackTick, tick)
    }
}

/// One event at an absolute tick. Channel messages use `status` (0x80–0xEF), `data1`
/// and `data2`; sysex (`status` 0xF0, or 0xF7 for an escape) and meta events (`status`
/// 0xFF, `data1` = meta type) carry their bytes in the track's payload buffer.
public struct MIDIEvent: Hashable, Sendable {
    public var tick: Int
    public var status: UInt8
    public var data1: UInt8
    public var data2: UInt8
    public var payloadStart: UInt32
    public var payloadCount: UInt32

    public init(
        tick: Int, status: UInt8, data1: UInt8, data2: UInt8 = 0, payloadStart: UInt32 = 0, payloadCount: UInt32 = 0
    ) {
        self.tick = tick
        self.status = status
        self.data1 = data1
        self.data2 = data2
        self.payloadStart = payloadStart
        self.payloadCount = payloadCount
    }

    public var isChannelMessage: Bool { status >= 0x80 && status < 0xF0 }
    public var isMeta: Bool { status == 0xFF }
    public var isSysex: Bool { status == 0xF0 || status == 0xF7 }
    var hasPayload: Bool { status >= 0xF0 }

    /// 0–15 for channel messages.
    public var channel: UInt8 { status & 0x0F }
    public var channelMessageKind: ChannelMessageKind? {
        isChannelMessage ? ChannelMessageKind(rawValue: status >> 4) : nil
    }
    public var metaType: MetaType? { isMeta ? MetaType(rawValue: data1) : nil }

    /// A note-on with velocity 0 is a note-off, as the spec says.
    public var isNoteOn: Bool { status & 0xF0 == 0x90 && data2 > 0 }
    public var isNoteOff: Bool { status & 0xF0 == 0x80 || (status & 0xF0 == 0x90 && data2 == 0) }
}

public enum ChannelMessageKind: UInt8, Sendable, CaseIterable {
    case noteOff = 0x8
    case noteOn = 0x9
    case polyphonicPressure = 0xA
    case controlChange = 0xB
    case programChange = 0xC
    case channelPressure = 0xD
    case pitchBend = 0xE
}
