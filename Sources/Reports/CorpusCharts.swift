import MIDIFile
import MusicTheory

/// Charts over many pieces. Each is an aggregate (counts, sums, shares), so it reads the
/// same for 20 pieces as for 2,000.
enum CorpusCharts {
    /// How many files show each kind of defect (a file counts once per kind).
    static func defectKinds(_ pieces: [ReportedPiece], unreadable: Int) -> Chart {
        var files: [Finding.Kind: Int] = [:]
        for piece in pieces {
            for kind in Set(piece.findings.map(\.kind)) { files[kind, default: 0] += 1 }
        }
        var bars = files.map { BarChart.Bar(label: $0.key.rawValue, value: Double($0.value)) }
        if unreadable > 0 {
            bars.append(BarChart.Bar(label: "not MIDI (unreadable)", value: Double(unreadable), color: Palette.overlay))
        }
        return HorizontalBarChart(
            id: "defect-kinds", title: "Files by defect found", bars: bars, valueLabel: "files",
            caption:
                "A file with several defects counts once under each. Defects were repaired on reading as the piece pages say."
        ).render()
    }

    /// The 24 keys, majors then minors, in their key colours.
    static func keys(_ pieces: [ReportedPiece]) -> Chart {
        var counts: [Key: Int] = [:]
        for piece in pieces { if let key = piece.key { counts[key, default: 0] += 1 } }
        let bars = Key.all.map { key in
            BarChart.Bar(
                label: key.name, value: Double(counts[key] ?? 0),
                color: Palette.key(tonic: key.tonic, minor: key.mode == .minor))
        }
        let withKey = counts.values.reduce(0, +)
        return BarChart(
            id: "keys", title: "Estimated keys", bars: bars, valueLabel: "pieces",
            categoryLabel: "estimated key (darker: minor)",
            caption: "\(withKey) of \(pieces.count) pieces have a key (pieces without pitched notes have none)."
        ).render()
    }

    /// How sure the key finder was: the winning correlation of each piece, in bins of 0.05.
    static func keyStrength(_ pieces: [ReportedPiece]) -> Chart {
        var bins = (0..<20).map { HistogramChart.Bin(low: Double($0) * 0.05, high: Double($0 + 1) * 0.05, value: 0) }
        for piece in pieces {
            guard let correlation = piece.correlation else { continue }
            bins[min(19, max(0, Int(correlation / 0.05)))].value += 1
        }
        return HistogramChart(
            id: "key-strength", title: "Key fit across pieces", bins: bins, axis: .linear,
            binLabel: "correlation r of the estimated key", valueLabel: "pieces",
            caption:
                "Pieces whose best key correlates weakly (below about 0.6) modulate a lot, are atonal, or are not what they seem."
        ).render()
    }

    /// Pitch-class shares per folder, whole corpus first, then folders by size.
    static func folderProfiles(_ groups: [(name: String, pieces: [ReportedPiece])], groupedBy: String) -> Chart {
        func shares(_ pieces: [ReportedPiece]) -> [Double] {
            var sums = Array(repeating: 0.0, count: 12)
            for piece in pieces {
                let classes = piece.histograms.pitchClass
                for index in 0..<12 { sums[index] += classes[index] }
            }
            return PitchClassChart.percentages(sums)
        }
        let ordered = groups.sorted { ($0.pieces.count, $1.name) > ($1.pieces.count, $0.name) }
        let rows =
            [HeatmapChart.Row(label: "whole corpus", values: shares(ordered.flatMap(\.pieces)))]
            + ordered.map { HeatmapChart.Row(label: "\($0.name) (\($0.pieces.count))", values: shares($0.pieces)) }
        return HeatmapChart(
            id: "pitch-classes-by-folder", title: "Pitch classes by \(groupedBy)",
            columns: (0..<12).map { Spelling.sharps.name(ofPitchClass: $0) }, rows: rows,
            valueLabel: "share of the \(groupedBy)'s sounding time per pitch class (%); pieces per row in brackets",
            caption: "Not transposed: a folder of pieces in many keys looks flat, one in few keys shows them."
        ).render()
    }

    static func summed(_ pieces: [ReportedPiece], _ histograms: KeyPath<ReportedPiece, NoteHistograms>)
        -> NoteHistograms?
    {
        guard var total = pieces.first?[keyPath: histograms] else { return nil }
        for piece in pieces.dropFirst() { total.add(piece[keyPath: histograms]) }
        return total
    }
}
