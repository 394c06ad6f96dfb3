import Foundation
import Testing

@testable import Rendering

struct SoundfontSearchTests {
    @Test func aMissingExplicitSoundfontNamesItAndSaysHowToInstallOne() throws {
        let search = SoundfontSearch(
            explicitPath: "/nonexistent/Piano.sf2", environment: [:], projectFolders: [], systemPaths: [timGM6mb])
        let error = try #require(throws: SoundfontNotFoundError.self) { try search.locate() }
        #expect(
            error.searched == [
                .init(
                    origin: .explicitPath, path: "/nonexistent/Piano.sf2",
                    problem: "no such file")
            ])
        #expect(error.description.contains("apt-get install timgm6mb-soundfont"))
    }

    @Test func nothingFoundListsEveryPlaceSearched() throws {
        let emptyFolder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: emptyFolder) }
        let search = SoundfontSearch(
            environment: [:], projectFolders: [emptyFolder.path], systemPaths: ["/nonexistent/default-GM.sf2"])
        let error = try #require(throws: SoundfontNotFoundError.self) { try search.locate() }
        #expect(
            error.searched == [
                .init(origin: .explicitPath, path: nil, problem: "not given"),
                .init(origin: .environment, path: nil, problem: "not set"),
                .init(
                    origin: .projectFolder(emptyFolder.path), path: "\(emptyFolder.path)/*.sf2|*.sf3", problem: "none"),
                .init(origin: .system, path: "/nonexistent/default-GM.sf2", problem: "no such file"),
            ])
        #expect(error.description.contains("Soundfonts/README.md"))
    }

    @Test func aFileThatIsNotASoundfontIsRefused() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fake = folder.appendingPathComponent("fake.sf2")
        try Data("<html>not found</html>".utf8).write(to: fake)
        let search = SoundfontSearch(
            environment: [SoundfontSearch.environmentVariable: fake.path], projectFolders: [], systemPaths: [])
        let error = try #require(throws: SoundfontNotFoundError.self) { try search.locate() }
        #expect(
            error.searched == [
                .init(
                    origin: .environment, path: fake.path,
                    problem: "not a SoundFont 2/3 file (no RIFF sfbk header)")
            ])
    }

    @Test(.enabled(if: haveTimGM6mb))
    func searchOrderIsOptionEnvironmentProjectFolderSystem() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let projectSoundfont = folder.appendingPathComponent("House.sf2").path
        try FileManager.default.createSymbolicLink(atPath: projectSoundfont, withDestinationPath: timGM6mb)
        let environment = [SoundfontSearch.environmentVariable: timGM6mb]

        let fromOption = try SoundfontSearch(
            explicitPath: projectSoundfont, environment: environment, projectFolders: [folder.path], systemPaths: []
        ).locate()
        #expect(fromOption.origin == .explicitPath)
        let fromEnvironment = try SoundfontSearch(
            environment: environment, projectFolders: [folder.path], systemPaths: []
        ).locate()
        #expect(fromEnvironment == .init(path: timGM6mb, origin: .environment))
        let fromProject = try SoundfontSearch(environment: [:], projectFolders: [folder.path], systemPaths: [timGM6mb])
            .locate()
        #expect(fromProject.path == projectSoundfont)
        let fromSystem = try SoundfontSearch(
            environment: [:], projectFolders: [], systemPaths: ["/nonexistent.sf2", timGM6mb]
        ).locate()
        #expect(fromSystem.path == timGM6mb)
    }

    @Test(.enabled(if: haveTimGM6mb))
    func anUnloadableSoundfontFailsTheRenderWithFluidSynthsMessage() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let truncated = folder.appendingPathComponent("truncated.sf2").path
        let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: timGM6mb)).read(upToCount: 4096) ?? Data()
        try head.write(to: URL(fileURLWithPath: truncated))

        let error = try #require(throws: FluidSynthError.self) {
            try OfflineRenderer(soundfont: truncated, options: RenderOptions())
        }
        #expect(error.description.contains("load the soundfont \(truncated)"))
        #expect(!error.message.isEmpty, "FluidSynth's own explanation is carried")
    }
}
