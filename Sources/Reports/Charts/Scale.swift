import Foundation

/// Maps data values onto pixels along one axis, and chooses the ticks a reader sees.
struct Scale {
    enum Kind { case linear, logarithmic }

    let kind: Kind
    let domain: ClosedRange<Double>
    /// Pixels; `range.lowerBound` is where `domain.lowerBound` lands (may be the larger number, for y).
    let range: (start: Double, end: Double)

    /// A linear scale from 0 (or the data's minimum) to a round number at or above the maximum.
    static func linear(covering values: [Double], from start: Double, to end: Double, includeZero: Bool = true) -> Scale
    {
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0, high = finite.max() ?? 1
        if includeZero {
            low = min(0, low)
            high = max(0, high)
        }
        if high <= low { high = low + 1 }
        let step = TickStep.nice(span: high - low, count: 5)
        let domain = (low / step).rounded(.down) * step...(high / step).rounded(.up) * step
        return Scale(kind: .linear, domain: domain, range: (start, end))
    }

    /// A log scale widened to whole powers of ten … or tighter bounds when given.
    static func logarithmic(from low: Double, to high: Double, pixelsFrom start: Double, to end: Double) -> Scale {
        let lower = max(low, 1e-9), upper = max(high, lower * 10)
        return Scale(kind: .logarithmic, domain: lower...upper, range: (start, end))
    }

    func position(of value: Double) -> Double {
        let fraction: Double
        switch kind {
        case .linear:
            fraction = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        case .logarithmic:
            let clamped = max(value, domain.lowerBound)
            fraction = log10(clamped / domain.lowerBound) / log10(domain.upperBound / domain.lowerBound)
        }
        return range.start + fraction * (range.end - range.start)
    }

    /// Round-numbered ticks: 0, 5, 10 … for linear scales; 1-2-5 steps per decade for log ones.
    func ticks(count: Int = 5) -> [Double] {
        switch kind {
        case .linear:
            let step = TickStep.nice(span: domain.upperBound - domain.lowerBound, count: count)
            let first = (domain.lowerBound / step).rounded(.up)
            let last = (domain.upperBound / step).rounded(.down)
            guard first <= last else { return [] }
            return stride(from: first, through: last, by: 1).map { $0 * step }
        case .logarithmic:
            var ticks: [Double] = []
            var decade = pow(10, log10(domain.lowerBound).rounded(.down))
            while decade <= domain.upperBound {
                for multiple in [1.0, 2, 5] where (domain.lowerBound...domain.upperBound).contains(decade * multiple) {
                    ticks.append(decade * multiple)
                }
                decade *= 10
            }
            return ticks
        }
    }
}

enum TickStep {
    /// A step of 1, 2 or 5 times a power of ten giving about `count` intervals over `span`.
    static func nice(span: Double, count: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(1, count))
        let magnitude = pow(10, log10(raw).rounded(.down))
        let normalized = raw / magnitude
        let multiple: Double = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10
        return multiple * magnitude
    }
}

/// Tick and value labels: short, without float noise ("0.30000000000000004"), thousands as "k".
public enum NumberText {
    public static func tick(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1_000_000 { return trimmed(value / 1_000_000) + "M" }
        if magnitude >= 10_000 { return trimmed(value / 1000) + "k" }
        return trimmed(value)
    }

    /// A value for a table cell or tooltip: up to three significant decimals.
    public static func value(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        let digits = abs(value) >= 100 ? 1 : abs(value) >= 1 ? 2 : 3
        return String(format: "%.\(digits)f", value)
    }

    /// A count for people: 298,540.
    public static func count(_ value: Int) -> String {
        let digits = String(abs(value))
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// A value for a data file: exact, so the CSV can be checked against the source.
    public static func data(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    static func trimmed(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.3f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
