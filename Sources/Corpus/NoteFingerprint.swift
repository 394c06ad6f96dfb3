import MIDIFile
import MusicTheory

/// The same music under different bytes: a hash of the notes alone.
///
/// Each note is its onset and length in quarter notes, rounded to a 48-per-quarter grid
/// (fine enough for 64th notes and 32nd-note triplets, coarse enough that a re-save at
/// another resolution, which rounds every length, still agrees), its key number, and
/// whether it is a drum. Track layout, channels, programs, velocities, meta events and
/// tempo are left out: a piece re-saved by another sequencer keeps its fingerprint.
enum NoteFingerprint {
    static let grid = 48

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
                keys.append(
                    (
                        onset, Int(((note.onsetSeconds + note.durationSeconds) * 1000).rounded()) - onset, note.pitch,
                        note.isDrum
                    ))
            }
        }
        guard !keys.isEmpty else { return nil }
        keys.sort {
            ($0.onset, $0.pitch, $0.duration, $0.isDrum ? 1 : 0) < ($1.onset, $1.pitch, $1.duration, $1.isDrum ? 1 : 0)
        }
        // Two 64-bit lanes of a strong mixer rather than SHA-256: the fingerprint only has
        // to tell pieces of one corpus apart, not resist forgery, and hashing every note
        // with SHA-256 cost a tenth of an ingest.
        var first: UInt64 = 0x9E37_79B9_7F4A_7C15, second: UInt64 = 0xC2B2_AE3D_27D4_EB4F ^ UInt64(keys.count)
        for key in keys {
            let word =
                UInt64(UInt32(truncatingIfNeeded: key.onset)) << 32
                | UInt64(UInt32(truncatingIfNeeded: key.duration) & 0xFF_FFFF) << 8
                | UInt64(key.pitch & 0x7F) << 1 | (key.isDrum ? 1 : 0)
            first = mix(first ^ word)
            second = mix(second &+ word &* 0xFF51_AFD7_ED55_8CCD)
        }
        return hex(first) + hex(second)
    }

    /// SplitMix64's finaliser: every input bit flips each output bit with probability ½.
    private static func mix(_ value: UInt64) -> UInt64 {
        var value = value
        value = (value ^ (value &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value &>> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value &>> 31)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
