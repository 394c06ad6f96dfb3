import Foundation
import MIDIFile

/// One input and the audio file it becomes.
public struct RenderJob: Hashable, Sendable {
    public var input: String
    public var output: String

    public init(input: String, output: String) {
        self.input = input
        self.output = output
    }

    /// Pairs inputs with outputs: `output` is one audio file (`.wav`/`.flac`) for a single
    /// input, otherwise a folder (created if missing) that receives one file per input,
    /// named after it; names that would collide get a numeric suffix.
    public static func plan(inputs: [String], output: String, folderContainer: AudioFormat.Container) throws
        -> [RenderJob]
    {
        if AudioFormat.container(forPath: output) != nil {
            guard inputs.count == 1 else {
                throw RenderPlanError.oneFileForManyInputs(output: output, inputs: inputs.count)
            }
            return [RenderJob(input: inputs[0], output: output)]
        }
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw RenderPlanError.cannotCreateFolder(path: output, reason: (error as NSError).localizedDescription)
        }
        let paths = OutputNaming.paths(for: inputs, in: output, extension: folderContainer.rawValue)
        return zip(inputs, paths).map { RenderJob(input: $0, output: $1) }
    }

    /// Reads, renders and writes this job's file with a worker's renderer.
    func perform(with renderer: OfflineRenderer, soundfont: String) throws -> RenderReport {
        let started = ContinuousClock.now
        let midi = try PreparedMIDI(contentsOf: input)
        let result = try renderer.render(midi)
        try AudioFileOutput.write(result.audio, format: renderer.options.format, to: output)
        let elapsed = ContinuousClock.now - started
        let peak = Double(result.audio.peak)
        return RenderReport(
            input: input, output: output, soundfont: soundfont, sampleRate: result.audio.sampleRate,
            seconds: result.audio.seconds, notes: midi.noteCount,
            peakDBFS: peak > 0 ? Decibels.dBFS(amplitude: peak) : nil, appliedGain: result.appliedGain,
            repairedDefects: midi.findings.count,
            renderSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
            warnings: result.warnings)
    }
}

/// Inputs and an output that cannot be paired, with the output at fault.
public enum RenderPlanError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The output names one audio file, but several inputs need one each.
    case oneFileForManyInputs(output: String, inputs: Int)
    case cannotCreateFolder(path: String, reason: String)

    public var description: String {
        switch self {
        case .oneFileForManyInputs(let output, _): "\(output) \(problem); name a folder instead"
        case .cannotCreateFolder(let path, _): "\(path): \(problem)"
        }
    }

    /// What is wrong, after the output's name, without a remedy.
    public var problem: String {
        switch self {
        case .oneFileForManyInputs(_, let inputs): "names one audio file but \(inputs) inputs were given"
        case .cannotCreateFolder(_, let reason): "cannot create the folder: \(reason)"
        }
    }
}
