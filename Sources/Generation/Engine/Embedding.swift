import Utilities

/// Token (and optional learned position) embedding.
public enum Embedding {
    /// out (N, C) = table[tokens[n]] (+ positions[n % T] when given); table (V, C), positions (T, C).
    public static func forward(
        out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>, table: UnsafePointer<Float>,
        positions: UnsafePointer<Float>? = nil, rows: Int, time: Int = 1, channels: Int
    ) {
        Parallel.forRanges(rows, minimumPerChunk: 1 << 14 / max(channels, 1)) { range in
            for row in range {
                let destination = out + row * channels
                destination.update(from: table + Int(tokens[row]) * channels, count: channels)
                if let positions {
                    let position = positions + (row % time) * channels
                    for c in 0..<channels { destination[c] += position[c] }
                }
            }
        }
    }

    /// dtable[tokens[n]] += dout[n]; dpositions[n % T] += dout[n]. Serial on purpose: repeated
    /// tokens make rows collide, and a fixed order keeps training deterministic.
    public static func backward(
        dtable: UnsafeMutablePointer<Float>, dpositions: UnsafeMutablePointer<Float>? = nil,
        dout: UnsafePointer<Float>, tokens: UnsafePointer<Int32>, rows: Int, time: Int = 1, channels: Int
    ) {
        for row in 0..<rows {
            let gradient = dout + row * channels
            let tableRow = dtable + Int(tokens[row]) * channels
            for c in 0..<channels { tableRow[c] += gradient[c] }
            if let dpositions {
                let positionRow = dpositions + (row % time) * channels
                for c in 0..<channels { positionRow[c] += gradient[c] }
            }
        }
    }

    /// Reference: one element at a time, no parallelism.
    public static func forwardReference(
        out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>, table: UnsafePointer<Float>,
        positions: UnsafePointer<Float>? = nil, rows: Int, time: Int = 1, channels: Int
    ) {
        for row in 0..<rows {
            for c in 0..<channels {
                var value = table[Int(tokens[row]) * channels + c]
                if let positions { value += positions[(row % time) * channels + c] }
                out[row * channels + c] = value
            }
        }
    }
}
