public struct ReadOptions: Hashable, Sendable {
    /// What to do with a channel message whose data byte is over 127.
    public enum OutOfRangeDataBytes: String, Hashable, Sendable, CaseIterable {
        /// Keep the message with the byte set to 127 (as mido's `clip=True`).
        case clip
        /// Leave the whole message out.
        case drop
    }

    public var outOfRangeDataBytes: OutOfRangeDataBytes

    public init(outOfRangeDataBytes: OutOfRangeDataBytes = .clip) {
        self.outOfRangeDataBytes = outOfRangeDataBytes
    }
}

/// A file recovered from its bytes, and everything that was wrong with them.
public struct ReadResult: Sendable {
    public var file: MIDIFile
    public var findings: [Finding]
}
