/// Notes as bars on a pitch × time grid, coloured by track, with bar lines and every C
/// named. Meant for the opening measures of a piece: it draws at most `maximumNotes`.
public struct PianoRoll: Sendable {
    public struct Note: Sendable, Hashable {
        /// Quarter-note beats from the start of the piece.
        public var startBeat: Double
        public var endBeat: Double
        public var pitch: Int
        public var name: String
        /// Index into the palette's series colours (the note's track).
        public var voice: Int

        public init(startBeat: Double, endBeat: Double, pitch: Int, name: String, voice: Int) {
            self.startBeat = startBeat
            self.endBeat = endBeat
            self.pitch = pitch
            self.name = name
            self.voice = voice
        }
    }

    public struct BarLine: Sendable, Hashable {
        public var measure: Int
        public var beat: Double

        public init(measure: Int, beat: Double) {
            self.measure = measure
            self.beat = beat
        }
    }

    public var id: String
    public var title: String
    public var notes: [Note]
    public var barLines: [BarLine]
    /// Where the roll ends, in beats (the end of the last measure shown).
    public var endBeat: Double
    public var voiceNames: [Int: String]
    public var caption: String?
    public var maximumNotes = 4000
    public var width: Double = 760
    public var height: Double = 300

    public init(
        id: String, title: String, notes: [Note], barLines: [BarLine], endBeat: Double, voiceNames: [Int: String] = [:],
        caption: String? = nil
    ) {
        self.id = id
        self.title = title
        self.notes = notes
        self.barLines = barLines
        self.endBeat = endBeat
        self.voiceNames = voiceNames
        self.caption = caption
    }

    public func render() -> Chart {
        let drawn = Array(notes.sorted { $0.startBeat < $1.startBeat }.prefix(maximumNotes))
        let plot = PlotArea(width: width, height: height, margins: (66, 58, 20, 50))
        var canvas = SVGCanvas(width: width, height: height)
        plot.drawTitle(title, on: &canvas)
        guard let lowest = drawn.map(\.pitch).min(), let highest = drawn.map(\.pitch).max(), endBeat > 0 else {
            plot.drawNoData("no pitched notes in these measures", on: &canvas)
            return finish(canvas, drawn: drawn)
        }
        let low = lowest - 2, high = highest + 2
        let rowHeight = plot.height / Double(high - low + 1)
        let startBeat = barLines.first?.beat ?? 0
        let beatWidth = plot.width / max(endBeat - startBeat, 1e-9)
        func x(_ beat: Double) -> Double { plot.left + (beat - startBeat) * beatWidth }
        func y(_ pitch: Int) -> Double { plot.top + Double(high - pitch) * rowHeight }

        for pitch in low...high where [1, 3, 6, 8, 10].contains(pitch % 12) {
            canvas.rect(x: plot.left, y: y(pitch), width: plot.width, height: rowHeight, fill: "#f4f4f4")
        }
        for pitch in low...high where pitch % 12 == 0 {
            canvas.line(
                x1: plot.left, y1: y(pitch) + rowHeight, x2: plot.right, y2: y(pitch) + rowHeight, stroke: Palette.grid)
            canvas.text(
                "C\(pitch / 12 - 1)", x: plot.left - 6, y: y(pitch) + rowHeight / 2 + 4, anchor: .end, size: 11,
                fill: Palette.mutedText, cssClass: "tick-label y")
        }
        let labelStep = max(1, Int((28 / max(1e-9, plot.width / Double(max(1, barLines.count)))).rounded(.up)))
        for (index, line) in barLines.enumerated() {
            canvas.line(x1: x(line.beat), y1: plot.top, x2: x(line.beat), y2: plot.bottom, stroke: "#c8c8c8")
            if index % labelStep == 0 {
                canvas.text(
                    String(line.measure), x: x(line.beat) + 3, y: plot.bottom + 16, size: 11, fill: Palette.mutedText,
                    cssClass: "tick-label x")
            }
        }
        for note in drawn {
            canvas.rect(
                x: x(note.startBeat), y: y(note.pitch) + 0.5,
                width: max(1.5, (note.endBeat - note.startBeat) * beatWidth - 0.5),
                height: max(1, rowHeight - 1), fill: Palette.series(note.voice), cssClass: "note",
                tooltip:
                    "\(note.name), beat \(NumberText.value(note.startBeat)) for \(NumberText.value(note.endBeat - note.startBeat))"
            )
        }
        canvas.line(x1: plot.left, y1: plot.top, x2: plot.left, y2: plot.bottom, stroke: Palette.axis)
        plot.drawBaseline(on: &canvas)
        canvas.text(
            "measure", x: (plot.left + plot.right) / 2, y: height - 12, anchor: .middle, size: 12,
            cssClass: "axis-label x")
        canvas.text(
            "pitch", x: 16, y: (plot.top + plot.bottom) / 2, anchor: .middle, size: 12, rotate: -90,
            cssClass: "axis-label y")
        let voices = Array(Set(drawn.map(\.voice))).sorted().prefix(6)
        for (position, voice) in voices.enumerated() {
            let legendX = plot.left + Double(position) * 115
            canvas.rect(x: legendX, y: 34, width: 14, height: 10, fill: Palette.series(voice))
            canvas.text(voiceNames[voice] ?? "track \(voice)", x: legendX + 19, y: 43, size: 12, cssClass: "legend")
        }
        return finish(canvas, drawn: drawn)
    }

    private func finish(_ canvas: SVGCanvas, drawn: [Note]) -> Chart {
        let rows = drawn.map {
            [
                NumberText.data($0.startBeat), NumberText.data($0.endBeat), String($0.pitch), $0.name,
                voiceNames[$0.voice] ?? "track \($0.voice)",
            ]
        }
        var note = caption
        if notes.count > drawn.count {
            note = [caption, "The first \(drawn.count) of \(notes.count) notes are drawn."].compactMap { $0 }.joined(
                separator: " ")
        }
        return Chart(
            id: id, title: title, svg: canvas.render(title: title),
            data: ChartTable(columns: ["start beat", "end beat", "pitch", "name", "track"], rows: rows), caption: note)
    }
}
