import ArgumentParser
import Foundation
import Generation

/// `generate --continue-bars N` and `--infill A-B`: what to do with the `--prompt` file
/// beyond starting from its last tokens.
struct PromptSteeringArguments: ParsableArguments {
    /// Bars one continuation may add.
    static let mostNewBars = 256

    @Option(help: "Keep the --prompt file as quantised, then write this many new bars after it.")
    var continueBars: Int?

    @Option(
        help: ArgumentHelp(
            "Rewrite bars A to B (1-based, inclusive) of the --prompt file with the bars around them in view; every other note is kept.",
            valueName: "A-B"))
    var infill: BarRange?

    var steering: PromptSteering? {
        if let continueBars { return .continuation(bars: continueBars) }
        return infill.map { .infill($0.bars) }
    }

    /// The options as typed, to repeat on a reproducing command line.
    var arguments: [String] {
        (continueBars.map { ["--continue-bars", String($0)] } ?? []) + (infill.map { ["--infill", $0.text] } ?? [])
    }

    func validate(prompt: String?) throws {
        if continueBars != nil && infill != nil {
            throw ValidationError("--continue-bars and --infill: give one of them; a piece is continued or infilled")
        }
        if let continueBars, !(1...Self.mostNewBars).contains(continueBars) {
            throw ValidationError("--continue-bars \(continueBars): give 1 to \(Self.mostNewBars) bars")
        }
        if steering != nil && prompt == nil {
            throw ValidationError(
                "\(continueBars != nil ? "--continue-bars" : "--infill"): give the MIDI file to keep with --prompt FILE"
            )
        }
    }
}

/// Bars A to B, 1-based and inclusive, as `--infill 9-12` (or one bar, `--infill 9`) gives them.
struct BarRange: ExpressibleByArgument {
    let bars: ClosedRange<Int>

    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false).map {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard (1...2).contains(parts.count), let first = parts[0], let last = parts[parts.count - 1], first >= 1,
            first <= last
        else { return nil }
        bars = first...last
    }

    var text: String {
        bars.lowerBound == bars.upperBound ? "\(bars.lowerBound)" : "\(bars.lowerBound)-\(bars.upperBound)"
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
