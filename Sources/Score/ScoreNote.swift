/// A note on its way into the prepared file: ticks are at the prepared file's
/// resolution, and `end` is exclusive.
public struct ScoreNote: Hashable, Sendable {
    public var channel: UInt8
    public var pitch: UInt8
    public var velocity: UInt8
    public var onset: Int
    public var end: Int

    public init(channel: UInt8, pitch: UInt8, velocity: UInt8, onset: Int, end: Int) {
        self.channel = channel
        self.pitch = pitch
        self.velocity = velocity
        self.onset = onset
        self.end = end
    }

    public var duration: Int { end - onset }
}
