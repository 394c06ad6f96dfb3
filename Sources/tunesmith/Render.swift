import ArgumentParser
import Foundation
import Rendering

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render MIDI files to WAV or FLAC through FluidSynth.",
        discussion: """
            The soundfont is --soundfont, else $TUNESMITH_SOUNDFONT, else the first *.sf2|*.sf3 in the project's \
            Soundfonts/ folder, else the system's General MIDI soundfont. By default the peak is normalised to \
            -1 dBFS; --gain sets FluidSynth's gain instead and fails rather than clip. The audio ends when the \
            tail falls below -60 dBFS. Exit status: 0 when every file was rendered, 1 otherwise.
            """)

    @Argument(help: "MIDI files to render.")
    var inputs: [String]

    @OptionGroup var destination: OutputPathArguments<AudioDestination>

    @Option(help: "Soundfont (.sf2/.sf3) to use instead of the search.")
    var soundfont: String?

    @Option(help: "Sample rate in Hz (8000-96000).")
    var sampleRate = 44_100

    @Option(help: "Peak level in dBFS to normalise to (default -1).")
    var normalize: Double?

    @Option(help: "FluidSynth gain (0-10, as fluidsynth -g) instead of normalising; fails if it would clip.")
    var gain: Double?

    @Option(help: "Reverb: on or off.")
    var reverb: Switch = .on

    @Option(help: "Samples: pcm16, pcm24 or float (WAV only).")
    var encoding: AudioFormat.Encoding = .pcm16

    @Option(help: "Container for files written into a folder: wav (default) or flac.")
    var format: AudioFormat.Container?

    @Flag(help: "Fail on a file with no notes instead of writing a short silent file.")
    var strict = false

    @OptionGroup var parallel: ParallelArguments
    @OptionGroup var output: OutputArguments

    enum Switch: String, ExpressibleByArgument, CaseIterable {
        case on, off
    }

    enum AudioDestination: OutputPathPurpose {
        static let help = "OUT.wav or OUT.flac for one input, else a folder (created if missing)."
    }

    func validate() throws {
        guard RenderOptions.supportedSampleRates.contains(sampleRate) else {
            throw ValidationError("--sample-rate \(sampleRate): FluidSynth renders at 8000 to 96000 Hz")
        }
        if let gain, !(RenderOptions.supportedGains.contains(gain) && gain > 0) {
            throw ValidationError("--gain \(gain): FluidSynth's gain is above 0 and at most 10 (its default is 0.2)")
        }
        if gain != nil && normalize != nil {
            throw ValidationError(
                "--gain and --normalize exclude each other: --gain sets the level by hand, --normalize measures it")
        }
        if let normalize, !(normalize <= 0 && normalize >= -60) {
            throw ValidationError("--normalize \(normalize): the target peak is in dBFS, between -60 and 0")
        }
        if let format, let named = AudioFormat.container(forPath: destination.output), named != format {
            throw ValidationError(
                "--format \(format.rawValue) disagrees with -o \(destination.output); give one or the other")
        }
    }

    func run() throws {
        let folderContainer = format ?? .wav
        let container = AudioFormat.container(forPath: destination.output) ?? folderContainer
        let audioFormat: AudioFormat
        let plan: [RenderJob]
        let found: SoundfontSearch.Found
        do {
            audioFormat = try AudioFormat(container: container, encoding: encoding)
            plan = try RenderJob.plan(inputs: inputs, output: destination.output, folderContainer: folderContainer)
            found = try SoundfontSearch(explicitPath: soundfont).locate()
        } catch {
            Diagnostics.warn(error)
            throw ExitCode(1)
        }
        if !output.json { Diagnostics.warn("soundfont \(found.path) (from \(found.origin.commandLineName))") }
        let loudness: RenderOptions.Loudness = gain.map { .synthGain($0) } ?? .normalizePeak(dBFS: normalize ?? -1)
        let options = RenderOptions(
            sampleRate: sampleRate, loudness: loudness, reverb: reverb == .on,
            format: audioFormat, strict: strict)
        let frontend = BatchFrontend(json: output.json, inputCount: plan.count)
        // Outcomes are shown as files finish: the renderer takes the largest files first, not the given order.
        _ = BatchRenderer.run(plan, soundfont: found.path, options: options, workers: parallel.jobs) { outcome, _ in
            frontend.record(outcome.job.input, outcome.result.mapError { $0 }, text: Self.describe)
            if case .success(let report) = outcome.result {
                for warning in report.warnings { frontend.diagnostics.warn("\(report.input): \(warning)") }
            }
        }
        try frontend.finish()
    }

    private static func describe(_ report: RenderReport) -> String {
        let peak = report.peakDBFS.map { String(format: "peak %.1f dBFS", $0) } ?? "silent"
        let speed =
            report.renderSeconds > 0
            ? String(format: ", %.0f× realtime", report.seconds / report.renderSeconds) : ""
        let length = String(format: "%.2f", report.seconds)
        return "\(report.input) → \(report.output): \(length) s, \(report.notes) notes, \(peak)\(speed)"
    }
}

extension AudioFormat.Encoding: ExpressibleByArgument {}
extension AudioFormat.Container: ExpressibleByArgument {}
