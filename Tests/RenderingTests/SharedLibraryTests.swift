import Foundation
import Testing
import Utilities

@testable import Rendering

/// FluidSynth and libsndfile are opened when a command renders, not linked: the loader
/// must find them, resolve every function, and name what is missing when it cannot.
@Suite struct SharedLibraryTests {
    @Test func aLibraryThatCannotBeOpenedIsNamedWithItsPackage() throws {
        let error = try #require(throws: SharedLibraryError.self) {
            try SharedLibrary(
                library: "FluidSynth", fileNames: ["libtunesmith-absent.so.9", "libtunesmith-absent.so"],
                package: "libtunesmith-absent9")
        }
        guard case .notLoadable(let library, let fileNames, let package, let reasons) = error else {
            Issue.record("expected notLoadable, got \(error)")
            return
        }
        #expect(library == "FluidSynth")
        #expect(fileNames == ["libtunesmith-absent.so.9", "libtunesmith-absent.so"])
        #expect(package == "libtunesmith-absent9")
        #expect(reasons.count == 2)
        #expect(reasons[0].contains("libtunesmith-absent.so.9"), "the dynamic loader's own reason is kept")
        #expect(error.description.contains("libtunesmith-absent.so.9"))
        #expect(error.description.contains("libtunesmith-absent9"))
    }

    @Test func aFunctionTheLibraryLacksIsNamed() throws {
        let library = try SharedLibrary(
            library: "libsndfile", fileNames: SndFileLibrary.fileNames, package: SndFileLibrary.package)
        let error = try #require(throws: SharedLibraryError.self) {
            try library.function("sf_tunesmith_absent", as: (@convention(c) () -> Void).self)
        }
        #expect(
            error
                == .missingFunction(
                    library: "libsndfile", fileName: library.fileName, function: "sf_tunesmith_absent",
                    package: SndFileLibrary.package))
        #expect(error.problem.contains("sf_tunesmith_absent"))
    }

    @Test func fluidSynthLoadsAndItsFunctionsAnswer() throws {
        let fluid = try FluidSynthLibrary.load()
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notASoundfont = folder.appendingPathComponent("text.sf2").path
        try Data("not a soundfont".utf8).write(to: URL(fileURLWithPath: notASoundfont))
        #expect(fluid.isSoundfont(notASoundfont) == 0)
        if haveTimGM6mb { #expect(fluid.isSoundfont(timGM6mb) != 0) }
        let settings = try FluidSettings(fluid: fluid)
        try settings.set("synth.sample-rate", 22050.0)
        #expect(throws: FluidSynthError.self) { try settings.set("synth.no-such-setting", 1) }
    }

    @Test func libsndfileLoadsAndExplainsItsErrors() throws {
        let sndfile = try SndFileLibrary.load()
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let format = try AudioFormat(container: .wav, encoding: .pcm16)
        let missingFolder = folder.appendingPathComponent("absent/out.wav").path
        let error = try #require(throws: SoundFileError.self) {
            try SoundFileWriter(
                sndfile: sndfile, path: missingFolder, displayName: missingFolder, format: format, sampleRate: 44100,
                channels: 2)
        }
        #expect(error.file == missingFolder)
        #expect(!error.message.isEmpty, "libsndfile's explanation comes through the resolved sf_strerror")
    }
}
