import MIDIFile
import MusicTheory

/// The same music under different bytes: a hash of the notes alone.
///
/// Each note is its onset and length in quarter notes (on a 960-per-quarter grid, so a
/// 480 and a 960 ticks-per-quarter export of one piece agree), its key number, and
/// whether it is a drum. Track layout, channels, programs, velocities, meta events and
/// tempo are left out: a piece re-saved by another sequencer keeps its fingerprint.
enum NoteFingerprint {
    static let grid = 960

    /// Nil for a file without notes: silence is not a piece to deduplicate against.
    static func of(_ notes: [PieceNote], division: Division) -> String? {
        var keys: [(onset: Int, duration: Int, pitch: UInt8, isDrum: Bool)] = []
        keys.reserveCapacity(notes.count)
        switch division {
        case .ticksPerQuarterNote(let ticks):
            let perQuarter = max(ticks, 1)
            func scale(_ tick: Int) -> Int { (tick * grid + perQuarter / 2) / perQuarter }
            for note in notes {
                let onset = scale(note.onsetTick)
                keys.append((onset, scale(note.endTick) - onset, note.pitch, note.isDrum))
            }
        case .smpte:
            // Absolute time: milliseconds stand in for beats.
            for note in notes {
                let onset = Int((note.onsetSeconds * 1000).rounded())
                keys.append((onset, Int(((note.onsetSeconds + note.durationSeconds) * 1000).rounded()) - onset, note.pitch, note.isDrum))
            }
        }
        guard !keys.isEmpty else { return nil }
        keys.sort { ($0.onset, $0.pitch, $0.duration, $0.isDrum ? 1 : 0) < ($1.onset, $1.pitch, $1.duration, $1.isDrum ? 1 : 0) }
        var serialised: [UInt8] = []
        serialised.reserveCapacity(keys.count * 10)
        for key in keys {
            appendLittleEndian(key.onset, to: &serialised)
            appendLittleEndian(key.duration, to: &serialised)
            serialised.append(key.pitch)
            serialised.append(key.isDrum ? 1 : 0)
        }
        return SHA256.hex(of: serialised)
    }

    private static func appendLittleEndian(_ value: Int, to bytes: inout [UInt8]) {
        let value = UInt32(truncatingIfNeeded: value)
        for shift in [0, 8, 16, 24] { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}
