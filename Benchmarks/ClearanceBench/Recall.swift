import Clearance
import Foundation
import Generation

/// The planted-copy benchmark (README "Clearance", recall table). A *pair* is a host piece and
/// a source piece of another work; its score is the best passage the host shares with the
/// source alone (every other catalogue piece left out). The false-positive side is a pool of
/// unplanted pairs, drawn the same way as the planted trials and independent of them: the
/// threshold is the score that at most 1 % of that pool exceeds, so with hundreds of pairs
/// "1 %" rests on several pairs rather than on the largest of a handful. Each trial plants a
/// quote from the source into the host under every transformation and counts it caught when
/// the planted pair scores above the threshold.
struct RecallBench {
    var corpus: [CorpusPiece]
    var idByPath: [String: IndexedPiece]
    var baseline: Baseline
    var trials: Int
    var unplantedPairs: Int
    var lengths: [Int]
    var quotes: QuoteKind
    var shortPath: (String) -> String
    var settings = MatchSettings()

    /// The largest share of unplanted pairs allowed above the threshold.
    static let falsePositiveRate = 0.01

    struct Pair {
        var host: CorpusPiece
        var source: CorpusPiece
        var hostIndexed: IndexedPiece
        /// The index as this pair sees it: the source's places only.
        var catalogue: PairCatalogue
    }

    /// One planted piece's outcome.
    struct Outcome {
        var score: Float
        /// Some line of the planted piece holds at least three quarters of the quote's notes.
        var inLine: Bool
        /// The best alignment with the source holds at least half the quote's notes.
        var found: Bool
        var verdict: Verdict
        /// What the quote is made of (`QuoteMaterial`): the same for every transformation of a trial.
        var material: QuoteMaterial
    }

    func run(reader: IndexReader, random: inout SeededRandom) throws {
        let sources = corpus.filter { ($0.piece.lines.first?.notes.count ?? 0) >= 64 }

        emit("## Planted copies: recall at a false-positive rate of 1 %\n")
        var unplanted: [(score: Float, pair: Pair, shared: Int)] = []
        while unplanted.count < unplantedPairs {
            guard let pair = try drawPair(sources: sources, reader: reader, random: &random) else { continue }
            let match = try pairMatch(pair.host.piece, pair: pair)
            unplanted.append((match?.score ?? 0, pair, match?.alignment.sharedNotes ?? 0))
        }
        let unplantedScores = unplanted.map(\.score).sorted()
        let allowed = Int(Self.falsePositiveRate * Double(unplantedScores.count))
        let threshold = unplantedScores[unplantedScores.count - 1 - allowed]
        let falsePositives = unplantedScores.filter { $0 > threshold }.count

        var outcomes: [Int: [QuoteTransformation: [Outcome]]] = [:]
        for length in lengths {
            var trial = 0
            while trial < trials {
                guard let pair = try drawPair(sources: sources, reader: reader, random: &random),
                    let quoted = quote(from: pair.source, length: length, random: &random),
                    let hostEnd = pair.host.notes.map(\.note.onsetBeats).max(), hostEnd > 8
                else { continue }
                trial += 1
                let beat = Float.random(in: 0..<(hostEnd - 4), using: &random).rounded()
                let semitones = [-6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6].randomElement(using: &random)!
                let material = QuoteMaterial(quoted.map(\.pitch))
                for transformation in QuoteTransformation.allCases {
                    let outcome = try plantedOutcome(
                        quoted, transformation: transformation, semitones: semitones, beat: beat, pair: pair,
                        material: material)
                    outcomes[length, default: [:]][transformation, default: []].append(outcome)
                }
            }
        }

        emit(
            "Each trial plants a quote (a run of the source's top voice with at least four different pitches) "
                + "from one corpus piece into a piece of another work, and scores the planted piece against the "
                + "quote's source alone, in the index less the host (a checked piece is not in the catalogue). "
                + "The false-positive side is \(unplantedScores.count) unplanted pairs drawn "
                + "the same way. Threshold: \(format(Double(threshold), 2)) (at most 1 % of unplanted pairs above "
                + "it); achieved false-positive rate \(percent(falsePositives, unplantedScores.count, 2)) "
                + "(\(falsePositives) of \(unplantedScores.count), 95 % interval "
                + "\(interval(falsePositives, unplantedScores.count))). \(trials) trials per cell; each cell is "
                + "recall with its 95 % Wilson interval.\n")
        let lengthColumns = lengths.map { "\($0) notes" }
        emitTable(columns: lengthColumns) { transformation in
            lengths.map { length -> String in
                let cell = outcomes[length]?[transformation] ?? []
                let caught = cell.filter { $0.score > threshold }.count
                return "\(percent(caught, cell.count)) (\(interval(caught, cell.count)))"
            }
        }
        let spread = [0.5, 0.9, 0.99, 0.999].map { share in
            "\(format(100 * share, 1))th \(format(Double(quantile(unplantedScores, share)), 2))"
        }
        emit("\nUnplanted pair scores: " + spread.joined(separator: ", ") + ".")
        emit("The unplanted pairs above the threshold (are they related works?):\n")
        emit("| host | source | score | shared notes |")
        emit("|---|---|---:|---:|")
        for entry in unplanted.sorted(by: { $0.score > $1.score }).prefix(max(falsePositives, 5)) {
            emit(
                "| \(shortPath(entry.pair.host.path)) | \(shortPath(entry.pair.source.path)) "
                    + "| \(format(Double(entry.score), 2)) | \(entry.shared) |")
        }

        emit(
            "\nWhere quotes are lost (line / found / caught): a line of the planted piece holds ≥ 75 % of the quote's "
                + "notes; the best alignment with the source holds ≥ half of them; the score is above the "
                + "threshold. Line lost: line extraction; found lost: seeds or alignment; caught lost: scoring.\n")
        emitTable(columns: lengthColumns) { transformation in
            lengths.map { length -> String in
                let cell = outcomes[length]?[transformation] ?? []
                return [
                    cell.filter(\.inLine).count, cell.filter(\.found).count,
                    cell.filter { $0.score > threshold }.count,
                ].map { percent($0, cell.count) }.joined(separator: " / ")
            }
        }
        emit(
            "\nShare of planted pieces whose verdict against the index's baseline (best match per catalogue piece) "
                + "is review or copy:\n")
        emitTable(columns: lengthColumns) { transformation in
            lengths.map { length -> String in
                let cell = outcomes[length]?[transformation] ?? []
                return percent(cell.filter { $0.verdict != .clear }.count, cell.count)
            }
        }
        emit(
            "\nRecall by what the quote is made of (same draw, same threshold): a *tune* quote's every "
                + "\(LegatoPaths.notesPerPath) notes in a row pass the tune test that paths through a query's notes must pass (\(LegatoPaths.tuneTest)); "
                + "a *figure* quote's none do (scale runs, broken chords, pedal and repeated-note figures: material "
                + "the check weighs little because unrelated pieces share it); *mixed* the rest. Caught (trials).\n")
        let materialColumns = lengths.flatMap { length in
            QuoteMaterial.allCases.map { "\(length) notes, \($0.rawValue)" }
        }
        emitTable(columns: materialColumns) { transformation in
            lengths.flatMap { length in
                QuoteMaterial.allCases.map { material -> String in
                    let cell = (outcomes[length]?[transformation] ?? []).filter { $0.material == material }
                    let caught = cell.filter { $0.score > threshold }.count
                    return "\(percent(caught, cell.count)) (\(cell.count))"
                }
            }
        }
        let twelve = outcomes[12] ?? [:]
        let missed = QuoteTransformation.allCases.filter { $0 != .combined }.filter { transformation in
            let cell = twelve[transformation] ?? []
            return cell.isEmpty || Double(cell.filter { $0.score > threshold }.count) < 0.95 * Double(cell.count)
        }
        emit(
            "\n12-note target (recall ≥ 95 % under every single transformation): "
                + (twelve.isEmpty
                    ? "not measured"
                    : missed.isEmpty
                        ? "met"
                        : "missed for "
                            + missed.map(\.rawValue).joined(
                                separator: ", ")) + ".\n")
    }

    /// A Markdown table with a row per transformation: `cells` gives a row's cells, one per column.
    func emitTable(columns: [String], cells: (QuoteTransformation) -> [String]) {
        emit("| transformation |" + columns.map { " \($0) |" }.joined())
        emit("|---|" + String(repeating: "---:|", count: columns.count))
        for transformation in QuoteTransformation.allCases {
            emit("| \(transformation.rawValue) | " + cells(transformation).joined(separator: " | ") + " |")
        }
    }

    /// A host and a source of different works (names and notes differ), the source long enough to quote from.
    func drawPair(sources: [CorpusPiece], reader: IndexReader, random: inout SeededRandom) throws -> Pair? {
        let source = sources.randomElement(using: &random)!
        guard let host = corpus.randomElement(using: &random), let hostIndexed = idByPath[host.path],
            let sourceIndexed = idByPath[source.path], hostIndexed.workKey != sourceIndexed.workKey,
            hostIndexed.contentKey != sourceIndexed.contentKey
        else { return nil }
        return Pair(
            host: host, source: source, hostIndexed: hostIndexed,
            catalogue: PairCatalogue(reader: reader, source: try reader.piece(sourceIndexed.id), host: host.piece))
    }

    /// The best passage `query` shares with the pair's source, every other catalogue piece left
    /// out (`PairCatalogue`).
    func pairMatch(_ query: ClearancePiece, pair: Pair) throws -> PieceMatch? {
        try Matcher.matches(for: query, in: pair.catalogue, settings: settings).first
    }

    /// A quote of `length` notes from the source's top voice with at least four different
    /// pitches; a melodic one (`QuoteKind.melodic`) also reads as one tune.
    func quote(from source: CorpusPiece, length: Int, random: inout SeededRandom) -> [LineNote]? {
        let line = source.piece.lines[0].notes
        for _ in 0..<20 {
            let start = Int.random(in: 0..<(line.count - length), using: &random)
            let notes = Array(line[start..<(start + length)])
            guard Set(notes.map(\.pitch)).count >= 4, quotes == .skyline || QuoteKind.isMelodic(notes) else { continue }
            let first = notes[0].onsetBeats
            return notes.map {
                LineNote(onsetBeats: $0.onsetBeats - first, durationBeats: $0.durationBeats, pitch: $0.pitch)
            }
        }
        return nil
    }

    func plantedOutcome(
        _ quoted: [LineNote], transformation: QuoteTransformation, semitones: Int, beat: Float, pair: Pair,
        material: QuoteMaterial
    ) throws -> Outcome {
        let notes = transformation.plant(quoted, semitones: semitones, into: pair.host.notes, atBeat: beat)
        let query = ClearancePiece(
            lines: LineExtraction.lines(ofTrackNotes: notes), barStartBeats: pair.host.piece.barStartBeats,
            firstBarNumber: pair.host.piece.firstBarNumber)
        let planted = transformation.plantedNotes(quoted, semitones: semitones, atBeat: beat)
        let plantedPlaces = Set(planted.map { NotePlace($0) })
        let inLine = query.lines.contains { line in
            4 * line.notes.filter { plantedPlaces.contains(NotePlace($0)) }.count >= 3 * planted.count
        }
        let match = try pairMatch(query, pair: pair)
        var found = false
        if let match {
            let line = match.queryLine.notes
            let onQuote = match.alignment.pairs.filter { plantedPlaces.contains(NotePlace(line[$0.query])) }.count
            found = 2 * onQuote >= quoted.count
        }
        let score = match?.score ?? 0
        return Outcome(
            score: score, inLine: inLine, found: found,
            verdict: VerdictThresholds().verdict(percentile: baseline.percentile(of: score)), material: material)
    }
}

/// The catalogue as one pair sees it: the whole index less the host (a checked piece, like a
/// generated one, is not in the catalogue it is checked against), with places from the source
/// piece alone. `Matcher` then finds what it would find in that catalogue with every piece but
/// the source excluded, without reading every other piece's postings.
struct PairCatalogue: SeedCatalogue {
    let reader: IndexReader
    let source: IndexedPiece
    let places: MemoryCatalogue
    /// The seeds the host holds: each counts one piece fewer once the host is left out.
    let hostSeeds: Set<SeedKey>

    init(reader: IndexReader, source: IndexedPiece, host: ClearancePiece) {
        self.reader = reader
        self.source = source
        var places = MemoryCatalogue()
        places.add(path: source.path, piece: source.piece)
        self.places = places
        hostSeeds = Set(host.lines.flatMap { Seeds.seeds(of: $0.pitches).map(\.key) })
    }

    var pieceCount: Int { reader.pieceCount - 1 }

    /// The index's counts (less the host's), with the source's places under the source's id.
    func postingTable(of seeds: [SeedKey], limit: Int) throws -> PostingTable {
        let counted = try reader.postingTable(of: seeds, limit: 0)
        let own = places.postingTable(of: seeds, limit: .max)
        var table = PostingTable()
        for (index, seed) in seeds.enumerated() {
            let pieces = max(0, counted.pieces[index] - (hostSeeds.contains(seed) ? 1 : 0))
            let start = table.postings.count
            if pieces <= limit {
                for place in own.postings[own.ranges[index]] {
                    table.postings.append(UInt64(source.id) << 32 | (place & 0xFFFF_FFFF))
                }
            }
            table.pieces.append(pieces)
            table.ranges.append(start..<table.postings.count)
        }
        return table
    }

    func piece(_ id: Int64) -> IndexedPiece { source }

    func identity(of id: Int64) -> PieceIdentity { source.identity }

    func pieceIDs() -> [Int64] { [source.id] }
}

/// A note's onset and pitch: what identifies a planted note among a line's notes.
struct NotePlace: Hashable {
    var onset: Int
    var pitch: UInt8

    init(_ note: LineNote) {
        onset = Int((note.onsetBeats * 960).rounded())
        pitch = note.pitch
    }
}

func quantile(_ sorted: [Float], _ share: Double) -> Float {
    sorted[min(sorted.count - 1, Int(share * Double(sorted.count)))]
}

func percent(_ count: Int, _ total: Int, _ digits: Int = 0) -> String {
    format(100 * Double(count) / Double(max(total, 1)), digits) + " %"
}

/// The 95 % Wilson score interval of a proportion, in percent: honest at 0 % and 100 %.
func interval(_ count: Int, _ total: Int) -> String {
    guard total > 0 else { return "–" }
    let z = 1.96, n = Double(total), share = Double(count) / n
    let centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    let half = z / (1 + z * z / n) * (share * (1 - share) / n + z * z / (4 * n * n)).squareRoot()
    return "\(format(100 * max(0, centre - half), 0))–\(format(100 * min(1, centre + half), 0)) %"
}

/// Which runs of a source's top voice the benchmark quotes.
enum QuoteKind: String {
    /// Runs a listener hears as one tune: no leap wider than an octave and no two notes closer
    /// than a thirty-second note. The top voice of a piano piece drops to the left hand whenever
    /// the right rests, and a performance's rolled chords put notes a few hundredths of a beat
    /// apart; a run across those (38, 60, 53, 38, 22 …) is no melody anyone would quote.
    case melodic
    /// Any run of the top voice (sessions 6–13).
    case skyline

    static let widestLeap = 12
    static let closestOnsets: Float = 1.0 / 8

    static func isMelodic(_ notes: [LineNote]) -> Bool {
        zip(notes, notes.dropFirst()).allSatisfy { before, after in
            abs(Int(after.pitch) - Int(before.pitch)) <= widestLeap
                && after.onsetBeats - before.onsetBeats >= closestOnsets
        }
    }
}

/// What a planted quote is made of, read by the tune test that paths through a query's notes
/// pass (`LegatoPaths.isTuneLike`) over each of its runs of 8 notes.
enum QuoteMaterial: String, CaseIterable {
    /// Every run of 8 notes reads as a tune.
    case tune
    /// Some runs do, some do not.
    case mixed
    /// None does: scale runs, broken chords, pedal and repeated-note figures.
    case figure

    /// A quote shorter than a run (`--lengths` below 8) is read whole.
    init(_ pitches: [UInt8]) {
        let run = min(pitches.count, LegatoPaths.notesPerPath)
        let runs = (0...(pitches.count - run)).map { LegatoPaths.isTuneLike(Array(pitches[$0..<($0 + run)])) }
        self = runs.allSatisfy { $0 } ? .tune : runs.contains(true) ? .mixed : .figure
    }
}
