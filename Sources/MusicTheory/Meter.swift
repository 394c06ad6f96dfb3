import MIDIFile
import Utilities

/// One bar, in ticks: `startTick..<endTick`.
public struct Measure: Hashable, Sendable {
    /// 1 for the first full bar; an opening pickup (anacrusis) is measure 0.
    public var number: Int
    public var startTick: Int
    public var endTick: Int
    public var timeSignature: TimeSignature
    /// False when the bar is shorter than its time signature says: a pickup, or a bar
    /// cut off by a time-signature change that arrived before the bar line.
    public var isComplete: Bool
}

/// Bar lines from the time-signature map, so "measure N" means the piece's N-th bar.
///
/// Files without a time signature are 4/4 (the MIDI default). A change that arrives in
/// the middle of a bar starts a new bar there. An opening bar shorter than the bars that
/// follow it is a pickup, numbered 0: either cut short by the next time signature (4/4,
/// then 4/4 again one beat in) or written in its own short meter (1/4, then 4/4).
public struct Meter: Sendable {
    public var measures: [Measure]

    public static let defaultTimeSignature = TimeSignature(numerator: 4, denominator: 4)

    public init(_ file: MIDIFile) {
        var signatures: [(tick: Int, order: Int, signature: TimeSignature)] = []
        for track in file.tracks {
            for event in track.events where event.isMeta && event.data1 == MetaType.timeSignature.rawValue {
                if let signature = track.timeSignature(of: event) {
                    signatures.append((event.tick, signatures.count, signature))
                }
            }
        }
        signatures.sort { ($0.tick, $0.order) < ($1.tick, $1.order) }
        self.init(
            timeSignatures: signatures.map { ($0.tick, $0.signature) },
            ticksPerQuarter: file.division.ticksPerQuarter,
            endTick: file.tracks.map(\.lastTick).max() ?? 0)
    }

    /// - Parameter pickupTicks: length of an opening pickup bar the time signatures do not
    ///   show (a file in 4/4 whose first bar holds one beat); nil to take bars as written.
    public init(
        timeSignatures: [(tick: Int, signature: TimeSignature)], ticksPerQuarter: Int, endTick: Int,
        pickupTicks: Int? = nil
    ) {
        var changes = timeSignatures.filter { $0.tick >= 0 }
        if changes.first.map({ $0.tick > 0 }) ?? true {
            changes.insert((0, Self.defaultTimeSignature), at: 0)
        }
        func barLength(_ signature: TimeSignature) -> Int {
            max(1, signature.numerator * 4 * max(ticksPerQuarter, 1) / max(signature.denominator, 1))
        }
        var measures: [Measure] = []
        var tick = 0
        var changeIndex = 0
        var signature = changes[0].signature
        let lastTick = max(endTick, 1)
        while tick < lastTick {
            while changeIndex + 1 < changes.count && changes[changeIndex + 1].tick <= tick {
                changeIndex += 1
                signature = changes[changeIndex].signature
            }
            let nextChange = changeIndex + 1 < changes.count ? changes[changeIndex + 1].tick : Int.max
            var length = barLength(signature)
            if measures.isEmpty, let pickup = pickupTicks, pickup > 0, pickup < length { length = pickup }
            let end = min(tick + length, nextChange)
            measures.append(
                Measure(
                    number: measures.count + 1, startTick: tick, endTick: end,
                    timeSignature: signature, isComplete: end - tick == barLength(signature)))
            tick = end
        }
        if measures.count > 1, Self.opensWithPickup(measures, barLength: barLength) {
            for index in measures.indices { measures[index].number -= 1 }
        }
        self.measures = measures
    }

    private static func opensWithPickup(_ measures: [Measure], barLength: (TimeSignature) -> Int) -> Bool {
        let first = measures[0], second = measures[1]
        let firstLength = first.endTick - first.startTick
        return firstLength < barLength(second.timeSignature)
            && (!first.isComplete || first.timeSignature != second.timeSignature)
    }

    /// Index into `measures` of the bar holding `tick` (the last bar for ticks past the end).
    public func measureIndex(atTick tick: Int) -> Int {
        measures.lastIndex(atMost: tick, by: \.startTick)
    }
}
