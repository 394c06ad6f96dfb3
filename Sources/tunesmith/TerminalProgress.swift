import Foundation

/// One self-overwriting line on standard error, drawn only when it is a terminal, so
/// pipes and CI logs stay clean.
final class TerminalProgress: @unchecked Sendable {
    let enabled = isatty(STDERR_FILENO) == 1
    private var lastDraw = Date.distantPast
    private let lock = NSLock()

    func draw(fraction: Double, _ text: String, force: Bool = false) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        guard force || Date().timeIntervalSince(lastDraw) > 0.2 else { return }
        lastDraw = Date()
        let width = 24, filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[2K[\(bar)] \(text)".utf8))
    }

    func finishLine() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60) : String(format: "%d:%02d", total / 60, total % 60)
    }
}
