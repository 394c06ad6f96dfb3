import Foundation
import Generation
import Testing

enum Fixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let directory = packageRoot.appendingPathComponent("../shared/fixtures/nn").standardized

    static func available(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(name).safetensors").path)
    }

    static func load(_ name: String) throws -> SafeTensors.File {
        try SafeTensors.read(path: directory.appendingPathComponent("\(name).safetensors").path)
    }
}

extension SafeTensors.File {
    func floats(_ name: String) -> [Float] {
        guard let tensor = tensors[name] else { fatalError("fixture lacks \(name)") }
        return tensor.floats
    }

    func integers(_ name: String) -> [Int32] { tensors[name]!.integers }

    func dimension(_ key: String) -> Int { Int(metadata[key]!)! }
}

/// A heap buffer whose pointer outlives the closure-based Array APIs.
final class Buffer {
    let storage: FloatBuffer
    init(_ values: [Float]) {
        storage = FloatBuffer(count: values.count)
        storage.base.update(from: values, count: values.count)
    }
    init(zeros count: Int) { storage = FloatBuffer(count: count) }
    var pointer: UnsafeMutablePointer<Float> { storage.base }
    var values: [Float] { storage.array }
}

/// (rows, columns) → (columns, rows).
func transposed(_ values: [Float], rows: Int, columns: Int) -> [Float] {
    (0..<(rows * columns)).map { index in values[(index % rows) * columns + index / rows] }
}

/// (A, B, rest) → (B, A, rest): batch-major to time-major and back.
func swapLeadingAxes(_ values: [Float], _ a: Int, _ b: Int) -> [Float] {
    let inner = values.count / (a * b)
    var result = [Float](repeating: 0, count: values.count)
    for i in 0..<a {
        for j in 0..<b { for k in 0..<inner { result[(j * a + i) * inner + k] = values[(i * b + j) * inner + k] } }
    }
    return result
}

func swapLeadingAxes(_ values: [Int32], _ a: Int, _ b: Int) -> [Int32] {
    swapLeadingAxes(values.map(Float.init), a, b).map { Int32($0) }
}

/// |actual − expected| ≤ relative · (|expected| + 1e-2 · max|expected|): a relative check
/// that does not demand relative precision of values that are zero up to rounding.
func expectClose(
    _ actual: [Float], _ expected: [Float], relative: Float = 1e-4, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        actual.count == expected.count, "\(label): \(actual.count) values, expected \(expected.count)",
        sourceLocation: sourceLocation)
    let scale = expected.map(abs).max() ?? 0
    var worst: (index: Int, error: Float) = (0, 0)
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        let error = abs(a - e) / (abs(e) + 1e-2 * scale + 1e-12)
        if worst.error.isNaN { break }
        if error.isNaN || error > worst.error { worst = (index, error) }
    }
    #expect(
        worst.error <= relative,
        "\(label): worst relative error \(worst.error) at \(worst.index): \(actual[worst.index]) vs \(expected[worst.index])",
        sourceLocation: sourceLocation)
}
