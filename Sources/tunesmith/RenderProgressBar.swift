import Foundation

/// A one-line progress bar on standard error, drawn only when it is a terminal so
/// pipes, logs and CI stay clean.
final class RenderProgressBar: Sendable {
    private let total: Int
    private let enabled: Bool
    private static let width = 30

    init(total: Int) {
        self.total = total
        self.enabled = isatty(STDERR_FILENO) != 0 && total > 1
    }

    func update(done: Int) {
        guard enabled else { return }
        let filled = Self.width * done / max(total, 1)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: Self.width - filled)
        write("\r\(bar) \(done)/\(total)")
    }

    func clear() {
        guard enabled else { return }
        write("\r\u{1B}[K")
    }

    func finish() { clear() }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
