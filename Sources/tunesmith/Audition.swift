import Clearance
import Corpus
import Foundation
import Generation
import MIDIFile
import MusicTheory
import Rendering
import Reports
import Score
import Utilities

/// `generate --count N -o DIR`: N candidates from consecutive seeds, each written as MIDI and
/// rendered to FLAC, measured against the run's corpus, and laid out on `DIR/index.html`.
struct Audition {
    /// One candidate, as `--json` prints it.
    struct CandidateLine: Encodable {
        var candidate: String
        var seed: UInt64
        var midi: String
        var audio: String?
        var key: String?
        var notes: Int
        var tokens: Int
        var metrics: [MetricPlace]
        var clearance: CheckResult
        var prompted: PromptedReport?
        var command: String

        enum CodingKeys: String, CodingKey {
            case candidate, seed, midi, audio, key, notes, tokens, metrics, verdict, matches, prompted, command
        }

        /// The check's fields as `clearance check --json` writes them.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(candidate, forKey: .candidate)
            try container.encode(seed, forKey: .seed)
            try container.encode(midi, forKey: .midi)
            try container.encodeIfPresent(audio, forKey: .audio)
            try container.encodeIfPresent(key, forKey: .key)
            try container.encode(notes, forKey: .notes)
            try container.encode(tokens, forKey: .tokens)
            try container.encode(metrics, forKey: .metrics)
            try container.encode(clearance.verdict, forKey: .verdict)
            try container.encode(clearance.matches, forKey: .matches)
            try container.encodeIfPresent(prompted, forKey: .prompted)
            try container.encode(command, forKey: .command)
        }
    }

    let generator: PieceGenerator
    let folder: String
    let count: Int
    let json: Bool
    /// Engrave each candidate and show its score's first page.
    let scores: Bool
    /// The command line that writes one candidate alone, given its seed and MIDI path.
    let command: (_ seed: UInt64, _ output: String) -> String

    /// Returns how many candidates were written.
    func run(_ request: PieceGenerator.Request) throws -> Int {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let width = String(count).count
        var written: [(name: String, seed: UInt64, result: PieceGenerator.Result)] = []
        let progress = ProgressDisplay(unit: "candidates")
        for index in 0..<count {
            progress.update(done: index, total: count)
            var candidate = request
            candidate.seed = request.seed &+ UInt64(index)
            let name = String(repeating: "0", count: width - String(index + 1).count) + String(index + 1)
            do {
                let result = try generator.generate(candidate, to: folder + "/candidate-\(name).mid")
                written.append((name, candidate.seed, result))
            } catch let error as PromptError {
                // The prompt or the run is at fault, not the seed: every candidate would fail alike.
                progress.clear()
                throw error
            } catch {
                progress.clear()
                Diagnostics.warn("candidate \(name) (seed \(candidate.seed)): \(ErrorHints.message(for: error))")
            }
        }
        progress.clear()
        guard !written.isEmpty else { return 0 }
        let audio = render(written.map(\.result.output))
        let corpus = try CorpusMetrics(
            corpusFolders: generator.run.description.options.corpus, names: CataloguedPiece.sourceNamesOfCleanFiles)
        var candidates: [AuditionPage.Candidate] = []
        for (position, entry) in written.enumerated() {
            let file = entry.result.output, midiName = "candidate-\(entry.name).mid"
            let metrics = (try? corpus.places(ofFile: file)) ?? []
            let key = (try? MIDIReader.read(contentsOf: file).file).flatMap { AnalysisOptions.standard.key(of: $0) }
            let command = command(entry.seed, file)
            let verdict = Self.verdict(of: entry.result)
            let audioName = audio[position].map { ($0 as NSString).lastPathComponent }
            if json {
                JSONLine.print(
                    CandidateLine(
                        candidate: entry.name, seed: entry.seed, midi: file, audio: audio[position],
                        key: key?.best.key.name, notes: entry.result.notes, tokens: entry.result.tokens,
                        metrics: metrics, clearance: entry.result.clearance, prompted: entry.result.prompted,
                        command: command))
            } else {
                print(
                    "\(file): seed \(entry.seed), \(entry.result.notes) notes, key \(key?.best.key.name ?? "none")"
                        + "; clearance: " + ClearanceCheckCommand.verdictText(entry.result.clearance))
            }
            candidates.append(
                AuditionPage.Candidate(
                    name: entry.name, seed: entry.seed, midi: midiName, audio: audioName, key: key?.best.key.name,
                    notes: entry.result.notes,
                    metrics: metrics.map {
                        DemoPage.Metric(name: $0.name, value: $0.value, percentile: $0.percentile, typical: $0.typical)
                    },
                    verdict: verdict, command: command, promptNote: entry.result.prompted.map(Self.describe),
                    pianoRoll: DemoPage.pianoRoll(ofFile: file, id: "candidate-\(entry.name)"),
                    score: scores
                        ? ScorePreview.make(
                            for: file, in: (folder as NSString).appendingPathComponent("scores"),
                            name: "candidate-\(entry.name)") : nil))
        }
        let page = AuditionPage(
            run: generator.run.folder.path, clearanceIndex: generator.clearance.folder,
            referencePieces: generator.clearance.pieceCount,
            thresholds: generator.clearance.checker.thresholds,
            settings: String(
                format: "temperature %g, top-k %d, top-p %g", request.sampling.temperature, request.sampling.topK,
                request.sampling.topP),
            candidates: candidates)
        try ReportFolder(root: folder).write(page.page().render(), to: "index.html")
        if !json { print("\(folder)/index.html: \(written.count) of \(count) candidates to audition") }
        return written.count
    }

    /// The clearance verdict shown for a candidate: the check `generate` ran on it. The one
    /// place the page learns whether a candidate copies.
    static func verdict(of result: PieceGenerator.Result) -> AuditionPage.Verdict {
        AuditionPage.Verdict(verdict: result.clearance.verdict, closest: result.clearance.matches.first)
    }

    static func describe(_ prompted: PromptedReport) -> String {
        let what =
            prompted.infillFirstBar.map { "bars \($0)-\(prompted.infillLastBar ?? $0) rewritten" }
            ?? "\(prompted.newBars) bars added"
        return
            "\(what); kept \(prompted.notesKept) of \(prompted.notesToKeep) prompt notes; \(prompted.newNotes) new notes"
    }

    /// FLAC beside each MIDI file, through the soundfont `tunesmith render` finds; nil where
    /// that failed (the page then says "not rendered").
    private func render(_ files: [String]) -> [String?] {
        let soundfont: SoundfontSearch.Found
        do {
            soundfont = try SoundfontSearch().locate()
        } catch {
            Diagnostics.warn("candidates not rendered: \(ErrorHints.message(for: error))")
            return files.map { _ in nil }
        }
        let jobs = files.map { RenderJob(input: $0, output: ($0 as NSString).deletingPathExtension + ".flac") }
        do {
            let format = try AudioFormat(container: .flac, encoding: .pcm16)
            let outcomes = BatchRenderer.run(
                jobs, soundfont: soundfont.path, options: RenderOptions(format: format),
                workers: Parallel.cores)
            return outcomes.map { outcome in
                switch outcome.result {
                case .success: return outcome.job.output
                case .failure(let failure):
                    Diagnostics.warn("\(outcome.job.input): not rendered: \(ErrorHints.message(for: failure))")
                    return nil
                }
            }
        } catch {
            Diagnostics.warn("candidates not rendered: \(ErrorHints.message(for: error))")
            return files.map { _ in nil }
        }
    }
}
