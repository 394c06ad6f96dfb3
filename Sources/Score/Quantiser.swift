import MusicTheory

/// Snaps notes to a grid so that MuseScore writes the rhythm the music means.
public enum Quantiser {
    /// Onsets and ends go to the nearest grid point; a note never shrinks below one
    /// step. Two notes of one key that land on the same onset merge (the longer, louder
    /// one survives), and a note is cut where the next note of its key starts, because a
    /// staff cannot hold one key twice at once.
    public static func quantise(_ notes: [ScoreNote], grid: Grid, ticksPerQuarter: Int) -> [ScoreNote] {
        quantise(notes, grid: BeatGrid(uniform: grid, ticksPerQuarter: ticksPerQuarter))
    }

    public static func quantise(_ notes: [ScoreNote], grid: BeatGrid) -> [ScoreNote] {
        var byKey: [Int: [ScoreNote]] = [:]
        for note in notes {
            var snapped = note
            snapped.onset = grid.snap(note.onset)
            snapped.end = max(grid.snap(note.end), snapped.onset + grid.step(atTick: snapped.onset))
            byKey[Int(note.channel) << 7 | Int(note.pitch & 0x7F), default: []].append(snapped)
        }
        var result: [ScoreNote] = []
        result.reserveCapacity(notes.count)
        for var sameKey in byKey.values {
            sameKey.sort { $0.onset < $1.onset }
            var merged: [ScoreNote] = []
            for note in sameKey {
                if let last = merged.last, last.onset == note.onset {
                    merged[merged.count - 1].end = max(last.end, note.end)
                    merged[merged.count - 1].velocity = max(last.velocity, note.velocity)
                } else {
                    merged.append(note)
                }
            }
            for index in merged.indices.dropLast() where merged[index].end > merged[index + 1].onset {
                merged[index].end = merged[index + 1].onset
            }
            result += merged
        }
        result.sort { ($0.onset, $0.channel, $0.pitch) < ($1.onset, $1.channel, $1.pitch) }
        return result
    }
}
