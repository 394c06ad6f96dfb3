import ArgumentParser
import Corpus
import Foundation

struct CorpusIngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read, repair, analyse, filter and deduplicate every MIDI file under the sources into CORPUSDIR.",
        discussion: """
            Files are recognised as MIDI by their content, whatever their name. Each kept piece is written to \
            CORPUSDIR/clean/<sha256 of the source>.mid; every source file, kept or not, gets a row in \
            CORPUSDIR/catalog.sqlite with its status and reason. Sources are never modified. Re-running skips files \
            whose bytes and filters are unchanged; a killed run is completed by the next one. \
            Exit status: 0 when the ingest completed, 1 when it could not run (another ingest holds the corpus, \
            a source is missing), 2 on usage errors.
            """)

    @Argument(help: "Files or folders to ingest (folders are walked recursively).")
    var sources: [String]

    @Option(name: .customLong("into"), help: "The corpus folder (created if missing).")
    var corpus: String

    @Option(help: "Reject pieces with fewer notes than this.")
    var minNotes: Int = IngestFilters().minimumNotes

    @Option(help: "Reject pieces shorter than this many seconds.")
    var minDuration: Double = IngestFilters().minimumSeconds

    @Option(help: "Reject pieces longer than this many seconds.")
    var maxDuration: Double = IngestFilters().maximumSeconds

    @Flag(help: "Keep files whose only notes are drums (channel 10); rejected by default.")
    var allowDrumOnly = false

    @Option(
        name: .customLong("family"),
        help: ArgumentHelp(
            "Keep only pieces whose every note is of these General MIDI families (repeatable).",
            discussion: InstrumentFamily.allCases.map(\.rawValue).joined(separator: ", ")))
    var families: [InstrumentFamily] = []

    @Flag(help: "Keep only pieces played entirely by piano programs (0–7), as the original project did.")
    var pianoOnly = false

    @Option(
        name: .customLong("time-signature"),
        help: "Keep only pieces whose every time signature is one of these, e.g. 4/4 (repeatable).")
    var timeSignatures: [String] = []

    @Option(
        name: .customLong("key"),
        help: "Keep only pieces whose estimated key is one of these, e.g. \"Eb major\" (repeatable).")
    var keys: [String] = []

    @Option(help: "Keep only files whose original path matches this regular expression.")
    var pathRegex: String?

    @Option(help: "Reject files whose original path matches this regular expression.")
    var excludePathRegex: String?

    @OptionGroup var parallel: ParallelArguments
    @OptionGroup var output: OutputArguments

    func validate() throws {
        guard minDuration <= maxDuration else {
            throw ValidationError("--min-duration \(minDuration) is longer than --max-duration \(maxDuration)")
        }
        for signature in timeSignatures
        where signature.split(separator: "/").count != 2
            || signature.split(separator: "/").contains(where: { Int($0) == nil })
        {
            throw ValidationError("--time-signature \(signature): write it as numerator/denominator, e.g. 3/4")
        }
    }

    func run() throws {
        var settings = IngestSettings()
        settings.jobs = parallel.jobs
        settings.filters.minimumNotes = minNotes
        settings.filters.minimumSeconds = minDuration
        settings.filters.maximumSeconds = maxDuration
        settings.filters.allowDrumOnly = allowDrumOnly
        settings.filters.families = Set(families + (pianoOnly ? [.piano] : []))
        settings.filters.timeSignatures = Set(timeSignatures)
        settings.filters.keys = Set(keys)
        settings.filters.pathPattern = pathRegex
        settings.filters.excludedPathPattern = excludePathRegex

        let progress = ProgressDisplay(unit: "files")
        let json = output.json
        do {
            let summary = try CorpusIngest.run(
                sources: sources, into: corpus, settings: settings,
                progress: { progress.update(done: $0.done, total: $0.total) },
                fileDone: json
                    ? {
                        JSONLine.print($0)
                        fflush(nil)
                    } : nil)
            progress.clear()
            if json { JSONLine.print(summary) } else { print(CorpusText.render(summary)) }
        } catch let error as FilterError {
            progress.clear()
            throw ValidationError(ErrorHints.message(for: error))
        } catch {
            progress.clear()
            Diagnostics.warn(error)
            throw ExitCode(1)
        }
    }
}

extension InstrumentFamily: ExpressibleByArgument {}
