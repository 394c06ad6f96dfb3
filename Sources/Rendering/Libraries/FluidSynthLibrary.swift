import CFluidSynth
import Utilities

/// The FluidSynth functions Tunesmith calls, resolved from `libfluidsynth` the first time
/// a command renders (see `SharedLibrary` for why it is not linked). The header still
/// gives the types and constants; each function type below restates its prototype there.
struct FluidSynthLibrary: @unchecked Sendable {
    let newSettings: @convention(c) () -> OpaquePointer?
    let deleteSettings: @convention(c) (OpaquePointer?) -> Void
    let settingsSetNumber: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Double) -> Int32
    let settingsSetInteger: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32
    let settingsSetString: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32
    let newSynth: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let deleteSynth: @convention(c) (OpaquePointer?) -> Void
    let loadSoundfont: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32
    let systemReset: @convention(c) (OpaquePointer?) -> Int32
    /// `fluid_synth_write_float(synth, frames, left, leftOffset, leftStride, right, rightOffset, rightStride)`.
    let writeFloat:
        @convention(c) (
            OpaquePointer?, Int32, UnsafeMutableRawPointer?, Int32, Int32, UnsafeMutableRawPointer?, Int32, Int32
        ) -> Int32
    let newPlayer: @convention(c) (OpaquePointer?) -> OpaquePointer?
    let deletePlayer: @convention(c) (OpaquePointer?) -> Void
    let playerAddMemory: @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int) -> Int32
    let playerPlay: @convention(c) (OpaquePointer?) -> Int32
    let playerStatus: @convention(c) (OpaquePointer?) -> Int32
    let setLogFunction: @convention(c) (Int32, fluid_log_function_t?, UnsafeMutableRawPointer?) -> fluid_log_function_t?
    let isSoundfont: @convention(c) (UnsafePointer<CChar>?) -> Int32

    /// The soname of FluidSynth 2.2 and later (Debian's libfluidsynth3), then the
    /// development symlink, which points at whatever version the headers came with.
    static let fileNames = ["libfluidsynth.so.3", "libfluidsynth.so"]
    static let package = "libfluidsynth3"

    /// The functions, loaded once per process with FluidSynth's log routed into
    /// `FluidLog`; the same error every time when they cannot be.
    static func load() throws(SharedLibraryError) -> FluidSynthLibrary { try loaded.get() }

    private static let loaded = Result { () throws(SharedLibraryError) in
        let fluid = try FluidSynthLibrary(SharedLibrary(library: "FluidSynth", fileNames: fileNames, package: package))
        FluidLog.route(fluid)
        return fluid
    }

    init(_ library: SharedLibrary) throws(SharedLibraryError) {
        newSettings = try library.function("new_fluid_settings")
        deleteSettings = try library.function("delete_fluid_settings")
        settingsSetNumber = try library.function("fluid_settings_setnum")
        settingsSetInteger = try library.function("fluid_settings_setint")
        settingsSetString = try library.function("fluid_settings_setstr")
        newSynth = try library.function("new_fluid_synth")
        deleteSynth = try library.function("delete_fluid_synth")
        loadSoundfont = try library.function("fluid_synth_sfload")
        systemReset = try library.function("fluid_synth_system_reset")
        writeFloat = try library.function("fluid_synth_write_float")
        newPlayer = try library.function("new_fluid_player")
        deletePlayer = try library.function("delete_fluid_player")
        playerAddMemory = try library.function("fluid_player_add_mem")
        playerPlay = try library.function("fluid_player_play")
        playerStatus = try library.function("fluid_player_get_status")
        setLogFunction = try library.function("fluid_set_log_function")
        isSoundfont = try library.function("fluid_is_soundfont")
    }
}
