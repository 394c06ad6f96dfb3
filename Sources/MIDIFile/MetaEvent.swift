public enum MetaType: UInt8, Sendable, CaseIterable {
    case sequenceNumber = 0x00
    case text = 0x01
    case copyright = 0x02
    case trackName = 0x03
    case instrumentName = 0x04
    case lyric = 0x05
    case marker = 0x06
    case cuePoint = 0x07
    case programName = 0x08
    case deviceName = 0x09
    case channelPrefix = 0x20
    case port = 0x21
    case endOfTrack = 0x2F
    case tempo = 0x51
    case smpteOffset = 0x54
    case timeSignature = 0x58
    case keySignature = 0x59
    case sequencerSpecific = 0x7F
}

public struct TimeSignature: Hashable, Sendable, Codable {
    public var numerator: Int
    public var denominator: Int
    public init(numerator: Int, denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }
}

public struct KeySignature: Hashable, Sendable, Codable {
    /// Negative for flats, positive for sharps, −7…7.
    public var sharps: Int
    public var isMinor: Bool
    public init(sharps: Int, isMinor: Bool) {
        self.sharps = sharps
        self.isMinor = isMinor
    }
}

/// Why a meta event's payload is unusable, or nil when it is valid. The reader reports
/// it and keeps the event raw; the writer leaves such events out of what it writes.
func metaProblem(type: UInt8, payload: UnsafeBufferPointer<UInt8>) -> (Finding.Kind, String)? {
    func wrongLength(_ expected: String) -> (Finding.Kind, String) {
        (.badMetaLength, "meta event 0x\(hex(type)) has \(payload.count) data bytes, expected \(expected)")
    }
    switch MetaType(rawValue: type) {
    case .sequenceNumber:
        return payload.count == 0 || payload.count == 2 ? nil : wrongLength("0 or 2")
    case .channelPrefix, .port:
        return payload.count == 1 ? nil : wrongLength("1")
    case .endOfTrack:
        return payload.count == 0 ? nil : wrongLength("0")
    case .tempo:
        guard payload.count == 3 else { return wrongLength("3") }
        if payload[0] == 0 && payload[1] == 0 && payload[2] == 0 {
            return (.invalidTempo, "tempo of 0 microseconds per quarter note")
        }
        return nil
    case .smpteOffset:
        guard payload.count == 5 else { return wrongLength("5") }
        let rateCode = Int(payload[0] >> 5) & 0x3
        let framesPerSecond = [24, 25, 30, 30][rateCode]
        let hours = Int(payload[0] & 0x1F), minutes = Int(payload[1]), seconds = Int(payload[2])
        let frames = Int(payload[3]), subframes = Int(payload[4])
        if payload[0] & 0x80 != 0 || hours > 23 || minutes > 59 || seconds > 59 || frames >= framesPerSecond
            || subframes > 99
        {
            return (
                .invalidSMPTEOffset,
                "SMPTE offset \(hours):\(minutes):\(seconds) frame \(frames).\(subframes) is out of range at \(framesPerSecond) frames per second"
            )
        }
        return nil
    case .timeSignature:
        guard payload.count == 4 else { return wrongLength("4") }
        if payload[0] == 0 || payload[1] > 6 {
            return (.invalidTimeSignature, "time signature \(payload[0])/2^\(payload[1]) is not a meter")
        }
        return nil
    case .keySignature:
        guard payload.count == 2 else { return wrongLength("2") }
        let sharps = Int(Int8(bitPattern: payload[0]))
        if sharps < -7 || sharps > 7 || payload[1] > 1 {
            return (
                .invalidKeySignature,
                "key signature with \(sharps) sharps and mode \(payload[1]) (valid: −7…7 and 0 or 1)"
            )
        }
        return nil
    default:
        return nil
    }
}

/// Why a sysex (or escape) payload is unusable: a data byte over 127 before its closing F7.
func sysexProblem(_ payload: some BidirectionalCollection<UInt8>) -> (Finding.Kind, String)? {
    let body = payload.last == 0xF7 ? payload.dropLast() : payload[...]
    guard let high = body.first(where: { $0 > 0x7F }) else { return nil }
    return (.sysexDataByteOutOfRange, "sysex data byte 0x\(hex(high)) over 127")
}

func metaProblem(type: UInt8, payload: ArraySlice<UInt8>) -> (Finding.Kind, String)? {
    payload.withUnsafeBufferPointer { metaProblem(type: type, payload: $0) }
}

func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}

extension Track {
    /// The decoded value of a valid meta event of a given type, nil for other events.
    public func tempo(of event: MIDIEvent) -> Int? {
        guard event.isMeta, event.data1 == MetaType.tempo.rawValue, event.payloadCount == 3 else { return nil }
        let bytes = payload(of: event)
        let value =
            Int(bytes[bytes.startIndex]) << 16 | Int(bytes[bytes.startIndex + 1]) << 8
            | Int(bytes[bytes.startIndex + 2])
        return value > 0 ? value : nil
    }

    public func timeSignature(of event: MIDIEvent) -> TimeSignature? {
        guard event.isMeta, event.data1 == MetaType.timeSignature.rawValue, event.payloadCount == 4 else { return nil }
        let bytes = payload(of: event)
        let numerator = Int(bytes[bytes.startIndex]), exponent = Int(bytes[bytes.startIndex + 1])
        guard numerator > 0, exponent <= 6 else { return nil }
        return TimeSignature(numerator: numerator, denominator: 1 << exponent)
    }

    public func keySignature(of event: MIDIEvent) -> KeySignature? {
        guard event.isMeta, event.data1 == MetaType.keySignature.rawValue, event.payloadCount == 2 else { return nil }
        let bytes = payload(of: event)
        let sharps = Int(Int8(bitPattern: bytes[bytes.startIndex])), mode = bytes[bytes.startIndex + 1]
        guard (-7...7).contains(sharps), mode <= 1 else { return nil }
        return KeySignature(sharps: sharps, isMinor: mode == 1)
    }

    /// Text of a text-like meta event (track name, lyric, …), decoded as Latin-1 when it
    /// is not UTF-8, since old files were written with 8-bit code pages.
    public func text(of event: MIDIEvent) -> String? {
        guard event.isMeta, (0x01...0x09).contains(event.data1) else { return nil }
        let bytes = Array(payload(of: event))
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        return String(bytes.map { Character(Unicode.Scalar($0)) })
    }

    /// The first track-name meta event's text.
    public var name: String? {
        events.lazy.filter { $0.isMeta && $0.data1 == MetaType.trackName.rawValue }.first.flatMap { text(of: $0) }
    }
}
