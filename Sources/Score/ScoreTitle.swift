import Foundation
import MIDIFile

/// The score's title and composer, from the file's own text where it has them.
enum ScoreTitle {
    /// Characters per title line: a 24-point title line across the A4 page (`PageLayout`).
    static let lineWidth = 42

    /// The name of a conductor track (a first track without notes), as format 1 files
    /// use it for the song; otherwise the file name.
    static func title(of file: MIDIFile, path: String) -> String {
        if file.tracks.count > 1, let first = file.tracks.first,
            !first.events.contains(where: \.isNoteOn),
            let name = first.name?.trimmingCharacters(in: .whitespacesAndNewlines), !isPlaceholder(name)
        {
            return name
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return stem.replacingOccurrences(of: "_", with: " ")
    }

    /// The composer named by a text event of the first track: "Composer: X", "by X", or
    /// a line that is only a person's name ("Johann Sebastian Bach"). Dates, notes on
    /// the sequencing and tempo words ("Andantino") are not names.
    static func composer(of file: MIDIFile) -> String? {
        guard let first = file.tracks.first else { return nil }
        for event in first.events where event.isMeta && event.data1 == MetaType.text.rawValue {
            guard let text = first.text(of: event)?.trimmingCharacters(in: .whitespacesAndNewlines) else { continue }
            if let named = text.range(
                of: #"^(composer|composed by|music by|by)\b\s*:?\s*"#,
                options: [
                    .regularExpression, .caseInsensitive,
                ])
            {
                let name = String(text[named.upperBound...])
                if looksLikeName(name, minimumWords: 1) { return name }
            } else if looksLikeName(text, minimumWords: 2) {
                return text
            }
        }
        return nil
    }

    /// Two to six words, each capitalised or a name particle (von, van, de, …), no digits.
    static func looksLikeName(_ text: String, minimumWords: Int) -> Bool {
        let particles: Set<String> = ["von", "van", "de", "der", "den", "di", "da", "du", "la", "le", "y"]
        let words = text.split(separator: " ")
        guard (minimumWords...6).contains(words.count), text.count <= 48,
            !text.contains(where: { $0.isNumber || $0 == ":" || $0.isNewline })
        else { return false }
        return words.allSatisfy { word in
            particles.contains(String(word)) || (word.first.map { $0.isUppercase && $0.isLetter } ?? false)
        }
    }

    /// The title in lines of at most `width` characters, broken between words (a word
    /// longer than a line is broken inside).
    static func wrap(_ title: String, width: Int = lineWidth) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in title.split(whereSeparator: \.isWhitespace) {
            var word = Substring(word)
            while word.count > width {
                if !line.isEmpty {
                    lines.append(line)
                    line = ""
                }
                lines.append(String(word.prefix(width)))
                word = word.dropFirst(width)
            }
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Names sequencers fill in by themselves ("Track 1", "Untitled"): they say nothing
    /// on a title line or beside a staff.
    static func isPlaceholder(_ name: String) -> Bool {
        name.isEmpty
            || name.range(
                of: #"^(track|untitled|sequence|song|midi)[\s_-]*\d*$"#,
                options: [.regularExpression, .caseInsensitive]) != nil
    }
}
