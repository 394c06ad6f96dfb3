import Foundation

/// The one channel for messages to people: standard error, so standard output stays
/// clean for `--json` and for pipes.
enum Diagnostics {
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("tunesmith: \(message)\n".utf8))
    }

}
