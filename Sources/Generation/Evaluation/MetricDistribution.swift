import Foundation
import Utilities

/// A measure's values over a reference set (the corpus), to place a piece in it and to
/// compare whole sets as Yang & Lerch (2018) do.
public struct MetricDistribution: Sendable {
    public let sorted: [Double]

    public init(_ values: [Double]) { sorted = values.filter(\.isFinite).sorted() }

    /// Share of reference values below `value` (ties count half), 0…1.
    public func percentile(of value: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let below = sorted.partitioningIndex { $0 >= value }
        let notAbove = sorted.partitioningIndex { $0 > value }
        return (Double(below) + Double(notAbove - below) / 2) / Double(sorted.count)
    }

    /// The value at quantile `q` (0…1), linearly interpolated.
    public func quantile(_ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let position = q * Double(sorted.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, sorted.count - 1)
        return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }

    /// Yang & Lerch's overlapping area: the Gaussian-kernel densities of the reference set's
    /// pairwise distances and of the distances from each candidate to each reference value,
    /// integrated where both are high. 1 means the candidates are spread like the
    /// reference; near 0, they are not like it.
    public func overlap(with candidates: [Double]) -> Double {
        let reference = sorted
        guard reference.count >= 2, !candidates.isEmpty else { return .nan }
        var intra: [Double] = []
        for i in reference.indices {
            for j in (i + 1)..<reference.count { intra.append(abs(reference[i] - reference[j])) }
        }
        let inter = candidates.flatMap { candidate in reference.map { abs(candidate - $0) } }
        return Self.overlapArea(intra, inter)
    }

    static func overlapArea(_ first: [Double], _ second: [Double]) -> Double {
        let low = min(first.min()!, second.min()!), high = max(first.max()!, second.max()!)
        guard high > low else { return 1 }
        let points = 512
        let step = (high - low) / Double(points - 1)
        let a = density(first, from: low, step: step, points: points),
            b = density(second, from: low, step: step, points: points)
        return zip(a, b).reduce(0) { $0 + min($1.0, $1.1) } * step
    }

    /// Gaussian kernel density with Silverman's bandwidth, on a regular grid.
    static func density(_ values: [Double], from low: Double, step: Double, points: Int) -> [Double] {
        let mean = values.reduce(0, +) / Double(values.count)
        let deviation = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, values.count - 1)))
            .squareRoot()
        let bandwidth = max(1.06 * deviation * pow(Double(values.count), -0.2), step)
        // Kernels beyond four bandwidths add nothing visible; a histogram of the values
        // first keeps this linear in the number of values.
        var counts = [Double](repeating: 0, count: points)
        for value in values { counts[min(points - 1, max(0, Int(((value - low) / step).rounded())))] += 1 }
        let reach = Int((4 * bandwidth / step).rounded(.up))
        let kernel = (-reach...reach).map {
            exp(-0.5 * pow(Double($0) * step / bandwidth, 2)) / (bandwidth * (2 * Double.pi).squareRoot())
        }
        var result = [Double](repeating: 0, count: points)
        for (index, count) in counts.enumerated() where count > 0 {
            for offset in -reach...reach where (0..<points).contains(index + offset) {
                result[index + offset] += count * kernel[offset + reach]
            }
        }
        return result.map { $0 / Double(values.count) }
    }
}
