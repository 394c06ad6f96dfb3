import Foundation
import MIDIFile

/// The round-trip property the fuzzer checks: the lenient reader never crashes, and any
/// file it recovers, once written by MIDIWriter, reads back with no findings and the
/// same notes in every track. Returns what broke, or nil.
func roundTripFailure(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    guard let original = try? MIDIReader.read(bytes) else { return nil }
    let written = MIDIWriter().encode(original.file).bytes
    let reread: ReadResult
    do {
        reread = try MIDIReader.read(written)
    } catch {
        return "written file holds no MIDI data: \(error)"
    }
    if original.file.tracks.isEmpty {
        // The writer gives a file with no track one empty track (the SMF minimum).
        let events = reread.file.tracks.reduce(0) { $0 + $1.events.count }
        return reread.findings.isEmpty && reread.file.tracks.count == 1 && events == 0
            ? nil : "a file with no track did not come back as one empty track"
    }
    if !reread.findings.isEmpty {
        return "written file has findings: "
            + reread.findings.map { "\($0.kind) at \($0.offset): \($0.message)" }.joined(separator: "; ")
    }
    if reread.file.tracks.count != original.file.tracks.count {
        return "written file has \(reread.file.tracks.count) tracks, the original \(original.file.tracks.count)"
    }
    for (index, (before, after)) in zip(original.file.tracks, reread.file.tracks).enumerated()
    where before.pairNotes().notes != after.pairNotes().notes {
        return "notes of track \(index) changed in the round trip"
    }
    return nil
}

#if FUZZING
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        if let failure = roundTripFailure(UnsafeBufferPointer(start: data, count: size)) {
            fatalError("round-trip property broken: \(failure)")
        }
        return 0
    }

    // libFuzzer's own driver, entered from here because SwiftPM gives every executable
    // target its own entry point, which would otherwise replace libFuzzer's main.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    @main
    struct FuzzDriver {
        static func main() {
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
        }
    }
#else
    /// Without the fuzzer: replays saved inputs (crash files, seeds) through the same check.
    @main
    struct ReplayInputs {
        static func main() {
            var broken = 0
            for path in CommandLine.arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("\(path): cannot read; check the path")
                    broken += 1
                    continue
                }
                let failure = [UInt8](data).withUnsafeBufferPointer(roundTripFailure)
                print("\(path): \(failure ?? "ok")")
                if failure != nil { broken += 1 }
            }
            exit(broken == 0 ? 0 : 1)
        }
    }
#endif
