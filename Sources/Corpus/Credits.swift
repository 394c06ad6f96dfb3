import MIDIFile

/// Track cleanup moves tempo, meter and key events off the tracks it drops, but not
/// their words. Those words are often credits a corpus must keep: piano-midi.de's pieces
/// carry their CC BY-SA attribution in the copyright event of a conductor track, and
/// name their author in otherwise empty tracks. They move to the first track as well.
enum Credits {
    /// Copyright and text events of `dropped` tracks, and their track names as text
    /// events (a second name would rename the first track), merged into `cleaned`'s first
    /// track, ahead of its own events at the same tick.
    static func carry(from original: MIDIFile, dropped: [Int], into cleaned: inout MIDIFile) {
        guard !cleaned.tracks.isEmpty else { return }
        var words = Track()
        for index in dropped {
            let track = original.tracks[index]
            for event in track.events where event.isMeta {
                switch event.data1 {
                case MetaType.copyright.rawValue, MetaType.text.rawValue:
                    words.append(event, from: track)
                case MetaType.trackName.rawValue where event.payloadCount > 0:
                    words.appendMeta(tick: event.tick, type: MetaType.text.rawValue, payload: track.payload(of: event))
                default:
                    break
                }
            }
        }
        guard !words.events.isEmpty else { return }
        let order = words.events.indices.sorted { (words.events[$0].tick, $0) < (words.events[$1].tick, $1) }
        let first = cleaned.tracks[0]
        var merged = Track(endOfTrackTick: first.endOfTrackTick)
        var next = 0
        for event in first.events {
            while next < order.count && words.events[order[next]].tick <= event.tick {
                merged.append(words.events[order[next]], from: words)
                next += 1
            }
            merged.append(event, from: first)
        }
        for index in order[next...] { merged.append(words.events[index], from: words) }
        merged.endOfTrackTick = max(merged.endOfTrackTick, first.endOfTrackTick)
        cleaned.tracks[0] = merged
    }
}
