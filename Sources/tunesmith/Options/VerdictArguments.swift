import ArgumentParser
import Clearance

/// Where the clearance verdict falls, for `clearance check`, `generate` and `evaluate` alike:
/// percentiles of the reference index's baseline of unrelated pieces.
struct VerdictArguments: ParsableArguments {
    @Option(help: "Percentile of the baseline at or above which a match calls for review.")
    var reviewPercentile = VerdictThresholds().review

    @Option(help: "Percentile of the baseline at or above which a match counts as a copy.")
    var copyPercentile = VerdictThresholds().copy

    var thresholds: VerdictThresholds { VerdictThresholds(review: reviewPercentile, copy: copyPercentile) }

    /// The options as given, for a command line that repeats them.
    var arguments: [String] {
        ["--review-percentile", "\(reviewPercentile)", "--copy-percentile", "\(copyPercentile)"]
    }

    func validate() throws {
        guard (0...100).contains(reviewPercentile), (0...100).contains(copyPercentile) else {
            throw ValidationError(
                "--review-percentile and --copy-percentile are percentiles: give values from 0 to 100")
        }
        guard reviewPercentile <= copyPercentile else {
            throw ValidationError(
                "--review-percentile \(reviewPercentile) is above --copy-percentile \(copyPercentile)")
        }
    }
}

/// The thresholds of the exact n-gram copy check the clearance check replaced: refused with
/// what to use instead, so an old script fails saying so rather than silently meaning
/// something else.
struct RetiredCopyThresholdArguments: ParsableArguments {
    @Option(help: .hidden) var maxSharedRun: Int?
    @Option(help: .hidden) var maxSharedNgrams: Double?

    func validate() throws {
        let given = [
            maxSharedRun.map { "--max-shared-run \($0)" }, maxSharedNgrams.map { "--max-shared-ngrams \($0)" },
        ]
        .compactMap { $0 }
        guard let first = given.first else { return }
        throw ValidationError(
            "\(first): the exact n-gram copy check is gone; originality is now the clearance check's verdict "
                + "(melodic lines, calibrated percentiles): set how strict it is with --copy-percentile "
                + "(default \(VerdictThresholds().copy)) and --review-percentile (\(VerdictThresholds().review)), "
                + "or forbid shared runs while sampling with --max-shared N")
    }
}
