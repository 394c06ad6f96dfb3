import CFluidSynth

/// Owns a `fluid_player_t` that plays one Standard MIDI File from memory, driven by the
/// synthesizer's sample clock (`player.timing-source = sample`), so playback runs as
/// fast as the synth renders rather than in real time.
final class FluidPlayer {
    let handle: OpaquePointer
    /// The player refers to its synth; it must not outlive it.
    private let synthesizer: FluidSynthesizer

    init(synthesizer: FluidSynthesizer, midiBytes: [UInt8]) throws(FluidSynthError) {
        guard let handle = new_fluid_player(synthesizer.handle) else {
            throw FluidSynthError(operation: "create a MIDI player", message: FluidLog.lastErrors())
        }
        self.handle = handle
        self.synthesizer = synthesizer
        try FluidLog.check("queue the MIDI data") {
            midiBytes.withUnsafeBytes { fluid_player_add_mem(handle, $0.baseAddress, $0.count) == FLUID_OK }
        }
        try FluidLog.check("start the MIDI player") { fluid_player_play(handle) == FLUID_OK }
    }

    deinit { delete_fluid_player(handle) }

    var isPlaying: Bool { fluid_player_get_status(handle) == Int32(FLUID_PLAYER_PLAYING.rawValue) }
}
