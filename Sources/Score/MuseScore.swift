import Foundation

/// The `mscore3` program, run headless as a converter.
public struct MuseScore: Sendable {
    public var executable: String
    /// Seconds one conversion may take before MuseScore is stopped.
    public var timeout: Double

    public static let defaultTimeout = 120.0
    /// Names an alternative executable (another MuseScore 3 build, or a wrapper).
    public static let executableVariable = "TUNESMITH_MSCORE"

    public init(executable: String, timeout: Double = defaultTimeout) {
        self.executable = executable
        self.timeout = timeout
    }

    /// `mscore3` from TUNESMITH_MSCORE or the PATH.
    public static func locate(
        timeout: Double = defaultTimeout,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ScoreError) -> MuseScore {
        if let named = environment[executableVariable], !named.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: named) else {
                throw .museScoreMissing(looked: "\(executableVariable)=\(named)")
            }
            return MuseScore(executable: named, timeout: timeout)
        }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/mscore3"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return MuseScore(executable: candidate, timeout: timeout)
            }
        }
        throw .museScoreMissing(looked: "the PATH")
    }

    /// Converts `input` to every path in `outputs` (format by extension) in one run:
    /// MuseScore's start-up costs more than an export, so several outputs share a job.
    ///
    /// - Parameters:
    ///   - file: the name errors mention (the user's input, not the prepared copy).
    ///   - trimMargin: pixels kept around the music in SVG and PNG pages; nil for whole pages.
    ///   - workFolder: a private folder for the job description and MuseScore's log.
    public func convert(
        _ input: String, to outputs: [String], naming file: String,
        trimMargin: Int?, workFolder: String
    ) throws(ScoreError) {
        var arguments: [String] = []
        if let trimMargin { arguments += ["-T", String(trimMargin)] }
        if outputs.count == 1 {
            arguments += ["-o", outputs[0], input]
        } else {
            let jobPath = workFolder + "/job.json"
            let job: [[String: Any]] = [["in": input, "out": outputs]]
            do {
                let data = try JSONSerialization.data(withJSONObject: job)
                try data.write(to: URL(fileURLWithPath: jobPath))
            } catch {
                throw .cannotRun(
                    executable: executable,
                    reason: "cannot write the job file \(jobPath): \(error.localizedDescription)")
            }
            arguments += ["-j", jobPath]
        }
        try run(arguments, naming: file, workFolder: workFolder)
    }

    /// Runs MuseScore with its output in a log file (a pipe could fill and stall it),
    /// stopping it at the timeout: SIGTERM first, SIGKILL if it ignores that.
    private func run(_ arguments: [String], naming file: String, workFolder: String) throws(ScoreError) {
        let logPath = workFolder + "/mscore.log"
        guard FileManager.default.createFile(atPath: logPath, contents: nil),
            let log = FileHandle(forWritingAtPath: logPath)
        else {
            throw .cannotRun(executable: executable, reason: "cannot create the log file \(logPath)")
        }
        defer { try? log.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["QT_QPA_PLATFORM"] = "offscreen"
        // Qt warns on every run without it; MuseScore keeps nothing there that must last.
        environment["XDG_RUNTIME_DIR"] = workFolder
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw .cannotRun(executable: executable, reason: error.localizedDescription)
        }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if finished.wait(timeout: .now() + 5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                finished.wait()
            }
            throw .timedOut(file: file, seconds: timeout)
        }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let status =
                process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
            throw .museScoreFailed(file: file, status: status, log: Self.readLog(logPath))
        }
    }

    static func readLog(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
            .split(whereSeparator: \.isNewline)
            .filter { !$0.hasPrefix("QStandardPaths") }
            .joined(separator: "\n")
    }
}
