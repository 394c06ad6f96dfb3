import ArgumentParser

/// `generate --count N`: several candidates at once, and a page to audition them on.
struct CandidateArguments: ParsableArguments {
    static let mostCandidates = 100

    @Option(
        help: """
            Write N candidates (seeds --seed, --seed + 1, …) into the -o folder, each as MIDI and FLAC, \
            with an audition page index.html to compare them on.
            """)
    var count: Int?

    @Flag(
        help: "With --count: engrave each candidate with MuseScore 3 (make deps-score) and show its first page.")
    var scores = false

    func validate() throws {
        if let count, !(1...Self.mostCandidates).contains(count) {
            throw ValidationError("--count \(count): give 1 to \(Self.mostCandidates) candidates")
        }
        if scores && count == nil {
            throw ValidationError("--scores: engraved pages are shown on the audition page; add --count N")
        }
    }
}
