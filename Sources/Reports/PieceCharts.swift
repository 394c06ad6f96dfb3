import MIDIFile
import MusicTheory

/// The charts of one piece, each drawn from MusicTheory's analysis of it.
enum PieceCharts {
    static func valueLabel(_ weighting: Weighting) -> String {
        weighting == .duration ? "sounding time (quarter-note beats)" : "notes"
    }

    /// Every pitch from the lowest to the highest sounding one, named for the piece's key;
    /// over two octaves only the Cs carry a label.
    static func pitchHistogram(_ analysis: FileAnalysis, weighting: Weighting) -> Chart {
        let pitch = analysis.histograms.pitch
        let sounding = pitch.indices.filter { pitch[$0] > 0 }
        var bars: [BarChart.Bar] = []
        if let low = sounding.first, let high = sounding.last {
            let wide = high - low > 24
            bars = (low...high).map {
                BarChart.Bar(
                    label: Pitch.name(of: $0, spelling: analysis.spelling), value: pitch[$0],
                    alwaysLabelled: wide && $0 % 12 == 0)
            }
        }
        return BarChart(
            id: "pitch-histogram", title: "Pitches", bars: bars, valueLabel: valueLabel(weighting),
            categoryLabel: "pitch (scientific pitch notation, C4 = middle C)",
            caption: "Pitched notes only (the drum channel is left out). Names follow the estimated key's spelling."
        ).render()
    }

    static func pitchClasses(_ analysis: FileAnalysis, profile: KeyProfile, weighting: Weighting) -> Chart {
        let names = (0..<12).map { analysis.spelling.name(ofPitchClass: $0) }
        var overlay: PitchClassChart.Overlay?
        var title = "Pitch classes"
        if let key = analysis.key?.best.key {
            overlay = PitchClassChart.Overlay(
                weights: rotated(profile, to: key), name: "\(profile.title) profile, \(key.name)")
            title += " against the \(key.name) profile"
        }
        return PitchClassChart(
            id: "pitch-classes", title: title, amounts: analysis.histograms.pitchClass, names: names, overlay: overlay,
            caption:
                "Bars: the piece's pitch classes weighted by \(weighting == .duration ? "duration" : "count"). Line: the \(profile.title) profile turned to the estimated key and scaled to the same total; where they agree, the key fits."
        ).render()
    }

    /// The profile's weights for pitch classes C … B when its tonic is the key's.
    static func rotated(_ profile: KeyProfile, to key: Key) -> [Double] {
        let weights = profile.weights(for: key.mode)
        return (0..<12).map { weights[Pitch.pitchClass(of: $0 - key.tonic)] }
    }

    static func frequencyLinear(
        _ histograms: NoteHistograms, weighting: Weighting, id: String = "frequency-linear", scope: String = ""
    ) -> Chart {
        let bins = histograms.frequency.indices.map {
            HistogramChart.Bin(
                low: histograms.frequencyEdges[$0], high: histograms.frequencyEdges[$0 + 1],
                value: histograms.frequency[$0])
        }
        let width =
            histograms.frequencyEdges.count > 1 ? histograms.frequencyEdges[1] - histograms.frequencyEdges[0] : 0
        return HistogramChart(
            id: id, title: "Notes by frequency\(scope), linear axis", bins: bins, axis: .linear,
            binLabel: "fundamental frequency (Hz)", valueLabel: valueLabel(weighting),
            caption:
                "Bins \(NumberText.value(width)) Hz wide, as the original project plotted them: low notes crowd the left."
        ).render()
    }

    /// One bin per semitone on a log axis: every octave gets the same width.
    static func frequencyLogarithmic(
        _ histograms: NoteHistograms, weighting: Weighting, tuning: Tuning, id: String = "frequency-log",
        scope: String = ""
    ) -> Chart {
        let bins = histograms.frequency.indices.map {
            HistogramChart.Bin(
                low: histograms.frequencyEdges[$0], high: histograms.frequencyEdges[$0 + 1],
                value: histograms.frequency[$0])
        }
        return HistogramChart(
            id: id, title: "Notes by frequency\(scope), log axis", bins: bins, axis: .logarithmic,
            binLabel: "fundamental frequency (Hz, log scale)", valueLabel: valueLabel(weighting),
            caption:
                "One bin per equal-tempered semitone; each octave takes the same width. Ticks are the As, with their frequencies.",
            namedTicks: (0...9).map { octave in
                let frequency = tuning.frequency(ofMIDI: 21 + 12 * octave)
                return (frequency, "A\(octave) \(NumberText.value(frequency.rounded()))")
            }
        ).render()
    }

    static func logHistograms(_ notes: [PieceNote], options: AnalysisOptions) -> NoteHistograms {
        NoteHistograms(
            notes, weighting: options.weighting, tuning: options.tuning, binning: .logarithmic(binsPerOctave: 12))
    }

    static func keyLabel(_ key: Key) -> KeyBandChart.KeyLabel {
        KeyBandChart.KeyLabel(name: key.name, tonic: key.tonic, isMinor: key.mode == .minor)
    }

    static func windowedKeys(_ analysis: FileAnalysis, options: AnalysisOptions) -> Chart {
        let windows = analysis.windows.map {
            KeyBandChart.Window(
                firstMeasure: $0.firstMeasure, lastMeasure: $0.lastMeasure,
                key: $0.best.map { keyLabel($0.key) }, correlation: $0.best?.correlation)
        }
        let span = options.measureLimit.map { "the first \($0) measures" } ?? "every measure"
        let size =
            options.windowMeasures == 1
            ? "each measure" : "windows of \(options.windowMeasures) measures sliding by one"
        return KeyBandChart(
            id: "windowed-keys", title: "Key, measure by measure", windows: windows,
            caption:
                "Krumhansl–Schmuckler key of \(size), over \(span), with the \(KeyProfile.named(options.profile).title) profile. Striped, darker bands are minor keys; the strip below is the winning key's correlation r (1 = a perfect fit)."
        ).render()
    }

    /// The opening measures as a piano roll, coloured by track.
    static func pianoRoll(_ analysis: FileAnalysis, measures: Int) -> Chart {
        let shown = Array(analysis.meter.measures.prefix(measures))
        let tempo = analysis.notes.tempoMap
        let endTick = shown.last?.endTick ?? 0
        let notes = analysis.notes.notes.filter { !$0.isDrum && $0.onsetTick < endTick }.map {
            PianoRoll.Note(
                startBeat: $0.onsetBeats, endBeat: tempo.beats(atTick: min($0.endTick, endTick)), pitch: Int($0.pitch),
                name: Pitch.name(of: Int($0.pitch), spelling: analysis.spelling), voice: $0.track)
        }
        let barLines = shown.map { PianoRoll.BarLine(measure: $0.number, beat: tempo.beats(atTick: $0.startTick)) }
        let voiceNames = Dictionary(uniqueKeysWithValues: Set(notes.map(\.voice)).map { ($0, "track \($0)") })
        return PianoRoll(
            id: "piano-roll", title: "Piano roll, first \(shown.count) measure\(shown.count == 1 ? "" : "s")",
            notes: notes,
            barLines: barLines, endBeat: tempo.beats(atTick: endTick), voiceNames: voiceNames,
            caption: "Colours are tracks; shaded rows are the black keys."
        ).render()
    }
}
