import Foundation
import MIDIFile

/// The score's title: the name of a conductor track (a first track without notes), as
/// format 1 files use it for the song; otherwise the file name.
enum ScoreTitle {
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

    /// Names sequencers fill in by themselves ("Track 1", "Untitled"): they say nothing
    /// on a title line or beside a staff.
    static func isPlaceholder(_ name: String) -> Bool {
        name.isEmpty
            || name.range(
                of: #"^(track|untitled|sequence|song|midi)[\s_-]*\d*$"#,
                options: [.regularExpression, .caseInsensitive]) != nil
    }
}
