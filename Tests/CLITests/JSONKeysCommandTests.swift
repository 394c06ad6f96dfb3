import Foundation
import Testing

/// Every command speaks one JSON dialect: each line is one object, and every field name in
/// it, however deep, is snake_case.
enum JSONKeys {
    /// Fields whose values are maps keyed by data (status names, reason codes, finding
    /// kinds, key names, metric names) rather than by field names; those keys stay as they are.
    static let dataKeyedMaps: Set<String> = [
        "by_status", "rejected_by_reason", "duplicates_by_reason", "skipped_by_reason", "repairs_by_kind",
        "kept_by_key", "kept_by_family", "overlap", "typical_share",
    ]

    static func isSnakeCase(_ key: String) -> Bool {
        !key.isEmpty
            && key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// The field names that are not snake_case, with where they are, over every line of `output`.
    static func offendingKeys(in output: String) throws -> [String] {
        var offending: [String] = []
        func visit(_ value: Any, at path: String) {
            if let object = value as? [String: Any] {
                for (key, child) in object {
                    if !isSnakeCase(key) { offending.append(path + "." + key) }
                    if !dataKeyedMaps.contains(key) { visit(child, at: path + "." + key) }
                }
            } else if let array = value as? [Any] {
                for child in array { visit(child, at: path + "[]") }
            }
        }
        for line in output.split(separator: "\n") {
            let parsed = try JSONSerialization.jsonObject(with: Data(line.utf8))
            let object = try #require(parsed as? [String: Any], "\(line)")
            visit(object, at: "")
        }
        return offending
    }

    /// Runs one command and checks its lines; returns them for further checks.
    @discardableResult
    static func check(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let outcome = try CommandRunner.run(arguments)
        #expect(outcome.status == 0, "\(arguments[0]): \(outcome.standardError)", sourceLocation: sourceLocation)
        #expect(!outcome.standardOutput.isEmpty, "\(arguments[0]) printed nothing", sourceLocation: sourceLocation)
        #expect(
            try offendingKeys(in: outcome.standardOutput) == [], "\(arguments.prefix(2))",
            sourceLocation: sourceLocation)
        return outcome.standardOutput
    }
}

@Suite struct JSONKeysCommandTests {
    @Test func theCheckCatchesCamelCaseAtAnyDepth() throws {
        #expect(
            try JSONKeys.offendingKeys(in: #"{"a":[{"b":{"sharedNGramShare":1}}],"kept_by_key":{"C major":1}}"#)
                == [".a[].b.sharedNGramShare"])
    }

    @Test func readingAnalysingAndCorpusCommands() throws {
        let scratch = try ScratchFolder()
        let corpus = try scratch.writeRandomCorpus()
        let damaged = try scratch.write(damagedTwoNotes, named: "corpus/damaged \"quoted\".mid")
        let files = (0..<8).map { corpus + "/piece\($0).mid" } + [damaged]
        let out = scratch.url.path

        let inspected = try JSONKeys.check(["inspect", "--json"] + files)
        #expect(inspected.contains("\"duration_seconds\":") && inspected.contains("\"key_signatures\":"))
        try JSONKeys.check(["repair", "--json", "-o", out + "/repaired"] + files)
        let analysed = try JSONKeys.check(["analyze", "--json", "--total", "--clean", corpus])
        #expect(analysed.contains("\"pitch_class_histogram\":") && analysed.contains("\"total\":true"))
        try JSONKeys.check(["corpus", "ingest", corpus, "--into", out + "/catalogued", "--json"])
        let listed = try JSONKeys.check(["corpus", "list", out + "/catalogued", "--json"])
        #expect(listed.contains("\"clean_file\":") && listed.contains("\"tempo_min_bpm\":"))
        try JSONKeys.check(["corpus", "stats", out + "/catalogued", "--json"])
        try JSONKeys.check(["report", corpus, "-o", out + "/report", "--json"])
        let evaluated = try JSONKeys.check([
            "evaluate", corpus + "/piece0.mid", "--against", corpus, "--cache", out + "/cache", "--json",
        ])
        #expect(evaluated.contains("\"inter_onset_histogram\":"))
        #expect(evaluated.contains("\"shared_notes\":") && evaluated.contains("\"median_percentile\":"))
    }

    @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/usr/share/sounds/sf2/TimGM6mb.sf2")))
    func renderLines() throws {
        let scratch = try ScratchFolder()
        let corpus = try scratch.writeRandomCorpus()
        let rendered = try JSONKeys.check([
            "render", corpus + "/piece0.mid", "-o", scratch.url.path + "/audio",
            "--soundfont", "/usr/share/sounds/sf2/TimGM6mb.sf2", "--json",
        ])
        #expect(rendered.contains("\"sample_rate\":") && rendered.contains("\"peak_dbfs\":"))
    }
}
