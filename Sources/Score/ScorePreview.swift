import Foundation
import MIDIFile
import Utilities

/// A piece's score for a report page: the first page as SVG and the whole score as PDF,
/// or why there is none. Reports show the reason instead of failing.
public enum ScorePreview: Hashable, Sendable, CustomStringConvertible {
    case available(firstPageSVG: String, pdf: String, pages: Int)
    case unavailable(reason: String)

    public var description: String {
        switch self {
        case .available(let svg, let pdf, let pages):
            "score: \(svg) (first of \(pages) page\(pages == 1 ? "" : "s")), \(pdf)"
        case .unavailable(let reason): "score unavailable: \(reason)"
        }
    }

    /// The first page's SVG ready to sit inside an HTML page (no XML prolog); nil when
    /// there is no score or the file cannot be read.
    public var inlineSVG: String? {
        guard case .available(let path, _, _) = self, let data = FileManager.default.contents(atPath: path) else {
            return nil
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let start = text.range(of: "<svg") else { return nil }
        return String(text[start.lowerBound...])
    }

    /// Engraves `input` once and writes `<name>.svg` (first page, trimmed) and
    /// `<name>.pdf` (all pages) into `folder`. Never throws: a missing MuseScore, a
    /// timeout or a broken file becomes `.unavailable` with the reason.
    /// - Parameter name: file name without extension; the input's name by default.
    public static func make(
        for input: String, in folder: String, name: String? = nil,
        timeout: Double = MuseScore.defaultTimeout,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> ScorePreview {
        do {
            let museScore = try MuseScore.locate(timeout: timeout, environment: environment)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let base = name ?? URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
            let svgPath = (folder as NSString).appendingPathComponent(base + ".svg")
            let pdfPath = (folder as NSString).appendingPathComponent(base + ".pdf")
            return try ScoreJob(input: input, museScore: museScore).run([.pdf, .svg]) { rendered in
                guard let svgPages = rendered.pages[.svg], let pdf = rendered.pages[.pdf]?.first else {
                    throw ScoreError.noOutput(file: input, expected: "SVG and PDF", log: "")
                }
                try AtomicFile.write(Data(ScoreRenderer.readBytes(svgPages[0], input: input)), to: svgPath)
                try AtomicFile.write(Data(ScoreRenderer.readBytes(pdf, input: input)), to: pdfPath)
                return .available(firstPageSVG: svgPath, pdf: pdfPath, pages: svgPages.count)
            }
        } catch let error as ScoreError {
            if case .museScoreMissing = error {
                return .unavailable(reason: "MuseScore 3 (mscore3) is not installed; \(ScoreError.installHint)")
            }
            return .unavailable(reason: error.description)
        } catch {
            return .unavailable(reason: "\(error)")
        }
    }
}
