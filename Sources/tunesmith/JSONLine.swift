import Utilities

#if canImport(Glibc)
    // stdout is a C global; writing through it is safe (stdio locks the stream for each call).
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    @preconcurrency import Darwin
#endif

/// JSON lines for machines, the one writer every command uses: one compact object per line,
/// snake_case keys, NaN and the infinities (a metric with nothing to measure) as null.
/// See StreamingJSONEncoder. A value whose own `encode(to:)` throws is written as null, not
/// as half an object.
enum JSONLine {
    /// One `fwrite` per line into standard output's stdio buffer, the buffer `print` fills too,
    /// so JSON lines and text lines keep their order and a line is never split by another thread.
    static func print<Value: Encodable>(_ value: Value) {
        let written = try? StreamingJSONEncoder.withEncoded(value, lineBreak: true) { line in
            fwrite(line.baseAddress, 1, line.count, stdout)
        }
        if written == nil { Swift.print("null") }
    }

    /// One line of JSON, without its line break, as the bytes to print. Not a String: making
    /// one checks every byte is UTF-8 (a tenth of `inspect --json`'s instructions in callgrind),
    /// and the writer only ever writes UTF-8 (Swift strings and ASCII).
    static func encode<Value: Encodable>(_ value: Value) -> [UInt8] {
        (try? StreamingJSONEncoder.encode(value)) ?? Array("null".utf8)
    }

    /// Writes `line` and a line break into standard output's stdio buffer, as `print` does.
    static func write(_ line: [UInt8]) {
        line.withUnsafeBufferPointer { _ = fwrite($0.baseAddress, 1, $0.count, stdout) }
        fputc(0x0A, stdout)
    }
}
