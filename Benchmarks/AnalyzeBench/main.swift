import Foundation
import MIDIFile
import MusicTheory
import Utilities

// Times `tunesmith analyze`'s work (read + notes + bars + key + windows + histograms) on
// every MIDI file of a corpus, and sets it beside music21's measured seconds per file from
// the shared reference cache.
//
// usage: AnalyzeBench [CORPUS] [REFERENCE_JSONL]

let arguments = CommandLine.arguments
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let corpus =
    arguments.count > 1 ? arguments[1] : packageRoot.appendingPathComponent("../shared/corpus").standardized.path
// music21's cached results sit beside the corpus (shared/reference next to shared/corpus).
let corpusURL =
    corpus.hasPrefix("/")
    ? URL(fileURLWithPath: corpus)
    : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(corpus)
let referencePath =
    arguments.count > 2
    ? arguments[2]
    : corpusURL.standardized.deletingLastPathComponent().appendingPathComponent("reference/music21_keys.jsonl").path

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("AnalyzeBench: \(message)\n".utf8))
    exit(2)
}

let files: [String]
do {
    files = try InputFiles.midiFiles(in: [corpus])
} catch {
    fail("\(error); pass the corpus folder as the first argument")
}
guard !files.isEmpty else { fail("no MIDI files under \(corpus)") }

/// Each run reads every file from disk again, so the timing includes reading.
func processorSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Wall-clock seconds, and processor seconds: on a machine other jobs share, the
/// processor time is what the analysis itself costs.
func analyseAll(options: AnalysisOptions) -> (
    seconds: Double, processor: Double, notes: Int, keys: Int, windows: Int, unreadable: Int
) {
    let start = DispatchTime.now().uptimeNanoseconds
    let processorStart = processorSeconds()
    var notes = 0, keys = 0, windows = 0, unreadable = 0
    var totals = CorpusTotals(options: options)
    for file in files {
        guard let analysis = try? Analyzer.analyze(contentsOf: file, options: options) else {
            unreadable += 1
            continue
        }
        notes += analysis.pitchedNoteCount
        keys += analysis.key == nil ? 0 : 1
        windows += analysis.windows.count
        totals.add(analysis)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (seconds, processorSeconds() - processorStart, notes, keys, windows, unreadable)
}

let options = AnalysisOptions(windowMeasures: 1)
_ = analyseAll(options: options)  // warm the page cache, as music21's runs had it warm too
var runs: [Double] = [], processorRuns: [Double] = []
var last = analyseAll(options: options)
for _ in 0..<5 {
    last = analyseAll(options: options)
    runs.append(last.seconds)
    processorRuns.append(last.processor)
}
let median = runs.sorted()[runs.count / 2]
let processorMedian = processorRuns.sorted()[processorRuns.count / 2]
var loadAverage = [Double](repeating: 0, count: 1)
getloadavg(&loadAverage, 1)

print("Tunesmith analyze (read + notes + bars + key + 1-measure windows + histograms), release build, one core")
print("  corpus: \(corpus)")
print(
    "  \(files.count) files (\(last.unreadable) without MIDI data), \(last.notes) pitched notes, \(last.keys) keys, \(last.windows) windows"
)
print(
    String(
        format:
            "  whole corpus: median %.3f s wall clock of %d runs (min %.3f s), %.3f s of processor time; %.2f ms per file",
        median, runs.count, runs.min()!, processorMedian, 1000 * median / Double(files.count)))
print(
    String(
        format: "  target < 1 s: %@ (load average %.1f on %d cores while measuring)",
        min(median, processorMedian) < 1 ? "met" : "NOT met", loadAverage[0],
        ProcessInfo.processInfo.activeProcessorCount))

if let text = try? String(contentsOfFile: referencePath, encoding: .utf8) {
    var seconds: [Double] = []
    for line in text.split(separator: "\n") {
        guard let data = line.data(using: .utf8),
            let record = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let time = record["seconds"] as? Double
        else { continue }
        seconds.append(time)
    }
    let sorted = seconds.sorted()
    let music21Median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    let music21Total = seconds.reduce(0, +)
    let perFile = median / Double(files.count), processorPerFile = processorMedian / Double(files.count)
    print("music21 10.5.1 (parse + 5 key analyses per file, from \(referencePath)):")
    print(
        String(
            format: "  %d files, median %.2f s per file, %.0f s in all (measured two at a time)", seconds.count,
            music21Median, music21Total))
    print(
        String(
            format:
                "  Tunesmith per file: %.2f ms wall clock, %.2f ms processor; music21's median file takes %.0f× (wall) / %.0f× (processor) longer",
            1000 * perFile, 1000 * processorPerFile, music21Median / perFile, music21Median / processorPerFile))
} else {
    print("music21 reference \(referencePath) not found: no comparison printed")
}
