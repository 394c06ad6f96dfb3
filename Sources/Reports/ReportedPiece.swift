import MIDIFile
import MusicTheory

/// What the corpus page needs of one analysed piece, kept after its own page is written
/// so a 2,000-piece report does not hold every note in memory.
struct ReportedPiece: Sendable {
    var input: ReportInput
    var pagePath: String
    var pitchedNotes: Int
    var measures: Int
    var key: Key?
    var correlation: Double?
    var confidence: Double?
    var findings: [Finding]
    var histograms: NoteHistograms
    var logHistograms: NoteHistograms

    init(_ analysis: FileAnalysis, input: ReportInput, pagePath: String, options: AnalysisOptions) {
        self.input = input
        self.pagePath = pagePath
        pitchedNotes = analysis.pitchedNoteCount
        measures = analysis.meter.measures.count
        key = analysis.key?.best.key
        correlation = analysis.key?.best.correlation
        confidence = analysis.key?.confidence
        findings = analysis.findings
        histograms = analysis.histograms
        logHistograms = PieceCharts.logHistograms(analysis.notes.notes, options: options)
    }
}

/// A named file that could not be read as MIDI at all.
struct UnreadableFile: Sendable {
    var input: ReportInput
    var reason: String
}
