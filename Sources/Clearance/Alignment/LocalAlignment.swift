import Foundation

/// Note-by-note comparison of two passages once a seed says where they may meet: a local
/// alignment (Smith–Waterman) of their pitches under one transposition. Two notes match
/// when the second, transposed, is the first, and earn 1; a note either side may be skipped
/// (an inserted passing note or ornament) at a cost. The alignment decides *which* notes the
/// passages share; what sharing them is worth — how rare the shared runs are, whether they
/// keep one rhythm — is decided afterwards (`RarityWeights.rescored`). A passage never runs
/// across more than `wallBeats` between two notes of either line: there it ends, and another
/// may begin.
public struct LocalAlignment: Hashable, Sendable {
    public struct Pair: Hashable, Sendable {
        public var query: Int
        public var source: Int
        /// What the alignment paid between the previous pair and this one (differing and
        /// skipped notes), 0 for the first pair.
        public var bridge: Float = 0
    }

    public var score: Float
    /// Matched notes in order, as indices into the two lines.
    public var pairs: [Pair]
    /// Semitones added to the source to reach the query.
    public var transposition: Int

    public var sharedNotes: Int { pairs.count }

    public static let mismatchPenalty: Float = 1
    public static let gapPenalty: Float = 0.5
    /// Skipping a note that lies between its neighbours in pitch (a passing note, or a
    /// repeated one) costs less: that is what an ornamented or filled-in quotation adds.
    public static let passingGapPenalty: Float = 0.2
    /// Beats between two notes of a line (onset to onset) that no passage runs across: two bars
    /// of 4/4. A voice a tune was moved into plays on before and after it, and one that rests
    /// for bars keeps its place; pitch alone would carry an alignment from the tune into notes
    /// that voice plays far away, which match the source's somewhere by chance, and the passage's
    /// tempo, read from its ends (`RarityWeights.quotationNotes`), would then be nothing like
    /// the tune's. A quotation keeps its notes together.
    public static let wallBeats: Float = 8

    /// The best-scoring shared passage of `query[queryRange]` and `source[sourceRange]`, or
    /// nil when no note matches. Its score counts 1 a matched note.
    public static func align(
        query: [LineNote], _ queryRange: Range<Int>, source: [LineNote], _ sourceRange: Range<Int>,
        transposition: Int
    ) -> LocalAlignment? {
        guard !queryRange.isEmpty, !sourceRange.isEmpty else { return nil }
        let table = filled(
            query: query, queryRange, source: source, sourceRange, transposition: transposition)
        return tracedBack(table, query: query, queryRange, source: source, sourceRange, transposition: transposition)
    }

    /// `align` filling its table cell by cell through the lines' notes: the reference the
    /// fast fill is tested against.
    static func alignCellByCell(
        query: [LineNote], _ queryRange: Range<Int>, source: [LineNote], _ sourceRange: Range<Int>,
        transposition: Int
    ) -> LocalAlignment? {
        let rows = queryRange.count, columns = sourceRange.count
        guard rows > 0, columns > 0 else { return nil }
        let width = columns + 1
        var scores = [Float](repeating: 0, count: (rows + 1) * width)  // [(rows + 1) * (columns + 1)]
        // 0: start here, 1: diagonal, 2: skip a query note, 3: skip a source note, 4: a pair that
        // starts the passage (past a wall).
        var moves = [UInt8](repeating: 0, count: (rows + 1) * width)  // [(rows + 1) * (columns + 1)]
        var best: (score: Float, cell: Int) = (0, 0)
        let queryGaps = queryRange.map { gapCost(query, $0) }  // [rows]
        let sourceGaps = sourceRange.map { gapCost(source, $0) }  // [columns]
        let queryWalls = walls(query, queryRange)  // [rows]
        let sourceWalls = walls(source, sourceRange)  // [columns]
        for row in 1...rows {
            let i = queryRange.lowerBound + row - 1
            let queryPitch = Int(query[i].pitch)
            for column in 1...columns {
                let j = sourceRange.lowerBound + column - 1
                let cell = row * width + column
                let walled = queryWalls[row - 1] || sourceWalls[column - 1]
                let reached: Float = walled ? 0 : scores[cell - width - 1]
                let diagonal: Float
                if queryPitch - Int(source[j].pitch) == transposition {
                    diagonal = reached + 1
                } else {
                    diagonal = reached - mismatchPenalty
                }
                let (value, move) = chosen(
                    diagonal: diagonal,
                    skipQuery: queryWalls[row - 1] ? -.infinity : scores[cell - width] - queryGaps[row - 1],
                    skipSource: sourceWalls[column - 1] ? -.infinity : scores[cell - 1] - sourceGaps[column - 1],
                    diagonalStarts: walled)
                scores[cell] = value
                moves[cell] = move
                if value > best.score { best = (value, cell) }
            }
        }
        return tracedBack(
            Table(scores: scores, moves: moves, best: best, width: width), query: query, queryRange, source: source,
            sourceRange, transposition: transposition)
    }

    /// A cell's score and move from its three ways in, or a fresh start (0) when none scores:
    /// ties go to the diagonal, then to skipping a query note, as both fillers must agree.
    /// `diagonalStarts`: the diagonal crosses a wall, so a pair taken there starts the passage.
    @inline(__always)
    static func chosen(
        diagonal: Float, skipQuery: Float, skipSource: Float, diagonalStarts: Bool
    ) -> (value: Float, move: UInt8) {
        var value: Float = 0, move: UInt8 = 0
        if diagonal > value { (value, move) = (diagonal, diagonalStarts ? 4 : 1) }
        if skipQuery > value { (value, move) = (skipQuery, 2) }
        if skipSource > value { (value, move) = (skipSource, 3) }
        return (value, move)
    }

    /// A filled alignment table.
    struct Table {
        var scores: [Float]  // [(rows + 1) * (columns + 1)]
        /// 0: start here, 1: diagonal, 2: skip a query note, 3: skip a source note, 4: a pair
        /// that starts the passage.
        var moves: [UInt8]  // [(rows + 1) * (columns + 1)]
        var best: (score: Float, cell: Int)
        var width: Int
    }

    /// The table of `align`, row by row over flat copies of what a cell reads: the source's
    /// pitches moved by the transposition (a match is then an equal pitch) and the gap costs,
    /// with the cell to the left kept in a register. The same sums in the same order as
    /// `alignCellByCell`, so the same scores to the bit.
    static func filled(
        query: [LineNote], _ queryRange: Range<Int>, source: [LineNote], _ sourceRange: Range<Int>,
        transposition: Int
    ) -> Table {
        let rows = queryRange.count, columns = sourceRange.count
        let width = columns + 1
        var scores = [Float](repeating: 0, count: (rows + 1) * width)  // [(rows + 1) * (columns + 1)]
        var moves = [UInt8](repeating: 0, count: (rows + 1) * width)  // [(rows + 1) * (columns + 1)]
        var best: (score: Float, cell: Int) = (0, 0)
        let queryGaps = queryRange.map { gapCost(query, $0) }  // [rows]
        let sourceGaps = sourceRange.map { gapCost(source, $0) }  // [columns]
        let queryWalls = walls(query, queryRange)  // [rows]
        let sourceWalls = walls(source, sourceRange)  // [columns]
        let moved = sourceRange.map { Int(source[$0].pitch) + transposition }  // [columns]
        scores.withUnsafeMutableBufferPointer { scores in
            moves.withUnsafeMutableBufferPointer { moves in
                for row in 1...rows {
                    let queryPitch = Int(query[queryRange.lowerBound + row - 1].pitch)
                    let queryGap = queryGaps[row - 1], rowWalled = queryWalls[row - 1]
                    let above = (row - 1) * width, here = row * width
                    var left: Float = 0
                    for column in 1...columns {
                        let walled = rowWalled || sourceWalls[column - 1]
                        let reached: Float = walled ? 0 : scores[above + column - 1]
                        let diagonal = moved[column - 1] == queryPitch ? reached + 1 : reached - mismatchPenalty
                        let (value, move) = chosen(
                            diagonal: diagonal, skipQuery: rowWalled ? -.infinity : scores[above + column] - queryGap,
                            skipSource: sourceWalls[column - 1] ? -.infinity : left - sourceGaps[column - 1],
                            diagonalStarts: walled)
                        scores[here + column] = value
                        moves[here + column] = move
                        if value > best.score { best = (value, here + column) }
                        left = value
                    }
                }
            }
        }
        return Table(scores: scores, moves: moves, best: best, width: width)
    }

    /// The alignment a filled table holds: walked back from its best cell. Nil when no cell scores.
    private static func tracedBack(
        _ table: Table, query: [LineNote], _ queryRange: Range<Int>, source: [LineNote], _ sourceRange: Range<Int>,
        transposition: Int
    ) -> LocalAlignment? {
        let (scores, moves, best, width) = (table.scores, table.moves, table.best, table.width)
        guard best.score > 0 else { return nil }
        // Walk back from the best cell, noting each matched pair and the score reached there.
        var matched: [(pair: Pair, reached: Float)] = []
        var cell = best.cell
        while scores[cell] > 0 {
            let row = cell / width, column = cell % width
            switch moves[cell] {
            case 1:
                let i = queryRange.lowerBound + row - 1, j = sourceRange.lowerBound + column - 1
                if Int(query[i].pitch) - Int(source[j].pitch) == transposition {
                    matched.append((Pair(query: i, source: j), scores[cell]))
                }
                cell -= width + 1
            case 4:
                let i = queryRange.lowerBound + row - 1, j = sourceRange.lowerBound + column - 1
                matched.append((Pair(query: i, source: j), scores[cell]))
                cell = 0
            case 2: cell -= width
            case 3: cell -= 1
            default: cell = 0
            }
        }
        matched.reverse()
        var pairs: [Pair] = []
        var previous: Float = 0
        for (pair, reached) in matched {
            var pair = pair
            pair.bridge = pairs.isEmpty ? 0 : max(0, previous - (reached - 1))
            pairs.append(pair)
            previous = reached
        }
        return LocalAlignment(score: best.score, pairs: pairs, transposition: transposition)
    }

    /// [range] whether a wall (`wallBeats`) lies between each note of `line[range]` and the one
    /// before it; never before the range's first note, which nothing in the table precedes.
    static func walls(_ line: [LineNote], _ range: Range<Int>) -> [Bool] {
        range.map { $0 > range.lowerBound && line[$0].onsetBeats - line[$0 - 1].onsetBeats > wallBeats }
    }

    /// What skipping note `i` of a line costs: `passingGapPenalty` when its pitch lies
    /// between (or on) its neighbours', else `gapPenalty`.
    static func gapCost(_ line: [LineNote], _ i: Int) -> Float {
        guard i > 0, i + 1 < line.count else { return gapPenalty }
        let before = line[i - 1].pitch, after = line[i + 1].pitch
        return (min(before, after)...max(before, after)).contains(line[i].pitch) ? passingGapPenalty : gapPenalty
    }
}
