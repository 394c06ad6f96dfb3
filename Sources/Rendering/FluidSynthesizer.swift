import CFluidSynth

/// Owns a `fluid_synth_t` with one soundfont loaded; renders float audio on demand.
/// Not thread-safe by design: each worker owns its own synthesizer.
final class FluidSynthesizer {
    let handle: OpaquePointer
    /// Kept alive for as long as the synth, which refers to it.
    let settings: FluidSettings
    let fluid: FluidSynthLibrary

    init(settings: FluidSettings, soundfont: String) throws(FluidSynthError) {
        guard let handle = settings.fluid.newSynth(settings.handle) else {
            throw FluidSynthError(operation: "create a synthesizer", message: FluidLog.lastErrors())
        }
        self.handle = handle
        self.settings = settings
        fluid = settings.fluid
        try FluidLog.check("load the soundfont \(soundfont)") {
            fluid.loadSoundfont(handle, soundfont, 1) != FLUID_FAILED
        }
    }

    deinit { fluid.deleteSynth(handle) }

    /// Silences every voice and restores every channel, reverb and chorus to their
    /// initial state, so one file's end cannot leak into the next.
    func reset() throws(FluidSynthError) {
        try FluidLog.check("reset the synthesizer") { fluid.systemReset(handle) == FLUID_OK }
    }

    /// Renders `frames` stereo frames into `buffer`, interleaved left/right.
    func renderInterleaved(frames: Int, into buffer: UnsafeMutablePointer<Float>) throws(FluidSynthError) {
        try FluidLog.check("render audio") {
            fluid.writeFloat(handle, Int32(frames), buffer, 0, 2, buffer, 1, 2) == FLUID_OK
        }
    }
}
