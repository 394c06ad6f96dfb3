import ArgumentParser
import Corpus

struct CorpusListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the catalogue's source files with status, reason and analysis summary.")

    @Argument(help: "The corpus folder (holding catalog.sqlite).")
    var corpus: String

    @Option(help: "Only files with this status: \(SourceStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
    var status: SourceStatus?

    @Option(help: "Only pieces whose estimated key is this, e.g. \"Eb major\".")
    var key: String?

    @Option(help: "Only pieces with at least this many notes.")
    var minNotes: Int?

    @OptionGroup var output: OutputArguments

    func run() throws {
        let pieces: [CataloguedPiece]
        do {
            pieces = try CataloguedPiece.list(
                corpus: corpus, matching: CatalogueQuery(status: status, key: key, minimumNotes: minNotes))
        } catch let error as FilterError {
            throw ValidationError(ErrorHints.message(for: error))
        } catch {
            Diagnostics.warn(error)
            throw ExitCode(1)
        }
        for piece in pieces {
            if output.json { JSONLine.print(piece) } else { print(CorpusText.render(piece)) }
        }
    }
}

extension SourceStatus: ExpressibleByArgument {}
