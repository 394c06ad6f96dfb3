import ArgumentParser
import Corpus
import Foundation
import Generation
import MIDIFile
import Reports
import Utilities

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "Run the whole pipeline on a corpus: ingest, analyse, train, generate, judge, render, and link it all from one page.",
        discussion: """
            Each step is one of the other commands, run with the command line the page prints beside it, so any step \
            can be re-run alone. OUT gets index.html, corpus/ (the corpus report), training/ (the run's page), pieces/ \
            (MIDI and WAV) and work/ (the ingested corpus, the run folder, the evaluation). A folder OUT that holds \
            anything but an earlier demo is refused, not overwritten.
            """)

    static let defaultCorpus = "/usr/share/games/openttd/baseset/openmsx"
    private static let marker = ".tunesmith-demo"

    @Option(help: "Folder of MIDI files (default: Debian's openttd-openmsx set, installed by make deps).") var corpus =
        Demo.defaultCorpus
    @Option(help: "Training budget in minutes.") var minutes = 3.0
    @Option(help: "Folder to write everything into.") var out = "Reports/demo"
    @Option(help: "Pieces to generate.") var pieces = 3
    @Option(help: "Most tokens per generated piece; a piece ends earlier when the model ends it.")
    var length = Generate.defaultLength
    @Option(help: "Seed of the split, the weights and the batches; piece N is sampled with seed N.") var seed: UInt64 =
        1
    @Option(help: "Tokens per training window (default: the demo preset's); pieces shorter than it cannot train.")
    var context: Int?
    @Option(
        help:
            "Semitones up or down each training window may be moved; a corpus of a few dozen pieces overfits in a minute without it."
    ) var transpose = 5

    func validate() throws {
        guard minutes > 0 else { throw ValidationError("--minutes \(minutes): give a training budget above 0") }
        guard pieces >= 1 else { throw ValidationError("--pieces \(pieces): generate at least one piece") }
        guard length >= 1 else { throw ValidationError("--length \(length): generate at least one token") }
        guard (0...12).contains(transpose) else {
            throw ValidationError("--transpose \(transpose): give 0 to 12 semitones")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: corpus, isDirectory: &isFolder), isFolder.boolValue else {
            let hint =
                corpus == Self.defaultCorpus
                ? "run 'make deps' (it installs openttd-openmsx) or pass --corpus DIR" : "pass a folder of MIDI files"
            throw ValidationError("--corpus \(corpus): no such folder; \(hint)")
        }
        var outIsFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &outIsFolder) && !outIsFolder.boolValue {
            throw ValidationError("--out \(out): a file of that name exists; give a folder to write the demo into")
        }
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        if !existing.isEmpty && !existing.contains(Self.marker) {
            throw ValidationError(
                "--out \(out): the folder holds other files; give an empty or new folder, or an earlier demo's")
        }
    }

    func run() throws {
        try? FileManager.default.removeItem(atPath: out)
        try FileManager.default.createDirectory(atPath: out + "/pieces", withIntermediateDirectories: true)
        try AtomicFile.write(Data(), to: out + "/" + Self.marker)
        let corpusFolder = out + "/work/corpus", runFolder = out + "/work/run"
        let evaluationFile = out + "/work/evaluation.txt"
        let pieceNames = (1...pieces).map { "piece-\($0)" }
        let model = "transformer"

        var steps: [DemoPage.Step] = []
        func step(_ name: String, _ arguments: [String]) throws {
            let command = (["tunesmith"] + arguments).map(Self.shellQuoted).joined(separator: " ")
            FileHandle.standardError.write(Data("\n== \(name)\n$ \(command)\n".utf8))
            let started = Date()
            do {
                var parsed = try Tunesmith.parseAsRoot(arguments)
                try parsed.run()
            } catch {
                let reason = ErrorHints.commandLineText(for: error) ?? Tunesmith.fullMessage(for: error)
                Diagnostics.warn(
                    "demo stopped at step '\(name)': \(reason); re-run that step alone with the command above")
                throw ExitCode(1)
            }
            steps.append(DemoPage.Step(name: name, command: command, seconds: Date().timeIntervalSince(started)))
        }

        try step("ingest", ["corpus", "ingest", corpus, "--into", corpusFolder])
        try step("corpus report", ["report", corpusFolder, "-o", out + "/corpus", "--title", "Demo corpus"])
        try step(
            "train",
            [
                "train", "--corpus", corpusFolder, "--model", model, "--tokenizer", "events",
                "--preset", "demo", "--minutes", Self.number(minutes), "--transpose", String(transpose),
                "--seed", String(seed), "--out", runFolder,
            ]
                + (context.map { ["--context", String($0)] } ?? []))
        try step("training report", ["report", runFolder, "-o", out + "/training"])
        for (index, name) in pieceNames.enumerated() {
            try step(
                "generate \(name)",
                [
                    "generate", "--run", runFolder, "--seed", String(index + 1), "--length", String(length),
                    "-o", out + "/pieces/\(name).mid",
                ])
        }
        // A producer's sketch: the corpus's first piece with notes, continued and partly rewritten.
        let sketch = try Self.firstPieceWithNotes(in: corpus)
        let sketchName = (sketch as NSString).lastPathComponent
        let steered = [
            (name: "continued", title: "\(sketchName) + \(Self.continuationBars) new bars"),
            (name: "infilled", title: "\(sketchName), bars \(Self.infillBars) rewritten"),
        ]
        try step(
            "continue a sketch",
            [
                "generate", "--run", runFolder, "--prompt", sketch, "--continue-bars", String(Self.continuationBars),
                "--seed", String(seed), "-o", out + "/pieces/continued.mid",
            ])
        try step(
            "infill a sketch",
            [
                "generate", "--run", runFolder, "--prompt", sketch, "--infill", Self.infillBars, "--seed",
                String(seed), "-o", out + "/pieces/infilled.mid",
            ])
        try step(
            "evaluate",
            ["evaluate", out + "/pieces", "--against", corpusFolder, "--run", runFolder, "-o", evaluationFile])
        try step(
            "render",
            ["render"] + (pieceNames + steered.map(\.name)).map { out + "/pieces/\($0).mid" }
                + ["-o", out + "/pieces", "--format", "wav"])
        try step(
            "audition the pieces",
            [
                "generate", "--run", runFolder, "--count", String(pieces), "--seed", "1", "--length", String(length),
                "-o", out + "/audition",
            ])

        let trainingPage = (try? FileManager.default.contentsOfDirectory(atPath: out + "/training/runs"))?.first {
            $0.hasSuffix(".html")
        }
        let page = DemoPage(
            corpus: corpus, training: trainingSentence(runFolder: runFolder),
            corpusReport: "corpus/index.html", trainingReport: trainingPage.map { "training/runs/" + $0 },
            pieces: try generatedPieces(
                pieceNames.map { ($0, $0) } + steered.map { ($0.name, $0.title) }, corpusFolder: corpusFolder),
            evaluation: (try? String(contentsOfFile: evaluationFile, encoding: .utf8)) ?? "", steps: steps,
            auditionPage: "audition/index.html")
        try ReportFolder(root: out).write(page.page().render(), to: "index.html")
        print("\(out)/index.html: demo written in \(Int(steps.reduce(0) { $0 + $1.seconds }.rounded())) s")
    }

    /// Each piece with its measures placed among the corpus's and its opening as a piano roll.
    private func generatedPieces(
        _ names: [(file: String, title: String)], corpusFolder: String
    ) throws -> [DemoPage.Piece] {
        let sourceNames = CataloguedPiece.sourceNamesOfCleanFiles
        let corpus = try CorpusMetrics(corpusFolders: [corpusFolder], names: sourceNames)
        return try names.map { (name, title) in
            let metrics = try corpus.places(ofFile: out + "/pieces/\(name).mid") ?? []
            return DemoPage.Piece(
                name: title, midi: "pieces/\(name).mid", audio: "pieces/\(name).wav",
                metrics: metrics.map {
                    DemoPage.Metric(name: $0.name, value: $0.value, percentile: $0.percentile, typical: $0.typical)
                },
                pianoRoll: DemoPage.pianoRoll(ofFile: out + "/pieces/\(name).mid", id: "piano-roll-\(name)"))
        }
    }

    /// What the page says of the training: the budget, and what the run did with it.
    private func trainingSentence(runFolder: String) -> String {
        let window = context ?? TrainingPreset.demo.settings.context
        let model =
            "a Transformer (demo preset, \(window)-token context) over rhythm-aware event tokens"
            + (transpose > 0 ? " (windows moved up to \(transpose) semitones)" : "")
        let budget = minutes >= 1 ? "\(Self.number(minutes))-minute" : "\(Int((minutes * 60).rounded()))-second"
        let folder = RunFolder(runFolder)
        guard let summary = try? folder.read(TrainingSummary.self, from: folder.summaryFile) else {
            return model + ", trained"
        }
        let patience = TrainingOptions(corpus: [], model: .transformer, tokenizer: .events).patience
        let stoppedEarly = summary.epochs - summary.bestEpoch >= patience
        return model
            + " trained for \(DemoPage.format(seconds: summary.seconds)) of a \(budget) budget: \(summary.epochs) epochs, best validation loss "
            + String(format: "%.3f", summary.validationLoss) + " at epoch \(summary.bestEpoch)"
            + (stoppedEarly ? ", then stopped because it no longer improved" : "")
    }

    /// Bars the demo adds to its sketch, and the bars it rewrites.
    static let continuationBars = 4
    static let infillBars = "2-3"

    /// The first MIDI file (in name order) that reads and holds pitched notes: the demo's sketch.
    static func firstPieceWithNotes(in folder: String) throws -> String {
        for file in try InputFiles.midiFiles(in: [folder]).sorted() {
            guard let midi = try? MIDIReader.read(contentsOf: file).file else { continue }
            if midi.tracks.contains(where: { !$0.pairNotes().notes.isEmpty }) { return file }
        }
        throw ValidationError("--corpus \(folder): no MIDI file with notes to continue or infill")
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// Single quotes around anything a shell would split or expand.
    static func shellQuoted(_ argument: String) -> String {
        let plain = argument.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_./=:,+@".unicodeScalars.contains($0)
        }
        return plain && !argument.isEmpty ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
