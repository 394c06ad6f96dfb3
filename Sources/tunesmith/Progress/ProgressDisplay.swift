import Foundation

/// The one progress line of the CLI: redrawn in place on standard error, and only when standard
/// error is a terminal, so pipes, logs and CI never see carriage returns. Safe to call from any
/// thread; redraws at most ten times a second so a fast loop does not spend its time drawing.
final class ProgressDisplay: @unchecked Sendable {
    /// What is counted, e.g. "files", "pieces", "tokens".
    let unit: String
    private let write: @Sendable (String) -> Void
    private let clock: @Sendable () -> Double
    private let minimumInterval: Double
    // Every mutable field is read and written only while `lock` is held.
    private let lock = NSLock()
    private var started: Double?
    private var lastDrawn = -Double.infinity
    private var visible = false

    private static let barWidth = 24

    /// Draws on standard error when it is a terminal, and nowhere otherwise.
    convenience init(unit: String = "files") {
        let terminal = isatty(STDERR_FILENO) == 1
        self.init(
            unit: unit,
            write: { text in
                guard terminal else { return }
                FileHandle.standardError.write(Data(text.utf8))
            })
    }

    init(
        unit: String, minimumInterval: Double = 0.1, write: @escaping @Sendable (String) -> Void,
        clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }
    ) {
        self.unit = unit
        self.minimumInterval = minimumInterval
        self.write = write
        self.clock = clock
    }

    /// "[████····] 120/751 files  45 files/s  ETA 0:14"; the rate and ETA appear once there
    /// is a rate to speak of. The last item is always drawn, however soon after the one before.
    func update(done: Int, total: Int) {
        lock.withLock {
            let now = clock()
            let since = now - (started ?? now)
            if started == nil { started = now }
            guard done >= total || now - lastDrawn >= minimumInterval else { return }
            var text = "\(done)/\(total) \(unit)"
            if since > 0, done > 0 {
                let rate = Double(done) / since
                text += String(format: "  %.0f %@/s", rate, unit)
                if done < total { text += "  ETA " + Self.duration(Double(total - done) / rate) }
            }
            draw(fraction: total > 0 ? Double(done) / Double(total) : 1, text, at: now)
        }
    }

    /// A bar with the caller's own words beside it, for work that counts something other
    /// than items (training steps with their loss and speed).
    func update(fraction: Double, _ text: String) {
        lock.withLock {
            let now = clock()
            guard now - lastDrawn >= minimumInterval else { return }
            draw(fraction: fraction, text, at: now)
        }
    }

    /// Erases the line so that what is printed next starts clean; the next update redraws it.
    func clear() {
        lock.withLock {
            guard visible else { return }
            write("\r\u{1B}[2K")
            visible = false
            // The next update redraws at once rather than leave the line blank until the interval passes.
            lastDrawn = -Double.infinity
        }
    }

    /// Minutes and seconds, with hours when there are any: "4:05", "1:02:09".
    static func duration(_ seconds: Double) -> String {
        let total = seconds.isFinite ? Int(seconds.rounded()) : 0
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }

    private func draw(fraction: Double, _ text: String, at now: Double) {
        let filled = Int((min(max(fraction, 0), 1) * Double(Self.barWidth)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: Self.barWidth - filled)
        write("\r\u{1B}[2K[\(bar)] \(text)")
        lastDrawn = now
        visible = true
    }
}
