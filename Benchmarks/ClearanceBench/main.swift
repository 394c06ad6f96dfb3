import Clearance
import Foundation
import Generation
import MIDIFile
import MusicTheory
import Utilities

/// `make bench-clearance`: the evidence for the clearance check, printed as the README's tables.
///
///     ClearanceBench CORPUS [--trials N] [--unplanted N] [--synthetic N] [--work DIR]
///         [--lengths 8,12,16] [--sections recall,same-work,speed] [--baseline-sample N] [--reuse-index]
///         [--path-candidates N]
///         [--quotes melodic|skyline]
///
/// 1. Indexes CORPUS's jazz/, classical/ and generated/ folders (index build speed, size).
/// 2. Planted copies (`RecallBench`): quotes of 8, 12 and 16 notes from one piece planted
///    into a piece of another work under each transformation; recall at a false-positive rate
///    of 1 % on a pool of unplanted pairs (`--unplanted`, 1,000 by default).
/// 3. Same work, other transcription: the catalogue's pairs whose best match would be a copy.
/// 4. Check time of a 3-minute piece as synthetic pieces grow the index to 1k, 10k, 100k (up to N).
struct Arguments {
    var corpus = "../shared/corpus"
    var trials = 100
    var unplanted = 1_000
    var synthetic = 10_000
    var work = NSTemporaryDirectory() + "clearance-bench"
    var lengths = [8, 12, 16]
    var sections: Set<String> = ["recall", "same-work", "speed"]
    var baselineSample = Calibration.defaultSample
    var reuseIndex = false
    var quotes = QuoteKind.melodic
    /// `MatchSettings.pathCandidates` for every check the benchmark makes (the baseline, when this
    /// run measures one; recall; same work; speed); 0 measures matching without paths through the
    /// query's notes.
    var pathCandidates = MatchSettings().pathCandidates

    init() {
        var list = Array(CommandLine.arguments.dropFirst())
        while !list.isEmpty {
            let argument = list.removeFirst()
            switch argument {
            case "--trials": trials = Int(list.removeFirst()) ?? trials
            case "--unplanted": unplanted = Int(list.removeFirst()) ?? unplanted
            case "--synthetic": synthetic = Int(list.removeFirst()) ?? synthetic
            case "--work": work = list.removeFirst()
            case "--lengths": lengths = list.removeFirst().split(separator: ",").compactMap { Int($0) }
            case "--sections": sections = Set(list.removeFirst().split(separator: ",").map(String.init))
            case "--baseline-sample": baselineSample = Int(list.removeFirst()) ?? baselineSample
            case "--reuse-index": reuseIndex = true
            case "--quotes": quotes = QuoteKind(rawValue: list.removeFirst()) ?? quotes
            case "--path-candidates": pathCandidates = Int(list.removeFirst()) ?? pathCandidates
            default: corpus = argument
            }
        }
    }
}

/// A corpus piece kept whole for planting: its pitched notes by track, and its lines.
struct CorpusPiece {
    var path: String
    var notes: [TrackNote]
    var piece: ClearancePiece
    var seconds: Double
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

/// Prints and flushes, so lines appear as they are measured even when the output goes to a file.
func emit(_ line: String) {
    print(line)
    fflush(nil)
}

func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

let arguments = Arguments()
/// Every check the benchmark makes: the defaults, with `--path-candidates`.
var matchSettings = MatchSettings()
matchSettings.pathCandidates = arguments.pathCandidates
let folders = ["jazz", "classical", "generated"].map { (arguments.corpus as NSString).appendingPathComponent($0) }
guard folders.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else {
    emit("\(arguments.corpus): no jazz/, classical/ and generated/ folders; give the corpus folder")
    exit(1)
}
let files = try InputFiles.midiFiles(in: folders)
if !arguments.reuseIndex { try? FileManager.default.removeItem(atPath: arguments.work) }
let indexFolder = (arguments.work as NSString).appendingPathComponent("corpus-index")

/// CPU seconds (user + system) this process has used so far, all threads.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// The 1-minute load average, as `uptime` prints it.
func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").first.map(
        String.init)
        ?? "?"
}

// 1. Index build, then the baseline, timed apart.
let cores = Parallel.cores
var summary: IndexSummary?
let loadBefore = loadAverage()
let cpuBeforeBuild = cpuSeconds()
let buildSeconds = try seconds {
    summary = try Indexer.run(
        files.map { IndexInput(file: $0, name: $0) }, into: indexFolder, jobs: cores, measureBaseline: false)
}
let buildCPU = cpuSeconds() - cpuBeforeBuild
let loadAfter = loadAverage()
guard let summary else { exit(1) }
let writable = try ClearanceIndex.openForWriting(folder: indexFolder)
var baselineSeconds = 0.0, baselineCPU = 0.0
if (try? writable.baseline()) == nil {
    let cpuBefore = cpuSeconds()
    baselineSeconds = try seconds {
        try writable.saveBaseline(
            try Calibration.measure(writable, sample: arguments.baselineSample, jobs: cores, settings: matchSettings))
    }
    baselineCPU = cpuSeconds() - cpuBefore
}
emit("## Index build (visible corpus)\n")
emit(
    "| files | indexed | unreadable | wall | pieces/s (wall) | CPU (user + sys) | pieces per CPU-second "
        + "| load average (1 min, before → after) | index size per piece |"
)
emit("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
emit(
    "| \(files.count) | \(summary.indexed) | \(summary.failed) | \(format(buildSeconds, 2)) s "
        + "| \(format(Double(summary.indexed) / buildSeconds, 0)) | \(format(buildCPU, 2)) s "
        + "| \(format(Double(summary.indexed) / buildCPU, 0)) | \(loadBefore) → \(loadAfter) "
        + "| \(format(Double(writable.sizeOnDisk()) / Double(max(summary.pieces, 1)) / 1024)) KiB |"
)
emit(
    "\nBaseline (\(arguments.baselineSample) pieces each matched against the whole index, \(cores) threads), "
        + "timed apart: \(format(baselineSeconds, 2)) s wall, \(format(baselineCPU, 2)) s CPU.\n")

let index = try ClearanceIndex.openForReading(folder: indexFolder)
let baseline = try index.baseline()
let stored = try index.allPieces()
var idByPath: [String: IndexedPiece] = [:]
for piece in stored { idByPath[piece.path] = piece }

// Whole notes of every indexed piece, for planting.
var corpus: [CorpusPiece] = []
for file in files where idByPath[file] != nil {
    guard let read = try? MIDIReader.read(contentsOf: file) else { continue }
    let notes = PieceNotes(read.file)
    corpus.append(
        CorpusPiece(
            path: file, notes: LineExtraction.pitchedNotes(of: notes), piece: ClearancePiece(read.file),
            seconds: notes.notes.map { $0.onsetSeconds + $0.durationSeconds }.max() ?? 0))
}

var random = SeededRandom(seed: 16)

// 2. Planted copies.
if arguments.sections.contains("recall") {
    var recall = RecallBench(
        corpus: corpus, idByPath: idByPath, baseline: baseline, trials: arguments.trials,
        unplantedPairs: arguments.unplanted, lengths: arguments.lengths, quotes: arguments.quotes,
        shortPath: { $0.replacingOccurrences(of: arguments.corpus + "/", with: "") })
    recall.settings = matchSettings
    try index.withReader { reader in try recall.run(reader: reader, random: &random) }
}

// 3. Same work, other transcription.
if arguments.sections.contains("same-work") {
    emit("## Same work, other transcription (pairs in the visible corpus)\n")
    emit(
        "Every indexed piece checked against the rest (itself left out); "
            + "pairs whose best match reaches the copy threshold.\n"
    )
    let short = { (path: String) in path.replacingOccurrences(of: arguments.corpus + "/", with: "") }
    // Files that read to the same notes (byte-identical or repaired copies) share the index's
    // content key: every such pair, whatever the scan below finds.
    let sameNotes = Dictionary(grouping: stored, by: \.contentKey).values.filter { $0.count > 1 }
        .map { $0.map { short($0.path) }.sorted() }.sorted { $0[0] < $1[0] }
    emit(
        "Files with the same notes (the index's content key): "
            + (sameNotes.isEmpty
                ? "none"
                : sameNotes.map {
                    $0.joined(separator: " = ")
                }.joined(separator: "; ")) + ".\n")
    emit("| piece | closest catalogue piece | shared notes | score | percentile | same name or notes |")
    emit("|---|---|---:|---:|---:|---|")
    var seenPairs = Set<[String]>()
    try index.withReader { reader in
        for piece in stored {
            let matches = try Matcher.matches(
                for: piece.piece, in: reader, settings: matchSettings, queryIsIndexed: true
            ) { $0.id == piece.id }
            guard let best = matches.first, baseline.percentile(of: best.score) >= VerdictThresholds().copy else {
                continue
            }
            let pair = [piece.path, best.piece.path].sorted()
            guard seenPairs.insert(pair).inserted else { continue }
            let sameWork = piece.workKey == best.piece.workKey || piece.contentKey == best.piece.contentKey
            emit(
                "| \(short(piece.path)) | \(short(best.piece.path)) | \(best.alignment.sharedNotes) "
                    + "| \(format(Double(best.score))) | \(format(baseline.percentile(of: best.score), 1)) "
                    + "| \(sameWork ? "yes" : "no") |"
            )
        }
    }

}

// 4. Check time as the index grows.
if arguments.sections.contains("speed") {
    emit("\n## Check time against a growing index\n")
    let threeMinutes = corpus.min { abs($0.seconds - 180) < abs($1.seconds - 180) }!
    emit(
        "Query: \((threeMinutes.path as NSString).lastPathComponent) (\(format(threeMinutes.seconds, 0)) s, "
            + "\(threeMinutes.piece.lines.reduce(0) { $0 + $1.notes.count }) notes over "
            + "\(threeMinutes.piece.lines.count) lines). Synthetic pieces: a corpus piece's lines with each line's "
            + "pitch steps shuffled (its rhythm and line structure kept, so interval statistics stay realistic while "
            + "the tunes are new), stored straight into the index through the library in batches of "
            + "\(Indexer.batchSize) and compacted at the end, as the index command stores read files. Check time: the matcher on the "
            + "already-read query (no MIDI reading), 21 runs, index open and warm; its look-ups and alignments "
            + "shared among the machine's \(cores) cores (the default), and in turn with each run on one thread.\n")
    emit(
        "| indexed pieces | check time (median), \(cores) threads | p95 | CPU time (median) | check time (median), 1 thread "
            + "| index size per piece | segments | load average |")
    emit("|---:|---:|---:|---:|---:|---:|---:|---:|")
    func segmentFiles() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: indexFolder).filter { $0.hasSuffix(".seg") }.count
    }
    @MainActor func measureCheck(pieces: Int) throws {
        let grown = try ClearanceIndex.openForReading(folder: indexFolder)
        var shared = matchSettings, alone = matchSettings
        (shared.threads, alone.threads) = (cores, 1)
        // The two settings take turns, so both see the same machine.
        var times: [Double] = [], timesAlone: [Double] = [], cpu: [Double] = []
        for _ in 0..<21 {
            let cpuBefore = cpuSeconds()
            times.append(
                try seconds {
                    _ = try grown.withReader { try Matcher.matches(for: threeMinutes.piece, in: $0, settings: shared) }
                })
            cpu.append(cpuSeconds() - cpuBefore)
            timesAlone.append(
                try seconds {
                    _ = try grown.withReader { try Matcher.matches(for: threeMinutes.piece, in: $0, settings: alone) }
                })
        }
        times.sort()
        timesAlone.sort()
        cpu.sort()
        emit(
            "| \(pieces) | \(format(times[10] * 1000)) ms | \(format(times[19] * 1000)) ms "
                + "| \(format(cpu[10] * 1000)) ms | \(format(timesAlone[10] * 1000)) ms "
                + "| \(format(Double(grown.sizeOnDisk()) / Double(pieces) / 1024)) KiB | \(try segmentFiles()) "
                + "| \(loadAverage()) |")
    }
    try measureCheck(pieces: stored.count)
    // A reused index was compacted by the build that stored it: measure it again as this build compacts it.
    let segmentsFound = try segmentFiles()
    try writable.compact()
    if try segmentFiles() != segmentsFound { try measureCheck(pieces: stored.count) }

    /// A new tune over a corpus piece's lines: each line's pitch steps shuffled.
    @Sendable func synthetic(from piece: ClearancePiece, seed: UInt64) -> ClearancePiece {
        var random = SeededRandom(seed: seed)
        let lines = piece.lines.map { line -> MelodicLine in
            var steps = zip(line.notes.dropFirst(), line.notes).map { Int($0.pitch) - Int($1.pitch) }
            steps.shuffle(using: &random)
            var pitch = Int(line.notes.first?.pitch ?? 60)
            let notes = line.notes.enumerated().map { position, note -> LineNote in
                if position > 0 { pitch += steps[position - 1] }
                if pitch < 0 || pitch > 127 { pitch = Int(note.pitch) }
                return LineNote(onsetBeats: note.onsetBeats, durationBeats: note.durationBeats, pitch: UInt8(pitch))
            }
            return MelodicLine(source: line.source, notes: notes)
        }
        return ClearancePiece(lines: lines, barStartBeats: piece.barStartBeats, firstBarNumber: piece.firstBarNumber)
    }

    let templates = corpus.map(\.piece)
    var count = stored.count
    var syntheticSeconds = 0.0
    // A reused index may already hold more than a size: that size cannot be measured, only larger ones.
    for target in [1_000, 10_000, 100_000] where target <= arguments.synthetic && target > count {
        let first = count
        syntheticSeconds += try seconds {
            var batch: [ClearanceIndex.NewPiece] = []
            try OrderedParallelMap.run(
                count: target - first, jobs: cores,
                work: { offset in
                    let number = first + offset
                    return ClearanceIndex.NewPiece(
                        path: "synthetic/\(number).mid", size: 0, modified: 0,
                        piece: synthetic(from: templates[number % templates.count], seed: UInt64(number)))
                },
                consume: { _, piece in
                    batch.append(piece)
                    if batch.count == Indexer.batchSize {
                        try writable.add(batch)
                        batch.removeAll()
                    }
                })
            try writable.add(batch)
            try writable.compact()
        }
        count = target
        try measureCheck(pieces: count)
    }
    emit(
        "\nSynthetic pieces were made and stored at "
            + "\(format(Double(count - stored.count) / max(syntheticSeconds, 1e-9), 0)) pieces/s "
            + "(lines made by shuffling, seeds listed on \(cores) threads, postings written and merged).")
}
