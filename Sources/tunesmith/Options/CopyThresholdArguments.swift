import ArgumentParser
import Generation

/// When a piece counts as a copy of the training set, for `generate` and `evaluate` alike.
struct CopyThresholdArguments: ParsableArguments {
    @Option(help: "Copy threshold: longest run of notes shared with one training piece.")
    var maxSharedRun = CopyThreshold().longestRun

    @Option(help: "Copy threshold: share of 8-note n-grams found in the training set.")
    var maxSharedNgrams = CopyThreshold().nGramShare

    var threshold: CopyThreshold { CopyThreshold(longestRun: maxSharedRun, nGramShare: maxSharedNgrams) }
}
