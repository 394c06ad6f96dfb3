import ArgumentParser
import Foundation
import Utilities

/// The loop every batch command shares, after swift-format's frontend: a command hands over its
/// inputs and what to do with one of them; the front end does it (on several threads if asked),
/// prints each result as a JSON line or as text in input order, reports and counts the inputs
/// that fail without stopping at them, keeps the progress line, and at the end exits with
/// status 1 when any input failed.
final class BatchFrontend: @unchecked Sendable {
    let json: Bool
    let diagnostics: DiagnosticsEngine
    private let progress: ProgressDisplay?
    private let inputCount: Int
    /// Standard output shares the terminal with the progress line, which must then be cleared
    /// before each result; when it goes to a pipe or file the line can stay.
    private let printsToTerminal = isatty(STDOUT_FILENO) == 1
    /// Where the result lines go instead of standard output (written whole at `finish`).
    private let resultsFile: String?
    // `finished` and `heldLines` are read and written only while `lock` is held.
    private let lock = NSLock()
    private var finished = 0
    private var heldLines: [[UInt8]] = []

    /// `unit` names what the progress line counts; `resultsFile` sends the result lines to a
    /// file, replaced whole at `finish`, instead of standard output.
    init(json: Bool, inputCount: Int, unit: String = "files", resultsFile: String? = nil) {
        self.json = json
        self.inputCount = inputCount
        self.resultsFile = resultsFile
        progress = inputCount > 1 ? ProgressDisplay(unit: unit) : nil
        diagnostics = DiagnosticsEngine(progress: progress)
    }

    /// Runs `perform` on every input on up to `jobs` threads (JSON encoding and text included),
    /// and prints the results in input order whatever order they finish in. `perform` gets the
    /// input and its position among `inputs`, and returns nil for an input with nothing to show
    /// (having said why through `diagnostics`). `collect` sees each result, in input order, on
    /// this thread: the place to sum totals.
    func process<Value: Encodable & Sendable>(
        _ inputs: [String], jobs: Int, text: @escaping @Sendable (Value) -> String,
        perform: @escaping @Sendable (_ input: String, _ position: Int) throws -> Value?,
        collect: (Value) -> Void = { _ in }
    ) throws {
        let json = json
        progress?.update(done: 0, total: inputCount)
        try OrderedParallelMap.run(
            count: inputs.count, jobs: min(jobs, inputs.count),
            work: { position in
                Result { try perform(inputs[position], position).map { ShownResult($0, json: json, text: text) } }
            },
            consume: { position, outcome in
                show(inputs[position], outcome)
                if case .success(let shown?) = outcome { collect(shown.value) }
            })
    }

    /// The same, one input at a time on this thread, for work that cannot be shared between
    /// threads (one MuseScore at a time, an evaluation holding a corpus).
    func process<Value: Encodable>(
        _ inputs: [String], text: (Value) -> String,
        perform: (_ input: String, _ position: Int) throws -> Value?,
        collect: (Value) -> Void = { _ in }
    ) {
        progress?.update(done: 0, total: inputCount)
        for (position, input) in inputs.enumerated() {
            let outcome = Result { try perform(input, position).map { ShownResult($0, json: json, text: text) } }
            show(input, outcome)
            if case .success(let shown?) = outcome { collect(shown.value) }
        }
    }

    /// One input's result from work the command ran itself (a renderer with its own workers);
    /// safe to call from any thread. Results are printed in the order they are recorded.
    func record<Value: Encodable>(_ input: String, _ result: Result<Value, any Error>, text: (Value) -> String) {
        show(input, result.map { ShownResult($0, json: json, text: text) })
    }

    /// A line that is not about one input, such as totals or a summary after the inputs.
    func emit<Value: Encodable>(_ value: Value, text: @autoclosure () -> String) {
        lock.withLock { write(json ? JSONLine.encode(value) : Array(text().utf8)) }
    }

    /// Clears the progress line, writes the results file if there is one, and throws exit
    /// status 1 when an input failed or the results could not be written.
    func finish() throws {
        progress?.clear()
        if let resultsFile {
            let text = lock.withLock { heldLines.map { $0 + [0x0A] }.joined() }
            do {
                try AtomicFile.write(Data(text), to: resultsFile)
            } catch {
                diagnostics.warn("--output: \(ErrorHints.message(for: error))")
                throw ExitCode(1)
            }
        }
        try diagnostics.exitIfAnyFailed()
    }

    private func show<Value: Encodable>(_ input: String, _ outcome: Result<ShownResult<Value>?, any Error>) {
        lock.withLock {
            switch outcome {
            case .success(let shown):
                if let shown { write(shown.line) }
            case .failure(let error):
                if json { write(JSONLine.encode(FailedFile(file: input, error: ErrorHints.message(for: error)))) }
                diagnostics.failed(error)
            }
            finished += 1
            progress?.update(done: finished, total: inputCount)
        }
    }

    /// Called with `lock` held, so lines from different threads never interleave. A line is
    /// UTF-8 bytes (a JSON line is never made a String; see `JSONLine.encode`).
    private func write(_ line: [UInt8]) {
        guard resultsFile == nil else { return heldLines.append(line) }
        if printsToTerminal { progress?.clear() }
        JSONLine.write(line)
    }
}

/// A result with its line already made, so that the JSON encoding of each input happens on
/// the thread that worked on it rather than one after another on the printing thread.
private struct ShownResult<Value: Encodable> {
    let value: Value
    let line: [UInt8]

    init(_ value: Value, json: Bool, text: (Value) -> String) {
        self.value = value
        line = json ? JSONLine.encode(value) : Array(text(value).utf8)
    }
}

extension ShownResult: Sendable where Value: Sendable {}

/// The JSON line of an input that failed, in place of its result.
struct FailedFile: Encodable {
    var file: String
    var error: String
}
