import Foundation
import MIDIFile
import Utilities

/// What rendering one input produced.
public struct ScoreResult: Codable, Hashable, Sendable {
    public var file: String
    /// Files written, first page first (image formats write one file per page).
    public var outputs: [String]
    /// Pages written (nil for MusicXML, which has no pages).
    public var pages: Int?
    /// Pages the whole score has, before `--pages` cut it.
    public var totalPages: Int?
    public var title: String
    public var composer: String?
    /// The key ("D major") and its signature (sharps positive, flats negative).
    public var key: String?
    public var fifths: Int?
    /// "file" when the file states its key signature, "key finder" when it was estimated.
    public var keySource: String?
    /// The grid most bars are written on, and how many bars each grid got.
    public var grid: String
    public var barsInSixteenths: Int
    public var barsInTriplets: Int
    public var barsInThirtySeconds: Int
    /// Bars written, an opening pickup included.
    public var measures: Int
    /// Tempo directions written: metronome marks, and rit. / accel. / a tempo.
    public var metronomeMarks: Int
    public var tempoWords: Int
    public var staves: [String]
    public var museScoreSeconds: Double
}

/// The library side of `tunesmith score`.
public enum ScoreRenderer {
    /// Where each input's score goes: OUT itself for one input; for several,
    /// `OUT-<input name>.<ext>` beside OUT (a number added when two inputs share a name).
    public static func outputPaths(for inputs: [String], output: String) -> [String] {
        guard inputs.count > 1 else { return [output] }
        let path = output as NSString
        let folder = path.deletingLastPathComponent
        let stem = (path.lastPathComponent as NSString).deletingPathExtension
        let ext = path.pathExtension
        var used: [String: Int] = [:]
        return inputs.map { input in
            let name = ((input as NSString).lastPathComponent as NSString).deletingPathExtension
            used[name, default: 0] += 1
            let unique = used[name]! == 1 ? name : "\(name)-\(used[name]!)"
            return (folder as NSString).appendingPathComponent("\(stem)-\(unique).\(ext)")
        }
    }

    /// Page k (k > 1) of an image score: `name-k.svg` beside `name.svg`.
    public static func pagePath(_ output: String, page: Int) -> String {
        guard page > 1 else { return output }
        let path = output as NSString
        return path.deletingPathExtension + "-\(page)." + path.pathExtension
    }

    /// Prepares `input`, has MuseScore engrave it, and writes the result to `output`
    /// (format by extension), each file through a temporary file renamed into place.
    /// - Parameter pages: keep only the first N pages (PDF, SVG, PNG).
    public static func render(_ input: String, to output: String, pages: Int? = nil, museScore: MuseScore) throws
        -> ScoreResult
    {
        guard let format = ScoreFormat(path: output) else { throw ScoreError.unsupportedOutput(path: output) }
        if pages != nil, !format.supportsPageLimit { throw ScoreError.pagesNotApplicable(format: format) }
        return try ScoreJob(input: input, museScore: museScore).run([format]) { rendered in
            let produced = rendered.pages[format] ?? []
            var written: [String] = []
            var total: Int?
            switch format {
            case .pdf:
                let bytes = try readBytes(produced[0], input: input)
                total = try PDFPages.pageCount(bytes)
                let kept = try pages.map { limit in try PDFPages.keepingFirst(limit, of: bytes) } ?? bytes
                try AtomicFile.write(Data(kept), to: output)
                written = [output]
            case .svg, .png:
                total = produced.count
                for (index, page) in produced.prefix(pages ?? produced.count).enumerated() {
                    let destination = pagePath(output, page: index + 1)
                    try AtomicFile.write(Data(readBytes(page, input: input)), to: destination)
                    written.append(destination)
                }
            case .musicxml:
                try AtomicFile.write(Data(readBytes(produced[0], input: input)), to: output)
                written = [output]
            }
            let prepared = rendered.prepared
            return ScoreResult(
                file: input, outputs: written,
                pages: format == .musicxml ? nil : min(pages ?? Int.max, total ?? 0),
                totalPages: total, title: prepared.title, composer: prepared.composer,
                key: rendered.key?.name, fifths: prepared.keySignature?.sharps,
                keySource: rendered.key == nil ? nil : rendered.keyIsStated ? "file" : "key finder",
                grid: prepared.grid.rawValue,
                barsInSixteenths: prepared.barsByGrid[.sixteenths] ?? 0,
                barsInTriplets: prepared.barsByGrid[.triplets] ?? 0,
                barsInThirtySeconds: prepared.barsByGrid[.thirtySeconds] ?? 0,
                measures: prepared.measureCount,
                metronomeMarks: prepared.notated.tempoMarks.filter { $0.mark.words == nil }.count,
                tempoWords: prepared.notated.tempoMarks.filter { $0.mark.words != nil }.count,
                staves: prepared.staves, museScoreSeconds: rendered.seconds)
        }
    }

    static func readBytes(_ path: String, input: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScoreError.noOutput(
                file: input, expected: "readable \(URL(fileURLWithPath: path).lastPathComponent)", log: "")
        }
        return [UInt8](data)
    }
}
