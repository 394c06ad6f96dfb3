/// The key of each measure window as one coloured band per window, in the manner of
/// music21's windowed key plots but readable: runs of one key are labelled in place,
/// minor keys are darker and striped (mode never rests on colour alone), a legend names
/// every key shown, and a strip below gives each window's correlation as its strength.
public struct KeyBandChart: Sendable {
    public struct KeyLabel: Sendable, Hashable {
        public var name: String
        public var tonic: Int
        public var isMinor: Bool

        public init(name: String, tonic: Int, isMinor: Bool) {
            self.name = name
            self.tonic = tonic
            self.isMinor = isMinor
        }
    }

    public struct Window: Sendable, Hashable {
        public var firstMeasure: Int
        public var lastMeasure: Int
        /// Nil when the window has no pitched notes.
        public var key: KeyLabel?
        public var correlation: Double?

        public init(firstMeasure: Int, lastMeasure: Int, key: KeyLabel?, correlation: Double?) {
            self.firstMeasure = firstMeasure
            self.lastMeasure = lastMeasure
            self.key = key
            self.correlation = correlation
        }
    }

    public var id: String
    public var title: String
    public var windows: [Window]
    public var caption: String?
    public var width: Double = 760

    public init(id: String, title: String, windows: [Window], caption: String? = nil) {
        self.id = id
        self.title = title
        self.windows = windows
        self.caption = caption
    }

    /// What one band stands for: a window, or on long pieces a run of neighbouring windows
    /// shown by the key most of them have.
    struct Slot {
        var firstMeasure: Int
        var lastMeasure: Int
        var key: KeyLabel?
        /// Mean correlation of the windows in `key`.
        var correlation: Double?
        var windows: Int
        var windowsInKey: Int
    }

    /// Bands stay at least 2 px wide: a 100,000-measure file gets a few hundred bands, not 100,000.
    static let minimumBandWidth = 2.0

    static func slots(for windows: [Window], plotWidth: Double) -> [Slot] {
        let capacity = max(1, Int(plotWidth / minimumBandWidth))
        let perSlot = (windows.count + capacity - 1) / capacity
        return stride(from: 0, to: windows.count, by: max(1, perSlot)).map { start in
            let group = windows[start..<min(start + max(1, perSlot), windows.count)]
            var counts: [KeyLabel?: Int] = [:]
            for window in group { counts[window.key, default: 0] += 1 }
            let winner = group.map(\.key).first { counts[$0] == counts.values.max() } ?? nil
            let correlations = group.filter { $0.key == winner }.compactMap(\.correlation)
            return Slot(
                firstMeasure: group.first!.firstMeasure, lastMeasure: group.last!.lastMeasure, key: winner,
                correlation: correlations.isEmpty ? nil : correlations.reduce(0, +) / Double(correlations.count),
                windows: group.count, windowsInKey: counts[winner] ?? 0)
        }
    }

    static let bandTop = 44.0, bandHeight = 44.0
    static let strengthTop = 100.0, strengthHeight = 60.0

    public func render() -> Chart {
        let legendKeys = keysByFrequency()
        let legendColumns = max(1, Int((width - 80) / 150))
        let legendRows =
            (legendKeys.count + (windows.contains { $0.key == nil } ? 1 : 0) + legendColumns - 1) / legendColumns
        let height = 226 + Double(legendRows) * 20
        let plot = PlotArea(
            width: width, height: height,
            margins: (66, Self.bandTop, 20, height - Self.strengthTop - Self.strengthHeight))
        var canvas = SVGCanvas(width: width, height: height)
        let stripes = "\(id)-minor-stripes"
        canvas.definitions(
            "<pattern id=\"\(stripes)\" patternUnits=\"userSpaceOnUse\" width=\"7\" height=\"7\" patternTransform=\"rotate(45)\"><rect width=\"2.5\" height=\"7\" fill=\"white\" fill-opacity=\"0.5\"/></pattern>"
        )
        plot.drawTitle(title, on: &canvas)
        let slots = Self.slots(for: windows, plotWidth: plot.width)
        guard !slots.isEmpty else {
            plot.drawNoData("no measures to analyse", on: &canvas)
            return finish(canvas, slots: slots)
        }
        let slot = plot.width / Double(slots.count)
        canvas.text(
            "key", x: plot.left - 6, y: Self.bandTop + Self.bandHeight / 2 + 4, anchor: .end, size: 11,
            fill: Palette.mutedText)

        for (index, window) in slots.enumerated() {
            let x = plot.left + Double(index) * slot
            var measures =
                window.firstMeasure == window.lastMeasure
                ? "measure \(window.firstMeasure)" : "measures \(window.firstMeasure)–\(window.lastMeasure)"
            if window.windows > 1 { measures += " (\(window.windowsInKey) of \(window.windows) windows)" }
            guard let key = window.key else {
                canvas.rect(
                    x: x, y: Self.bandTop, width: slot, height: Self.bandHeight, fill: "#f2f2f2",
                    cssClass: "band empty", tooltip: "\(measures): no pitched notes")
                continue
            }
            let strength = window.correlation ?? 0
            canvas.rect(
                x: x, y: Self.bandTop, width: slot, height: Self.bandHeight,
                fill: Palette.key(tonic: key.tonic, minor: key.isMinor),
                cssClass: "band", tooltip: "\(measures): \(key.name), r = \(NumberText.value(strength))",
                extra: " data-key=\"\(XMLEscaping.escape(key.name))\" data-first=\"\(window.firstMeasure)\"")
            if key.isMinor {
                canvas.rect(
                    x: x, y: Self.bandTop, width: slot, height: Self.bandHeight, fill: "url(#\(stripes))",
                    cssClass: "band-stripes")
            }
            let barTop = Self.strengthTop + Self.strengthHeight * (1 - max(0, min(1, strength)))
            canvas.rect(
                x: x + (slot > 4 ? 0.5 : 0), y: barTop, width: slot - (slot > 4 ? 1 : 0),
                height: Self.strengthTop + Self.strengthHeight - barTop,
                fill: Palette.key(tonic: key.tonic, minor: key.isMinor), cssClass: "strength",
                tooltip: "\(measures): r = \(NumberText.value(strength))", extra: " data-value=\"\(strength)\"")
        }
        labelRuns(slots, slot: slot, plot: plot, on: &canvas)
        drawStrengthAxis(plot: plot, on: &canvas)
        drawMeasureAxis(slots, slot: slot, plot: plot, on: &canvas)
        drawLegend(
            legendKeys, columns: legendColumns, top: Self.strengthTop + Self.strengthHeight + 62, stripes: stripes,
            on: &canvas)
        return finish(canvas, slots: slots)
    }

    /// The data as drawn: one row per band, with how many windows it stands for.
    private func finish(_ canvas: SVGCanvas, slots: [Slot]) -> Chart {
        let rows = slots.map { slot in
            [
                String(slot.firstMeasure), String(slot.lastMeasure), slot.key?.name ?? "",
                slot.correlation.map(NumberText.data) ?? "",
                String(slot.windows), String(slot.windowsInKey),
            ]
        }
        let columns = ["first measure", "last measure", "key", "correlation", "windows", "windows in key"]
        return Chart(
            id: id, title: title, svg: canvas.render(title: title), data: ChartTable(columns: columns, rows: rows),
            caption: caption)
    }

    /// Keys in the order of how many windows they hold, most first.
    private func keysByFrequency() -> [(key: KeyLabel, windows: Int)] {
        var counts: [KeyLabel: Int] = [:]
        for window in windows { if let key = window.key { counts[key, default: 0] += 1 } }
        return counts.map { ($0.key, $0.value) }.sorted { ($0.windows, $1.key.name) > ($1.windows, $0.key.name) }
    }

    /// Writes the key's name inside each run of windows wide enough to hold it.
    private func labelRuns(_ windows: [Slot], slot: Double, plot: PlotArea, on canvas: inout SVGCanvas) {
        var start = 0
        while start < windows.count {
            var end = start
            while end + 1 < windows.count && windows[end + 1].key == windows[start].key { end += 1 }
            if let key = windows[start].key {
                let runWidth = Double(end - start + 1) * slot
                let name = runWidth >= Double(key.name.count) * 7 + 8 ? key.name : shortName(key)
                if runWidth >= Double(name.count) * 7 + 6 {
                    let centre = plot.left + (Double(start) + Double(end + 1)) / 2 * slot
                    canvas.text(
                        name, x: centre, y: Self.bandTop + Self.bandHeight / 2 + 4, anchor: .middle, size: 11,
                        weight: "bold",
                        fill: Palette.labelColour(onKey: key.tonic, minor: key.isMinor), cssClass: "band-label")
                }
            }
            start = end + 1
        }
    }

    /// "Eb" for E♭ major, "c#" for C♯ minor: the usual lower-case-minor shorthand.
    private func shortName(_ key: KeyLabel) -> String {
        let tonic = String(key.name.split(separator: " ").first ?? "")
        return key.isMinor ? tonic.lowercased() : tonic
    }

    private func drawStrengthAxis(plot: PlotArea, on canvas: inout SVGCanvas) {
        let bottom = Self.strengthTop + Self.strengthHeight
        for tick in [0.0, 0.5, 1.0] {
            let y = bottom - Self.strengthHeight * tick
            canvas.line(x1: plot.left, y1: y, x2: plot.right, y2: y, stroke: Palette.grid)
            canvas.text(
                NumberText.tick(tick), x: plot.left - 6, y: y + 4, anchor: .end, size: 11, fill: Palette.mutedText,
                cssClass: "tick-label y")
        }
        canvas.text(
            "strength (r)", x: 14, y: Self.strengthTop + Self.strengthHeight / 2, anchor: .middle, size: 11,
            rotate: -90, cssClass: "axis-label y")
        canvas.line(x1: plot.left, y1: bottom, x2: plot.right, y2: bottom, stroke: Palette.axis)
    }

    /// Round measure numbers, far enough apart for their labels, under the band that holds them.
    private func drawMeasureAxis(_ slots: [Slot], slot: Double, plot: PlotArea, on canvas: inout SVGCanvas) {
        let bottom = Self.strengthTop + Self.strengthHeight
        guard let first = slots.first?.firstMeasure, let last = slots.last?.lastMeasure else { return }
        let labelWidth = Double(String(last).count) * 7 + 12
        let measuresPerPixel = Double(last - first + 1) / plot.width
        let step = TickStep.nice(span: Double(last - first + 1), count: max(1, Int(plot.width / labelWidth)))
        let niceStep = max(1, Int(max(step, (labelWidth * measuresPerPixel).rounded(.up))))
        var measure = (first + niceStep - 1) / niceStep * niceStep
        if first <= 1 && niceStep > 1 { measure = max(measure, niceStep) }
        if niceStep == 1 { measure = first }
        while measure <= last {
            if let index = slots.lastIndex(where: { $0.firstMeasure <= measure }) {
                let x = plot.left + (Double(index) + 0.5) * slot
                canvas.line(x1: x, y1: bottom, x2: x, y2: bottom + 4, stroke: Palette.axis)
                canvas.text(
                    String(measure), x: x, y: bottom + 17, anchor: .middle, size: 11, fill: Palette.mutedText,
                    cssClass: "tick-label x")
            }
            measure += niceStep
        }
        let windowSize = (windows.first.map { $0.lastMeasure - $0.firstMeasure + 1 }) ?? 1
        let label = windowSize == 1 ? "measure" : "first measure of each \(windowSize)-measure window"
        canvas.text(
            label, x: (plot.left + plot.right) / 2, y: bottom + 38, anchor: .middle, size: 12, cssClass: "axis-label x")
    }

    private func drawLegend(
        _ keys: [(key: KeyLabel, windows: Int)], columns: Int, top: Double, stripes: String, on canvas: inout SVGCanvas
    ) {
        var entries: [(label: String, fill: String, striped: Bool)] = keys.map {
            ("\($0.key.name) (\($0.windows))", Palette.key(tonic: $0.key.tonic, minor: $0.key.isMinor), $0.key.isMinor)
        }
        if windows.contains(where: { $0.key == nil }) { entries.append(("no notes", "#f2f2f2", false)) }
        for (index, entry) in entries.enumerated() {
            let x = 66 + Double(index % columns) * 150, y = top + Double(index / columns) * 20
            canvas.rect(x: x, y: y, width: 18, height: 13, fill: entry.fill, cssClass: "legend-swatch")
            if entry.striped {
                canvas.rect(x: x, y: y, width: 18, height: 13, fill: "url(#\(stripes))", cssClass: "legend-stripes")
            }
            canvas.text(entry.label, x: x + 24, y: y + 11, size: 12, cssClass: "legend")
        }
    }
}
