import ArgumentParser
import Utilities

/// How many inputs a command works on at once.
struct ParallelArguments: ParsableArguments {
    @Option(help: "Files processed at once; the default is this machine's core count.")
    var jobs = Parallel.cores

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs \(jobs): give at least 1") }
    }
}
