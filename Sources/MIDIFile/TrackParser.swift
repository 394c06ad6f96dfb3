/// Decodes the events of one `MTrk` chunk. The chunk's declared length is trusted only
/// when the bytes confirm it (an end-of-track inside it, or the next chunk right after);
/// otherwise the track is read up to its end-of-track, the next `MTrk`, or the file's end.
struct TrackParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let chunkStart: Int
    let regionEnd: Int
    let trackIndex: Int
    let options: ReadOptions
    let absurdDelta: Int

    init(
        bytes: UnsafeBufferPointer<UInt8>, chunkStart: Int, regionEnd: Int, trackIndex: Int, options: ReadOptions,
        division: Division
    ) {
        self.bytes = bytes
        self.chunkStart = chunkStart
        self.regionEnd = regionEnd
        self.trackIndex = trackIndex
        self.options = options
        absurdDelta = division.absurdDeltaTicks
    }

    struct Parsed {
        var track: Track
        var nextChunk: Int
    }

    /// Outcome of decoding events over one byte range.
    struct Pass {
        var track = Track()
        var log = FindingLog()
        /// Offset just past the end-of-track event, when there was one.
        var endOfTrackEnd: Int?
        /// Offset where decoding stopped.
        var stop: Int
        var cutOff = false
    }

    mutating func parse(log: inout FindingLog) -> Parsed {
        let dataStart = chunkStart + 8
        let declaredLength = Int(bytes.bigEndianUInt32(at: chunkStart + 4))
        let declaredEnd = dataStart + declaredLength

        if declaredEnd <= regionEnd {
            let pass = decode(from: dataStart, to: declaredEnd)
            let endsAtABoundary = declaredEnd == regionEnd || bytes.looksLikeChunkID(at: declaredEnd)
            let swallowsATrack =
                pass.endOfTrackEnd.map { bytes.firstOffset(of: .track, from: $0, before: declaredEnd) != nil } ?? false
            if !swallowsATrack && (endsAtABoundary || pass.endOfTrackEnd != nil) {
                return finish(pass, declaredEnd: declaredEnd, trusted: true, log: &log)
            }
        }
        let nextTrack = bytes.firstOffset(of: .track, from: dataStart, before: regionEnd)
        let pass = decode(from: dataStart, to: nextTrack ?? regionEnd)
        return finish(pass, declaredEnd: declaredEnd, trusted: false, nextTrack: nextTrack, log: &log)
    }

    private func finish(_ pass: Pass, declaredEnd: Int, trusted: Bool, nextTrack: Int? = nil, log: inout FindingLog)
        -> Parsed
    {
        var pass = pass
        let realEnd = pass.endOfTrackEnd ?? pass.stop
        if !trusted {
            let declared = declaredEnd - chunkStart - 8, real = realEnd - chunkStart - 8
            if pass.endOfTrackEnd == nil && nextTrack == nil && declaredEnd > regionEnd {
                pass.log.recordSeparately(
                    .truncatedFile, at: regionEnd, track: trackIndex, action: .truncatedTrack,
                    "track declares \(declared) bytes but the file ends after \(regionEnd - chunkStart - 8); kept the \(pass.track.events.count) events read"
                )
            } else {
                let kind: Finding.Kind = declaredEnd > realEnd ? .chunkLengthOverrun : .chunkLengthUnderrun
                pass.log.recordSeparately(
                    kind, at: chunkStart + 4, track: trackIndex, action: .resynchronised,
                    "track length field says \(declared) bytes, the track's events take \(real); read to \(pass.endOfTrackEnd != nil ? "its end-of-track" : nextTrack != nil ? "the next MTrk" : "the end of the file")"
                )
            }
        } else if let eotEnd = pass.endOfTrackEnd, eotEnd < declaredEnd {
            let count = declaredEnd - eotEnd
            if (eotEnd..<declaredEnd).contains(where: { bytes[$0] != 0 }) {
                pass.log.recordSeparately(
                    .eventsAfterEndOfTrack, at: eotEnd, track: trackIndex, action: .droppedEvent,
                    "\(count) bytes after end-of-track inside the chunk dropped")
            } else {
                pass.log.recordSeparately(
                    .trailingBytes, at: eotEnd, track: trackIndex, action: .ignored,
                    "chunk length counts \(count) zero byte\(count == 1 ? "" : "s") of padding after end-of-track; ignored"
                )
            }
        }
        if pass.endOfTrackEnd == nil {
            let tick = pass.track.events.last?.tick ?? 0
            pass.track.endOfTrackTick = max(pass.track.endOfTrackTick, tick)
            pass.log.recordSeparately(
                .missingEndOfTrack, at: realEnd, track: trackIndex, action: .insertedEndOfTrack,
                "no end-of-track event; one assumed at tick \(pass.track.endOfTrackTick)")
        }
        for finding in pass.log.findings { log.append(finding) }
        let next = trusted ? declaredEnd : realEnd
        return Parsed(track: pass.track, nextChunk: next)
    }

    private func decode(from start: Int, to end: Int) -> Pass {
        var pass = Pass(stop: start)
        var payloads: [UInt8] = []
        // Every event takes at least two bytes (a delta time and a running-status data byte),
        // so half the track's bytes bound its events, which are written in place: Array.append
        // checks uniqueness and capacity for each one, a tenth of reading a file.
        let events = [MIDIEvent](unsafeUninitializedCapacity: (end - start) / 2 + 1) { slots, written in
            decodeEvents(from: start, to: end, into: slots, written: &written, payloads: &payloads, pass: &pass)
        }
        pass.track.events = events
        pass.track.payloadBytes = payloads
        return pass
    }

    @inline(__always)
    private func store(_ event: MIDIEvent, in slots: UnsafeMutableBufferPointer<MIDIEvent>, written: inout Int) {
        precondition(written < slots.count, "an event takes at least two bytes")
        slots.initializeElement(at: written, to: event)
        written += 1
    }

    // The hot loop: channel messages take one comparison, other status bytes one table
    // lookup; no allocation per event. Text meta events (0x01–0x1F) have no values to check.
    private func decodeEvents(
        from start: Int, to end: Int, into slots: UnsafeMutableBufferPointer<MIDIEvent>, written: inout Int,
        payloads: inout [UInt8], pass: inout Pass
    ) {
        var position = start
        var tick = 0
        var runningStatus: UInt8 = 0
        var lastWasMetaOrSysex = false
        var atStatusAfterResync = false
        let systemClasses = StatusTable.system
        let channelDataCount = StatusTable.channelDataCount
        let dropOutOfRange = options.outOfRangeDataBytes == .drop

        func cutOff(_ what: String, at offset: Int, _ pass: inout Pass) {
            pass.cutOff = true
            pass.log.recordSeparately(
                .truncatedEvent, at: offset, track: trackIndex, action: .truncatedTrack,
                "\(what) cut off by the end of the track data at \(end)")
        }

        decoding: while position < end {
            let eventStart = position
            if atStatusAfterResync {
                atStatusAfterResync = false
            } else {
                guard let (value, next, length) = readVariableLength(at: position, end: end) else {
                    cutOff("delta time", at: eventStart, &pass)
                    break decoding
                }
                var delta = value
                position = next
                if length > 4 {
                    pass.log.record(
                        .overlongVariableLength, at: eventStart, track: trackIndex, action: .clipped,
                        "delta time of \(length) bytes (at most 4 allowed); its first 4 bytes used")
                }
                if delta > absurdDelta {
                    pass.log.record(
                        .absurdDeltaTime, at: eventStart, track: trackIndex, action: .clipped,
                        "delta time of \(delta) ticks (over an hour) set to 0")
                    delta = 0
                }
                tick &+= delta
                guard position < end else {
                    cutOff("event after a delta time", at: eventStart, &pass)
                    break
                }
            }

            var status = bytes[position]
            if status >= 0x80 && status < 0xF0 {
                position += 1
                runningStatus = status
            } else if status < 0x80 {
                guard runningStatus != 0 else {
                    var next = position
                    while next < end && bytes[next] < 0x80 { next += 1 }
                    pass.log.record(
                        .runningStatusWithoutStatus, at: position, track: trackIndex, action: .droppedEvent,
                        "data byte 0x\(hex(status)) with no status byte before it; \(next - position) bytes skipped to the next status byte"
                    )
                    position = next
                    atStatusAfterResync = true
                    continue decoding
                }
                if lastWasMetaOrSysex {
                    pass.log.record(
                        .runningStatusAfterMetaOrSysex, at: position, track: trackIndex, action: .assumedPreviousStatus,
                        "running status after a meta or sysex event, which cancels it in the spec; the last channel status 0x\(hex(runningStatus)) used"
                    )
                }
                status = runningStatus
            } else {
                switch systemClasses[Int(status & 0x0F)] {
                case .meta:
                    position += 1
                    guard position < end else {
                        cutOff("meta event", at: eventStart, &pass)
                        break decoding
                    }
                    let type = bytes[position]
                    position += 1
                    guard let (length, next) = readLength(at: position, end: end, eventStart: eventStart, pass: &pass)
                    else { break decoding }
                    position = next
                    let available = min(length, end - position)
                    if type == MetaType.endOfTrack.rawValue {
                        pass.track.endOfTrackTick = tick
                        pass.endOfTrackEnd = position + available
                        position += available
                        break decoding
                    }
                    let payload = UnsafeBufferPointer(rebasing: bytes[position..<position + available])
                    if available < length {
                        cutOff("meta event of \(length) bytes", at: eventStart, &pass)
                    } else if type >= MetaType.channelPrefix.rawValue || type == MetaType.sequenceNumber.rawValue,
                        let (kind, message) = metaProblem(type: type, payload: payload)
                    {
                        pass.log.record(kind, at: eventStart, track: trackIndex, action: .keptRaw, message)
                    }
                    store(
                        MIDIEvent(
                            tick: tick, status: 0xFF, data1: type, payloadStart: UInt32(payloads.count),
                            payloadCount: UInt32(available)), in: slots, written: &written)
                    payloads.append(contentsOf: payload)
                    position += available
                    lastWasMetaOrSysex = true
                    if available < length { break decoding }
                case .sysex:
                    position += 1
                    guard let (length, next) = readLength(at: position, end: end, eventStart: eventStart, pass: &pass)
                    else { break decoding }
                    position = next
                    let available = min(length, end - position)
                    let payload = UnsafeBufferPointer(rebasing: bytes[position..<position + available])
                    // Escapes (F7) may carry any byte by design; only a sysex message must be 7-bit.
                    if status == 0xF0, let (kind, message) = sysexProblem(payload) {
                        pass.log.record(kind, at: eventStart, track: trackIndex, action: .keptRaw, message)
                    }
                    store(
                        MIDIEvent(
                            tick: tick, status: status, data1: 0, payloadStart: UInt32(payloads.count),
                            payloadCount: UInt32(available)), in: slots, written: &written)
                    payloads.append(contentsOf: payload)
                    position += available
                    lastWasMetaOrSysex = true
                    if available < length {
                        cutOff("sysex event of \(length) bytes", at: eventStart, &pass)
                        break decoding
                    }
                case .systemMessage:
                    let skip = 1 + StatusTable.systemMessageDataCount(status)
                    pass.log.record(
                        .systemMessageInFile, at: position, track: trackIndex, action: .droppedEvent,
                        "system message 0x\(hex(status)) has no place in a MIDI file; dropped")
                    position = min(end, position + skip)
                case .undefined:
                    pass.log.record(
                        .undefinedStatus, at: position, track: trackIndex, action: .droppedEvent,
                        "undefined status byte 0x\(hex(status)) dropped")
                    position += 1
                }
                continue decoding
            }

            lastWasMetaOrSysex = false
            let dataCount = channelDataCount[Int(status >> 4)]
            guard position + dataCount <= end else {
                cutOff("channel message 0x\(hex(status))", at: eventStart, &pass)
                position = end
                break
            }
            var data1 = bytes[position]
            var data2: UInt8 = dataCount == 2 ? bytes[position + 1] : 0
            position += dataCount
            if (data1 | data2) & 0x80 != 0 {
                let bad = data1 >= 0x80 ? data1 : data2
                if dropOutOfRange {
                    pass.log.record(
                        .dataByteOutOfRange, at: eventStart, track: trackIndex, action: .droppedEvent,
                        "data byte 0x\(hex(bad)) over 127 in message 0x\(hex(status)); message dropped")
                    continue decoding
                }
                pass.log.record(
                    .dataByteOutOfRange, at: eventStart, track: trackIndex, action: .clipped,
                    "data byte 0x\(hex(bad)) over 127 in message 0x\(hex(status)); clipped to 127")
                data1 = min(data1, 127)
                data2 = min(data2, 127)
            }
            store(MIDIEvent(tick: tick, status: status, data1: data1, data2: data2), in: slots, written: &written)
        }
        pass.stop = max(position, start)
        if pass.endOfTrackEnd == nil { pass.track.endOfTrackTick = tick }
    }

    /// A sysex or meta length: a variable-length quantity of at most 4 bytes.
    private func readLength(at start: Int, end: Int, eventStart: Int, pass: inout Pass) -> (Int, Int)? {
        guard let (value, next, length) = readVariableLength(at: start, end: end) else {
            pass.cutOff = true
            pass.log.recordSeparately(
                .truncatedEvent, at: eventStart, track: trackIndex, action: .truncatedTrack,
                "event length cut off by the end of the track data at \(end)")
            return nil
        }
        if length > 4 {
            pass.log.record(
                .overlongVariableLength, at: start, track: trackIndex, action: .clipped,
                "event length of \(length) bytes (at most 4 allowed); its first 4 bytes used")
        }
        return (value, next)
    }

    /// A variable-length quantity: its value (from at most its first 4 bytes, as SMF
    /// allows no more), the offset after it, and how many bytes it took; nil when the
    /// data ends inside it.
    @inline(__always)
    private func readVariableLength(at start: Int, end: Int) -> (value: Int, next: Int, length: Int)? {
        // Most delta times fit in one byte (0–127 ticks): the loop below is for the rest.
        if start < end, bytes[start] < 0x80 { return (Int(bytes[start]), start + 1, 1) }
        var value = 0
        var position = start
        while position < end {
            let byte = bytes[position]
            position += 1
            if position - start <= 4 { value = value << 7 | Int(byte & 0x7F) }
            if byte < 0x80 { return (value, position, position - start) }
        }
        return nil
    }
}

extension FindingLog {
    mutating func append(_ finding: Finding) {
        recordSeparately(
            finding.kind, at: finding.offset, track: finding.track, action: finding.action, finding.message)
        if finding.occurrences > 1 { setLastOccurrences(finding.occurrences) }
    }
}
