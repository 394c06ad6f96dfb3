import CFluidSynth

/// Owns a `fluid_player_t` that plays one Standard MIDI File from memory, driven by the
/// synthesizer's sample clock (`player.timing-source = sample`), so playback runs as
/// fast as the synth renders rather than in real time.
final class FluidPlayer {
    let handle: OpaquePointer
    /// The player refers to its synth; it must not outlive it.
    private let synthesizer: FluidSynthesizer
    private let fluid: FluidSynthLibrary

    init(synthesizer: FluidSynthesizer, midiBytes: [UInt8]) throws(FluidSynthError) {
        let fluid = synthesizer.fluid
        guard let handle = fluid.newPlayer(synthesizer.handle) else {
            throw FluidSynthError(operation: "create a MIDI player", message: FluidLog.lastErrors())
        }
        self.handle = handle
        self.synthesizer = synthesizer
        self.fluid = fluid
        try FluidLog.check("queue the MIDI data") {
            midiBytes.withUnsafeBytes { fluid.playerAddMemory(handle, $0.baseAddress, $0.count) == FLUID_OK }
        }
        try FluidLog.check("start the MIDI player") { fluid.playerPlay(handle) == FLUID_OK }
    }

    deinit { fluid.deletePlayer(handle) }

    var isPlaying: Bool { fluid.playerStatus(handle) == Int32(FLUID_PLAYER_PLAYING.rawValue) }
}
