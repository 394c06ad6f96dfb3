/// camelCase → snake_case, by the rule of Foundation's `JSONEncoder.KeyEncodingStrategy
/// .convertToSnakeCase`, so that encoder is an exact reference: a word ends before an
/// upper-case letter, and a run of capitals is one word except for its last capital when a
/// lower-case letter follows it. `durationSeconds` → `duration_seconds`, `peakDBFS` →
/// `peak_dbfs`, `sharedNGramShare` → `shared_n_gram_share`, `tonic_pc` stays `tonic_pc`.
/// Only ASCII letters have a case here; other bytes are copied as they are.
///
/// The writer keeps each converted key by its place in the object (`JSONWriter.beginField`):
/// a dictionary of converted keys by name, tried first, made encoding slower than
/// converting every time (hashing a key costs more than converting it).
public enum SnakeCase {
    public static func convert(_ key: String) -> String {
        var key = key
        return key.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * utf8.count + 1) { buffer in
                let count = write(utf8, to: buffer.baseAddress!)
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
            }
        }
    }

    /// Writes the key in snake_case at `output`, which has room for twice the key's bytes
    /// (every word but the first adds one underscore, and no word is empty); returns how many
    /// bytes it wrote.
    static func write(_ key: UnsafeBufferPointer<UInt8>, to output: UnsafeMutablePointer<UInt8>) -> Int {
        guard let bytes = key.baseAddress else { return 0 }
        let count = key.count
        var firstCapital = 0
        while firstCapital < count && !isUpper(bytes[firstCapital]) { firstCapital += 1 }
        // Most keys are snake_case already.
        guard firstCapital < count else {
            output.update(from: bytes, count: count)
            return count
        }
        var written = 0
        func appendWord(from first: Int, to end: Int) {
            if written > 0 {
                output[written] = UInt8(ascii: "_")
                written += 1
            }
            for index in first..<end {
                output[written] = isUpper(bytes[index]) ? bytes[index] + 32 : bytes[index]
                written += 1
            }
        }
        // The first byte never starts a new word, as in Foundation.
        var wordStart = 0
        var upper = max(firstCapital, 1)
        while upper < count {
            guard isUpper(bytes[upper]) else {
                upper += 1
                continue
            }
            appendWord(from: wordStart, to: upper)
            var lower = upper + 1
            while lower < count && !isLower(bytes[lower]) { lower += 1 }
            guard lower < count else {
                wordStart = upper
                break
            }
            if lower == upper + 1 {
                wordStart = upper
            } else {
                appendWord(from: upper, to: lower - 1)
                wordStart = lower - 1
            }
            upper = lower + 1
        }
        appendWord(from: wordStart, to: count)
        return written
    }

    private static func isUpper(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "A") < 26 }
    private static func isLower(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "a") < 26 }
}
