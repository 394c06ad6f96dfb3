/// Why a score could not be made; each case names the file and says what to do.
public enum ScoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No `mscore3` on the PATH (or where TUNESMITH_MSCORE points).
    case museScoreMissing(looked: String)
    case timedOut(file: String, seconds: Double)
    case museScoreFailed(file: String, status: Int32, log: String)
    /// MuseScore exited cleanly but wrote nothing under the expected name.
    case noOutput(file: String, expected: String, log: String)
    case unsupportedOutput(path: String)
    case pagesNotApplicable(format: ScoreFormat)
    case noNotes(file: String)
    case cannotRun(executable: String, reason: String)

    public static let installHint = "install it with `make deps-score` (or `sudo apt-get install -y --no-install-recommends musescore3`)"

    public var description: String {
        switch self {
        case .museScoreMissing(let looked):
            return "MuseScore 3 (mscore3) is not installed (looked in \(looked)); \(Self.installHint)"
        case .timedOut(let file, let seconds):
            return "\(file): MuseScore took longer than \(Self.format(seconds)) s and was stopped; try a shorter piece or a longer --timeout"
        case .museScoreFailed(let file, let status, let log):
            return "\(file): MuseScore failed with exit status \(status)\(Self.tail(log))"
        case .noOutput(let file, let expected, let log):
            return "\(file): MuseScore reported success but wrote no \(expected)\(Self.tail(log))"
        case .unsupportedOutput(let path):
            return "--output \(path): the name must end in .pdf, .svg, .png or .musicxml"
        case .pagesNotApplicable(let format):
            return "--pages applies to pdf, svg and png output, not \(format.rawValue)"
        case .noNotes(let file):
            return "\(file): the file holds no notes, so there is no score to draw"
        case .cannotRun(let executable, let reason):
            return "\(executable): cannot start MuseScore: \(reason); reinstall it with `make deps-score`"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    /// The last lines of MuseScore's output, which hold its own reason.
    private static func tail(_ log: String) -> String {
        let lines = log.split(whereSeparator: \.isNewline).suffix(5)
        return lines.isEmpty ? "" : "; MuseScore said: " + lines.joined(separator: " | ")
    }
}
