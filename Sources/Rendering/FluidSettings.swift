import CFluidSynth

/// Owns a `fluid_settings_t`; FluidSynth reads it when a synth is created, so it must
/// outlive the synth built from it.
final class FluidSettings {
    let fluid: FluidSynthLibrary
    let handle: OpaquePointer

    init(fluid: FluidSynthLibrary) throws(FluidSynthError) {
        self.fluid = fluid
        guard let handle = fluid.newSettings() else {
            throw FluidSynthError(operation: "create its settings", message: FluidLog.lastErrors())
        }
        self.handle = handle
    }

    deinit { fluid.deleteSettings(handle) }

    func set(_ name: String, _ value: Double) throws(FluidSynthError) {
        try FluidLog.check("set \(name) to \(value)") { fluid.settingsSetNumber(handle, name, value) == FLUID_OK }
    }

    func set(_ name: String, _ value: Int) throws(FluidSynthError) {
        try FluidLog.check("set \(name) to \(value)") {
            fluid.settingsSetInteger(handle, name, Int32(value)) == FLUID_OK
        }
    }

    func set(_ name: String, _ value: String) throws(FluidSynthError) {
        try FluidLog.check("set \(name) to \(value)") { fluid.settingsSetString(handle, name, value) == FLUID_OK }
    }
}
