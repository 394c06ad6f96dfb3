import MIDIFile
import MusicTheory

/// Writes a `NotatedScore` as MusicXML 3.1 (partwise), the form MuseScore engraves
/// exactly as given: its own MIDI import would guess staves, voices and rhythms again.
public enum MusicXMLWriter {
    public static func write(_ score: NotatedScore, page: PageLayout = .a4) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 3.1 Partwise//EN" \
            "http://www.musicxml.org/dtds/partwise.dtd">
            <score-partwise version="3.1">

            """
        xml += "<work><work-title>\(escape(score.titleLines.joined(separator: "\n")))</work-title></work>\n"
        xml += "<identification>"
        if let composer = score.composer { xml += "<creator type=\"composer\">\(escape(composer))</creator>" }
        xml += "<encoding><software>Tunesmith</software></encoding></identification>\n"
        xml += page.defaultsElement + "<part-list>\n"
        for (index, part) in score.parts.enumerated() {
            let id = "P\(index + 1)"
            xml += "<score-part id=\"\(id)\"><part-name>\(escape(part.name))</part-name>"
            xml += "<score-instrument id=\"\(id)-I1\"><instrument-name>\(escape(part.name))</instrument-name>"
            xml +=
                "</score-instrument><midi-instrument id=\"\(id)-I1\"><midi-channel>\(part.channel + 1)</midi-channel>"
            xml += "<midi-program>\(Int(part.program ?? 0) + 1)</midi-program></midi-instrument></score-part>\n"
        }
        xml += "</part-list>\n"
        for (index, part) in score.parts.enumerated() {
            xml += "<part id=\"P\(index + 1)\">\n"
            var writer = PartWriter(score: score, part: part, isFirstPart: index == 0)
            for bar in score.bars.measures.indices { writer.writeMeasure(bar, into: &xml) }
            xml += "</part>\n"
        }
        xml += "</score-partwise>\n"
        return xml
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // Control characters other than the line break are not allowed in XML 1.0.
                if let scalar = character.unicodeScalars.first, scalar.value < 0x20, character != "\n" { continue }
                out.append(character)
            }
        }
        return out
    }

    /// Note names for each pitch class: sharps in sharp keys and C, flats in flat keys.
    static func spelling(pitch: UInt8, fifths: Int) -> (step: String, alter: Int, octave: Int) {
        let sharps = [
            ("C", 0), ("C", 1), ("D", 0), ("D", 1), ("E", 0), ("F", 0), ("F", 1), ("G", 0), ("G", 1), ("A", 0),
            ("A", 1), ("B", 0),
        ]
        let flats = [
            ("C", 0), ("D", -1), ("D", 0), ("E", -1), ("E", 0), ("F", 0), ("G", -1), ("G", 0), ("A", -1), ("A", 0),
            ("B", -1), ("B", 0),
        ]
        let (step, alter) = (fifths < 0 ? flats : sharps)[Int(pitch) % 12]
        return (step, alter, Int(pitch) / 12 - 1)
    }
}

/// One part's measures; keeps, per staff and voice, where it is in the voice's chords.
private struct PartWriter {
    let score: NotatedScore
    let part: NotatedScore.Part
    let isFirstPart: Bool
    var cursors: [[Int]]

    init(score: NotatedScore, part: NotatedScore.Part, isFirstPart: Bool) {
        self.score = score
        self.part = part
        self.isFirstPart = isFirstPart
        cursors = part.staves.map { Array(repeating: 0, count: $0.voices.count) }
    }

    var ticksPerQuarter: Int { score.ticksPerQuarter }

    /// A stretch of one voice in one bar: a chord (or its part in this bar) or silence.
    struct Stretch {
        var start: Int
        var end: Int
        var pitches: [UInt8]?
        var tiedFromBefore = false
        var tiedOnward = false
    }

    mutating func writeMeasure(_ bar: Int, into xml: inout String) {
        let measures = score.bars.measures
        let measure = measures[bar]
        let isPickup = measure.number == 0
        xml += "<measure number=\"\(measure.number)\"\(isPickup ? " implicit=\"yes\"" : "")>\n"
        // A pickup is written in the meter of the bars it leads into.
        let shown = isPickup && measures.count > 1 ? measures[1].timeSignature : measure.timeSignature
        let previous: TimeSignature? =
            bar == 0 ? nil : bar == 1 && measures[0].number == 0 ? shown : measures[bar - 1].timeSignature
        if bar == 0 {
            xml += attributes(time: shown)
        } else if previous != measure.timeSignature {
            xml += "<attributes>\(time(measure.timeSignature))</attributes>\n"
        }
        if isFirstPart {
            for placed in score.tempoMarks where placed.bar == bar {
                xml += direction(placed.mark, signature: shown)
            }
        }
        let length = measure.endTick - measure.startTick
        var written = false
        for (staffIndex, staff) in part.staves.enumerated() {
            for (voiceIndex, voice) in staff.voices.enumerated() {
                let stretches = self.stretches(staff: staffIndex, voice: voiceIndex, chords: voice, measure: measure)
                let hasNotes = stretches.contains { $0.pitches != nil }
                guard voiceIndex == 0 || hasNotes else { continue }
                if written { xml += "<backup><duration>\(length)</duration></backup>\n" }
                written = true
                writeVoice(
                    stretches, number: staffIndex * 4 + voiceIndex + 1, staff: staffIndex + 1, bar: bar,
                    isMainVoice: voiceIndex == 0, into: &xml)
            }
            if staff.voices.isEmpty {
                if written { xml += "<backup><duration>\(length)</duration></backup>\n" }
                written = true
                writeVoice(
                    [Stretch(start: 0, end: length)], number: staffIndex * 4 + 1, staff: staffIndex + 1, bar: bar,
                    isMainVoice: true, into: &xml)
            }
        }
        xml += "</measure>\n"
    }

    /// The voice's stretches in the bar, ticks from the bar line, silence between chords.
    mutating func stretches(staff: Int, voice: Int, chords: [Chord], measure: Measure) -> [Stretch] {
        let start = measure.startTick, end = measure.endTick
        var index = cursors[staff][voice]
        while index < chords.count && chords[index].end <= start { index += 1 }
        cursors[staff][voice] = index
        var result: [Stretch] = []
        var position = start
        while index < chords.count && chords[index].onset < end {
            let chord = chords[index]
            let from = max(chord.onset, start), to = min(chord.end, end)
            if from > position { result.append(Stretch(start: position - start, end: from - start)) }
            result.append(
                Stretch(
                    start: from - start, end: to - start, pitches: chord.pitches, tiedFromBefore: chord.onset < start,
                    tiedOnward: chord.end > end))
            position = to
            if chord.end > end { break }
            index += 1
        }
        if position < end { result.append(Stretch(start: position - start, end: end - start)) }
        return result
    }

    func writeVoice(
        _ stretches: [Stretch], number: Int, staff: Int, bar: Int, isMainVoice: Bool, into xml: inout String
    ) {
        let measure = score.bars.measures[bar]
        let length = measure.endTick - measure.startTick
        if stretches.count == 1, stretches[0].pitches == nil {
            xml += "<note><rest measure=\"yes\"/><duration>\(length)</duration><voice>\(number)</voice>"
            xml += "<staff>\(staff)</staff></note>\n"
            return
        }
        let grid = score.bars.grids[bar]
        let beat = NoteValues.beatTicks(measure.timeSignature, ticksPerQuarter: ticksPerQuarter)
        let tripletBeats =
            grid == .triplets
            ? NoteValues.tripletBeats(boundaries: stretches.map(\.start) + [length], ticksPerQuarter: ticksPerQuarter)
            : []
        var tupletOpenBeat: Int?
        for stretch in stretches {
            let values =
                grid == .triplets
                ? NoteValues.tripletBarValues(
                    from: stretch.start, to: stretch.end, tripletBeats: tripletBeats, ticksPerQuarter: ticksPerQuarter)
                : NoteValues.straightValues(
                    from: stretch.start, to: stretch.end, beat: beat, ticksPerQuarter: ticksPerQuarter)
            // Silence in a second voice is left blank rather than filled with rests, except
            // inside triplets, which must add up to their beat.
            if stretch.pitches == nil, !isMainVoice, !values.contains(where: \.isTriplet) {
                xml += "<forward><duration>\(stretch.end - stretch.start)</duration><voice>\(number)</voice>"
                xml += "<staff>\(staff)</staff></forward>\n"
                continue
            }
            for (index, value) in values.enumerated() {
                var tuplet: String?
                if value.isTriplet {
                    let beatIndex = value.start / ticksPerQuarter
                    if tupletOpenBeat != beatIndex {
                        tuplet = "start"
                        tupletOpenBeat = beatIndex
                    }
                    if value.start + value.length == (beatIndex + 1) * ticksPerQuarter {
                        tuplet = tuplet == "start" ? "single" : "stop"
                        tupletOpenBeat = nil
                    }
                }
                let tieStop = index > 0 || stretch.tiedFromBefore
                let tieStart = index < values.count - 1 || stretch.tiedOnward
                writeValue(
                    value, pitches: stretch.pitches, voice: number, staff: staff, tuplet: tuplet,
                    tieStart: stretch.pitches != nil && tieStart, tieStop: stretch.pitches != nil && tieStop,
                    into: &xml)
            }
        }
    }

    func writeValue(
        _ value: WrittenValue, pitches: [UInt8]?, voice: Int, staff: Int, tuplet: String?,
        tieStart: Bool, tieStop: Bool, into xml: inout String
    ) {
        let fifths = part.kind == .drums ? 0 : score.keySignature?.sharps ?? 0
        // Highest first: MusicXML chords list the notes under one stem.
        let heads: [UInt8?] = pitches.map { $0.reversed().map(Optional.some) } ?? [nil]
        for (index, pitch) in heads.enumerated() {
            xml += "<note>"
            if index > 0 { xml += "<chord/>" }
            if let pitch {
                let spelled = MusicXMLWriter.spelling(pitch: pitch, fifths: fifths)
                if part.kind == .drums {
                    xml += "<unpitched><display-step>\(spelled.step)</display-step>"
                    xml += "<display-octave>\(spelled.octave)</display-octave></unpitched>"
                } else {
                    xml += "<pitch><step>\(spelled.step)</step>"
                    if spelled.alter != 0 { xml += "<alter>\(spelled.alter)</alter>" }
                    xml += "<octave>\(spelled.octave)</octave></pitch>"
                }
            } else {
                xml += "<rest/>"
            }
            xml += "<duration>\(value.length)</duration>"
            if tieStop { xml += "<tie type=\"stop\"/>" }
            if tieStart { xml += "<tie type=\"start\"/>" }
            xml += "<voice>\(voice)</voice><type>\(value.type)</type>"
            xml += String(repeating: "<dot/>", count: value.dots)
            if value.isTriplet {
                xml += "<time-modification><actual-notes>3</actual-notes><normal-notes>2</normal-notes>"
                xml += "</time-modification>"
            }
            xml += "<staff>\(staff)</staff>"
            var notations = ""
            if tieStop { notations += "<tied type=\"stop\"/>" }
            if tieStart { notations += "<tied type=\"start\"/>" }
            if index == 0, let tuplet {
                if tuplet == "single" {
                    notations += "<tuplet type=\"start\" bracket=\"yes\"/><tuplet type=\"stop\"/>"
                } else {
                    notations += "<tuplet type=\"\(tuplet)\"\(tuplet == "start" ? " bracket=\"yes\"" : "")/>"
                }
            }
            if !notations.isEmpty { xml += "<notations>\(notations)</notations>" }
            xml += "</note>\n"
        }
    }

    func attributes(time signature: TimeSignature) -> String {
        var xml = "<attributes><divisions>\(ticksPerQuarter)</divisions>"
        let fifths = part.kind == .drums ? 0 : score.keySignature?.sharps ?? 0
        let mode = part.kind != .drums && score.keySignature?.isMinor == true ? "minor" : "major"
        xml += "<key><fifths>\(fifths)</fifths><mode>\(mode)</mode></key>\(time(signature))"
        if part.staves.count > 1 { xml += "<staves>\(part.staves.count)</staves>" }
        for (index, staff) in part.staves.enumerated() {
            let number = part.staves.count > 1 ? " number=\"\(index + 1)\"" : ""
            switch staff.clef {
            case .treble: xml += "<clef\(number)><sign>G</sign><line>2</line></clef>"
            case .bass: xml += "<clef\(number)><sign>F</sign><line>4</line></clef>"
            case .percussion: xml += "<clef\(number)><sign>percussion</sign></clef>"
            }
        }
        return xml + "</attributes>\n"
    }

    func time(_ signature: TimeSignature) -> String {
        "<time><beats>\(signature.numerator)</beats><beat-type>\(signature.denominator)</beat-type></time>"
    }

    func direction(_ mark: TempoMark, signature: TimeSignature) -> String {
        var xml = "<direction placement=\"above\"><direction-type>"
        switch mark {
        case .metronome(let perMinute):
            // Compound meters are counted in dotted quarters.
            let dotted = NoteValues.beatTicks(signature, ticksPerQuarter: ticksPerQuarter) == ticksPerQuarter * 3 / 2
            let shown = dotted ? Int((Double(perMinute) * 2 / 3).rounded()) : perMinute
            xml += "<metronome><beat-unit>quarter</beat-unit>\(dotted ? "<beat-unit-dot/>" : "")"
            xml += "<per-minute>\(shown)</per-minute></metronome></direction-type><staff>1</staff>"
            xml += "<sound tempo=\"\(perMinute)\"/>"
        default:
            xml += "<words font-style=\"italic\">\(mark.words ?? "")</words></direction-type><staff>1</staff>"
        }
        return xml + "</direction>\n"
    }
}
