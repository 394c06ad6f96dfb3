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

    public static let installHint =
        "install it with `make deps-score` (or `sudo apt-get install -y --no-install-recommends musescore3`)"

    public var description: String {
        switch self {
        case .museScoreMissing: "\(problem); \(Self.installHint)"
        case .timedOut(let file, _): "\(file): \(problem); try a shorter piece or a longer time limit"
        case .museScoreFailed(let file, _, _), .noOutput(let file, _, _), .noNotes(let file): "\(file): \(problem)"
        case .unsupportedOutput(let path): "\(path): \(problem)"
        case .pagesNotApplicable: problem
        case .cannotRun(let executable, _): "\(executable): \(problem); reinstall it with `make deps-score`"
        }
    }

    /// What is wrong, without the file it concerns or a remedy.
    public var problem: String {
        switch self {
        case .museScoreMissing(let looked): "MuseScore 3 (mscore3) is not installed (looked in \(looked))"
        case .timedOut(_, let seconds): "MuseScore took longer than \(Self.format(seconds)) s and was stopped"
        case .museScoreFailed(_, let status, let log): "MuseScore failed with exit status \(status)\(Self.tail(log))"
        case .noOutput(_, let expected, let log): "MuseScore reported success but wrote no \(expected)\(Self.tail(log))"
        case .unsupportedOutput: "a score's file name must end in .pdf, .svg, .png or .musicxml"
        case .pagesNotApplicable(let format): "a page limit applies to pdf, svg and png output, not \(format.rawValue)"
        case .noNotes: "the file holds no notes, so there is no score to draw"
        case .cannotRun(_, let reason): "cannot start MuseScore: \(reason)"
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
