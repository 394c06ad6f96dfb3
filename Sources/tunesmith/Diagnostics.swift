import Foundation

/// The one channel for messages to people: standard error, so standard output stays
/// clean for `--json` and for pipes.
enum Diagnostics {
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("tunesmith: \(message)\n".utf8))
    }

    static func printJSONLine<Value: Encodable>(_ value: Value) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let line = String(data: data, encoding: .utf8) else { return }
        print(line)
    }
}
