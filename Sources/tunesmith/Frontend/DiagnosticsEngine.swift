import ArgumentParser
import Foundation

/// Where a batch command reports trouble: every message goes out through `Diagnostics` (so the
/// wording of errors is decided in one place), the progress line is cleared first so the
/// message does not land in the middle of it, and each failed input is counted so the command
/// can carry on with the others and still exit with status 1 at the end.
final class DiagnosticsEngine: @unchecked Sendable {
    private let progress: ProgressDisplay?
    // `failures` is read and written only while `lock` is held.
    private let lock = NSLock()
    private var failures = 0

    init(progress: ProgressDisplay? = nil) {
        self.progress = progress
    }

    /// How many inputs have failed so far.
    var failureCount: Int { lock.withLock { failures } }

    /// An input that could not be handled: said on standard error and counted.
    func failed(_ error: any Error) {
        lock.withLock { failures += 1 }
        warn(ErrorHints.message(for: error))
    }

    /// A message that does not make the command fail.
    func warn(_ message: String) {
        progress?.clear()
        Diagnostics.warn(message)
    }

    /// Status 1 when any input failed; call once, after the last input.
    func exitIfAnyFailed() throws {
        if failureCount > 0 { throw ExitCode(1) }
    }
}
