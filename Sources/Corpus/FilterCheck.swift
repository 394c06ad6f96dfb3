import Foundation
import MusicTheory

/// The filters compiled once per ingest: regular expressions parsed, key names resolved.
struct FilterCheck: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented safe to share
    // between threads, which is why the unchecked conformance holds.
    let filters: IngestFilters
    private let pathPattern: NSRegularExpression?
    private let excludedPathPattern: NSRegularExpression?
    private let keys: Set<Key>

    init(_ filters: IngestFilters) throws {
        self.filters = filters
        pathPattern = try filters.pathPattern.map { try Self.compile($0, as: .path) }
        excludedPathPattern = try filters.excludedPathPattern.map { try Self.compile($0, as: .excludedPath) }
        keys = Set(try filters.keys.map { try Self.parseKey($0) })
    }

    /// The rejection, if any, decided by the original path alone (before reading).
    func rejection(forPath path: String) -> Verdict? {
        let range = NSRange(path.startIndex..., in: path)
        if let pathPattern, pathPattern.firstMatch(in: path, range: range) == nil {
            let detail = "path does not match the path pattern \(pathPattern.pattern)"
            return Verdict(status: .rejected, reason: .pathPattern, detail: detail)
        }
        if let excludedPathPattern, excludedPathPattern.firstMatch(in: path, range: range) != nil {
            let detail = "path matches the excluded path pattern \(excludedPathPattern.pattern)"
            return Verdict(status: .rejected, reason: .pathPattern, detail: detail)
        }
        return nil
    }

    /// The rejection, if any, decided by the piece's analysis summary.
    func rejection(for summary: PieceSummary) -> Verdict? {
        func reject(_ reason: StatusReason, _ detail: String) -> Verdict {
            Verdict(status: .rejected, reason: reason, detail: detail)
        }
        if summary.notes > 0, summary.pitchedNotes == 0, !filters.allowDrumOnly {
            return reject(.drumOnly, "only drum notes (channel 10); drum-only pieces are allowed only when asked for")
        }
        if summary.notes < filters.minimumNotes {
            return reject(.tooFewNotes, "\(summary.notes) notes, fewer than the minimum of \(filters.minimumNotes)")
        }
        if summary.durationSeconds < filters.minimumSeconds {
            let seconds = formatted(summary.durationSeconds), minimum = formatted(filters.minimumSeconds)
            return reject(.tooShort, "\(seconds) s, shorter than the minimum of \(minimum) s")
        }
        if summary.durationSeconds > filters.maximumSeconds {
            let seconds = formatted(summary.durationSeconds), maximum = formatted(filters.maximumSeconds)
            return reject(.tooLong, "\(seconds) s, longer than the maximum of \(maximum) s")
        }
        if !filters.families.isEmpty, let outside = summary.families.first(where: { !filters.families.contains($0) }) {
            return reject(
                .instrumentFamily,
                "plays \(outside.rawValue), not among the allowed families (\(filters.families.map(\.rawValue).sorted().joined(separator: ", ")))"
            )
        }
        if !filters.timeSignatures.isEmpty,
            let outside = summary.timeSignatures.first(where: { !filters.timeSignatures.contains($0) })
        {
            return reject(
                .timeSignature,
                "time signature \(outside) is not among \(filters.timeSignatures.sorted().joined(separator: ", "))")
        }
        if !keys.isEmpty {
            let estimated = summary.key.flatMap { try? Self.parseKey($0) }
            if estimated.map({ !keys.contains($0) }) ?? true {
                return reject(
                    .key,
                    "estimated key \(summary.key ?? "none") is not among \(keys.map(\.name).sorted().joined(separator: ", "))"
                )
            }
        }
        return nil
    }

    private func formatted(_ seconds: Double) -> String { String(format: "%.1f", seconds) }

    private static func compile(_ pattern: String, as role: FilterError.PatternRole) throws -> NSRegularExpression {
        do {
            return try NSRegularExpression(pattern: pattern)
        } catch {
            throw FilterError.invalidPattern(role, pattern: pattern, reason: (error as NSError).localizedDescription)
        }
    }

    /// "C major", "c# minor", "Eb major", "a minor"; a bare tonic means major.
    static func parseKey(_ text: String) throws -> Key {
        guard let key = Key(parsing: text) else { throw FilterError.notAKey(text) }
        return key
    }
}

/// A filter that cannot be used as given, with the text at fault.
public enum FilterError: Error, Hashable, Sendable, CustomStringConvertible {
    case invalidPattern(PatternRole, pattern: String, reason: String)
    case notAKey(String)

    /// Which of the path filters a regular expression is.
    public enum PatternRole: String, Hashable, Sendable {
        /// Paths must match it to be kept.
        case path
        /// Paths that match it are rejected.
        case excludedPath = "excluded path"
    }

    public var description: String {
        switch self {
        case .invalidPattern(let role, let pattern, _): "\(role.rawValue) pattern \(pattern): \(problem)"
        case .notAKey(let text): "key \(text): \(problem)"
        }
    }

    /// What is wrong with the text, without the text itself.
    public var problem: String {
        switch self {
        case .invalidPattern(_, _, let reason): "not a valid regular expression (\(reason))"
        case .notAKey: "not a key; write a tonic and a mode, e.g. \"Eb major\" or \"c# minor\""
        }
    }
}
