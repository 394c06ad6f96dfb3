import CFluidSynth

/// Owns a `fluid_synth_t` with one soundfont loaded; renders float audio on demand.
/// Not thread-safe by design: each worker owns its own synthesizer.
final class FluidSynthesizer {
    let handle: OpaquePointer
    /// Kept alive for as long as the synth, which refers to it.
    let settings: FluidSettings

    init(settings: FluidSettings, soundfont: String) throws(FluidSynthError) {
        guard let handle = new_fluid_synth(settings.handle) else {
            throw FluidSynthError(operation: "create a synthesizer", message: FluidLog.lastErrors())
        }
        self.handle = handle
        self.settings = settings
        try FluidLog.check("load the soundfont \(soundfont)") {
            fluid_synth_sfload(handle, soundfont, 1) != FLUID_FAILED
        }
    }

    deinit { delete_fluid_synth(handle) }

    /// Silences every voice and restores every channel, reverb and chorus to their
    /// initial state, so one file's end cannot leak into the next.
    func reset() throws(FluidSynthError) {
        try FluidLog.check("reset the synthesizer") { fluid_synth_system_reset(handle) == FLUID_OK }
    }

    /// Renders `frames` stereo frames into `buffer`, interleaved left/right.
    func renderInterleaved(frames: Int, into buffer: UnsafeMutablePointer<Float>) throws(FluidSynthError) {
        try FluidLog.check("render audio") {
            fluid_synth_write_float(handle, Int32(frames), buffer, 0, 2, buffer, 1, 2) == FLUID_OK
        }
    }
}
