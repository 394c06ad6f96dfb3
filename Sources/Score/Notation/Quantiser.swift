/// Snaps notes to their bars' grids so the notation shows the rhythm the music means.
public enum Quantiser {
    /// Onsets go to the nearest point of their bar's grid and ends to that of the bar
    /// they close; a note never shrinks below one step. Two notes of one key that land
    /// on the same onset merge (the longer, louder one survives), and a note is cut
    /// where the next note of its key starts, because a staff cannot hold one key twice
    /// at once. `playedEnd` keeps the unquantised release.
    public static func quantise(_ notes: [ScoreNote], bars: BarGrids) -> [ScoreNote] {
        var byKey: [UInt8: [ScoreNote]] = [:]
        for note in notes {
            var snapped = note
            snapped.playedEnd = note.end
            snapped.onset = bars.snapOnset(note.onset)
            snapped.end = max(bars.snapEnd(note.end), snapped.onset + bars.step(atTick: snapped.onset))
            byKey[note.pitch, default: []].append(snapped)
        }
        var result: [ScoreNote] = []
        result.reserveCapacity(notes.count)
        for var sameKey in byKey.values {
            sameKey.sort { $0.onset < $1.onset }
            var merged: [ScoreNote] = []
            for note in sameKey {
                if let last = merged.last, last.onset == note.onset {
                    merged[merged.count - 1].end = max(last.end, note.end)
                    merged[merged.count - 1].playedEnd = max(last.playedEnd, note.playedEnd)
                    merged[merged.count - 1].velocity = max(last.velocity, note.velocity)
                } else {
                    merged.append(note)
                }
            }
            for index in merged.indices.dropLast() where merged[index].end > merged[index + 1].onset {
                merged[index].end = merged[index + 1].onset
                merged[index].playedEnd = min(merged[index].playedEnd, merged[index + 1].onset)
            }
            result += merged
        }
        result.sort { ($0.onset, $0.pitch) < ($1.onset, $1.pitch) }
        return result
    }
}
