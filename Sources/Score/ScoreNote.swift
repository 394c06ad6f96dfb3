/// A note on its way into the score: ticks are at the prepared resolution, and `end` is
/// exclusive.
public struct ScoreNote: Hashable, Sendable {
    public var channel: UInt8
    public var pitch: UInt8
    public var velocity: UInt8
    public var onset: Int
    public var end: Int
    /// Where the player let go, before quantisation moved `end`: legato filling asks how
    /// far the release really was from the next note.
    public var playedEnd: Int

    public init(channel: UInt8, pitch: UInt8, velocity: UInt8, onset: Int, end: Int, playedEnd: Int? = nil) {
        self.channel = channel
        self.pitch = pitch
        self.velocity = velocity
        self.onset = onset
        self.end = end
        self.playedEnd = playedEnd ?? end
    }

    public var duration: Int { end - onset }
}
