import CFluidSynth

/// Owns a `fluid_settings_t`; FluidSynth reads it when a synth is created, so it must
/// outlive the synth built from it.
final class FluidSettings {
    let handle: OpaquePointer

    init() throws(FluidSynthError) {
        FluidLog.install()
        guard let handle = new_fluid_settings() else {
            throw FluidSynthError(operation: "create its settings", message: FluidLog.lastErrors())
        }
        self.handle = handle
    }

    deinit { delete_fluid_settings(handle) }

    func set(_ name: String, _ value: Double) throws(FluidSynthError) {
        try FluidLog.check("set \(name) to \(value)") { fluid_settings_setnum(handle, name, value) == FLUID_OK }
    }

    func set(_ name: String, _ value: Int) throws(FluidSynthError) {
        try FluidLog.check("set \(name) to \(value)") { fluid_settings_setint(handle, name, Int32(value)) == FLUID_OK }
    }

    func set(_ name: String, _ value: String) throws(FluidSynthError) {
        try FluidLog.check("set \(name) to \(value)") { fluid_settings_setstr(handle, name, value) == FLUID_OK }
    }
}
