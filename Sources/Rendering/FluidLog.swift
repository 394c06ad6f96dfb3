import CFluidSynth
import Foundation

/// Routes FluidSynth's log into Swift errors and warnings instead of its default stderr
/// output. FluidSynth's logger is process-wide, but every call that can log runs on the
/// worker thread that owns the synth, so messages are kept per thread.
enum FluidLog {
    private static let threadKey = "Tunesmith.FluidLog.messages"

    /// Called once, by the loader, as soon as the library is open and before any call
    /// can log; FluidSynth's informational chatter is silenced.
    static func route(_ fluid: FluidSynthLibrary) {
        let handler: fluid_log_function_t = { level, message, _ in
            guard let message else { return }
            FluidLog.append(Message(isError: level <= Int32(FLUID_ERR.rawValue), text: String(cString: message)))
        }
        for level in [FLUID_PANIC, FLUID_ERR, FLUID_WARN] {
            _ = fluid.setLogFunction(Int32(level.rawValue), handler, nil)
        }
        for level in [FLUID_INFO, FLUID_DBG] {
            _ = fluid.setLogFunction(Int32(level.rawValue), nil, nil)
        }
    }

    struct Message {
        var isError: Bool
        var text: String
    }

    private static var messages: [Message] {
        get { Thread.current.threadDictionary[threadKey] as? [Message] ?? [] }
        set { Thread.current.threadDictionary[threadKey] = newValue }
    }

    private static func append(_ message: Message) {
        messages.append(message)
    }

    /// Messages logged on this thread since the last drain, oldest first.
    static func drain() -> [Message] {
        defer { Thread.current.threadDictionary[threadKey] = nil }
        return messages
    }

    /// Runs a FluidSynth call and turns its failure into a `FluidSynthError` carrying
    /// the errors FluidSynth logged during the call.
    static func check(_ operation: @autoclosure () -> String, _ call: () -> Bool) throws(FluidSynthError) {
        let before = messages.count
        if call() { return }
        let logged = messages.dropFirst(before)
        let errors = logged.filter(\.isError).map(\.text)
        throw FluidSynthError(
            operation: operation(), message: (errors.isEmpty ? logged.map(\.text) : errors).joined(separator: "; "))
    }

    /// The reason to give when a constructor returned NULL.
    static func lastErrors() -> String {
        drain().map(\.text).joined(separator: "; ")
    }
}
