import Utilities

/// A quotation moved into an inner voice of a polyphonic track lies in no one line of the
/// query: voice separation by pitch proximity hands its notes to whichever voices lie nearest,
/// between the notes of the host's own voices, and every line holds a fragment broken by
/// foreign notes. What the quotation keeps is its place in time. So once an alignment has
/// matched a fragment (the seeds found it in some line), the source line's rhythm, at the
/// alignment's transposition and tempo ratio (its query span over its source span, as
/// `RarityWeights.quotationNotes` reads a passage's tempo), says where each of the quotation's
/// other notes should sound; the query's notes found there, in any voice or track, are gathered
/// into one line, each matched to the source note it was gathered for. This is the point-set view of polyphonic matching (Ukkonen,
/// Lemström & Mäkinen 2003: the translations that map most of a pattern's notes onto a
/// polyphonic text), restricted to the one time map the fragment fixed.
///
/// Notes gathered this way agree with the source's rhythm because they were chosen by it, and
/// run together in the query only because the source's notes do: neither tells anything. A
/// gathered line is scored by the source's runs and by pitch alone
/// (`RarityWeights.sharedRuns(queryRuns: false)`, `RarityWeights.rescored(rhythmIsEvidence: false)`).
public enum CrossVoiceGathering {
    /// Matched notes that must lie where the alignment's time map puts them before it is
    /// trusted to place the others.
    static let minimumPairs = 4
    /// Source notes either side of the fragment whose places are looked at.
    static let reach = 16
    /// How far (in query beats) a gathered note may lie from where the source's rhythm puts
    /// it: a sixty-fourth of a whole note, the timing of a played performance.
    static let onsetTolerance: Float = 1.0 / 16
    /// Tempo ratios (query over source) an alignment may imply: from four times as fast to
    /// four times as slow.
    static let tempoRatios: ClosedRange<Float> = 0.25...4

    /// A line of notes gathered across a query's voices, and its alignment with the source:
    /// each gathered note matched to the source note it was gathered for, the source notes
    /// found nowhere skipped at their gap cost (what `LocalAlignment` would pay for them).
    public struct Gathered {
        public var notes: [LineNote]
        public var alignment: LocalAlignment
    }

    /// Every note of a piece's lines once, in onset order (highest first among equals): where
    /// gathered notes are looked for. Lines hold every pitched note but those of voices too
    /// short to be lines.
    public static func notes(of piece: ClearancePiece) -> [LineNote] {
        var seen = Set<Place>()
        var notes: [LineNote] = []
        for line in piece.lines {
            for note in line.notes where seen.insert(Place(onsetBeats: note.onsetBeats, pitch: note.pitch)).inserted {
                notes.append(note)
            }
        }
        return notes.sorted { ($0.onsetBeats, $1.pitch) < ($1.onsetBeats, $0.pitch) }
    }

    /// The notes of `everyNote` (sorted by onset, `notes(of:)`) that sound where the
    /// alignment's time map and transposition put the source's notes, from `reach` notes before
    /// its first matched source note to `reach` after its last; nil when the matched notes do not
    /// keep one time map or nothing more than the alignment already matched is found.
    public static func gathered(
        around alignment: LocalAlignment, query: [LineNote], source: [LineNote], everyNote: [LineNote]
    ) -> Gathered? {
        let pairs = alignment.pairs
        guard pairs.count >= minimumPairs, let first = pairs.first, let last = pairs.last else { return nil }
        let sourceSpan = source[last.source].onsetBeats - source[first.source].onsetBeats
        let querySpan = query[last.query].onsetBeats - query[first.query].onsetBeats
        guard sourceSpan > 0, tempoRatios.contains(querySpan / sourceSpan) else { return nil }
        func place(_ index: Int) -> Float {
            query[first.query].onsetBeats
                + querySpan / sourceSpan * (source[index].onsetBeats - source[first.source].onsetBeats)
        }
        let kept = pairs.filter { abs(query[$0.query].onsetBeats - place($0.source)) <= onsetTolerance }.count
        guard kept >= minimumPairs else { return nil }
        let range = max(0, first.source - reach)..<min(source.count, last.source + reach + 1)
        var notes: [LineNote] = []
        var matched: [LocalAlignment.Pair] = []
        var skipped: Float = 0
        for index in range {
            let wanted = Int(source[index].pitch) + alignment.transposition
            let onset = place(index)
            var found: LineNote?
            var candidate = everyNote.partitioningIndex { $0.onsetBeats >= onset - onsetTolerance }
            while candidate < everyNote.count && everyNote[candidate].onsetBeats <= onset + onsetTolerance {
                let note = everyNote[candidate]
                if Int(note.pitch) == wanted
                    && abs(note.onsetBeats - onset) < abs((found?.onsetBeats ?? .infinity) - onset)
                {
                    found = note
                }
                candidate += 1
            }
            guard let found, found.onsetBeats > (notes.last?.onsetBeats ?? -.infinity) else {
                if !matched.isEmpty { skipped += LocalAlignment.gapCost(source, index) }
                continue
            }
            matched.append(
                LocalAlignment.Pair(query: notes.count, source: index, bridge: matched.isEmpty ? 0 : skipped))
            notes.append(found)
            skipped = 0
        }
        guard notes.count > pairs.count else { return nil }
        let score = Float(matched.count) - matched.reduce(0) { $0 + $1.bridge }
        return Gathered(
            notes: notes,
            alignment: LocalAlignment(score: score, pairs: matched, transposition: alignment.transposition))
    }

    private struct Place: Hashable {
        var onsetBeats: Float
        var pitch: UInt8
    }
}
