import CFluidSynth
import Foundation

/// Finds the soundfont to render with, in this order: `--soundfont`, the
/// `TUNESMITH_SOUNDFONT` environment variable, `*.sf2|*.sf3` in the project's
/// `Soundfonts/` folder, then the system's General MIDI soundfonts.
public struct SoundfontSearch: Sendable {
    public var explicitPath: String?
    public var environment: [String: String]
    public var projectFolders: [String]
    public var systemPaths: [String]

    public static let environmentVariable = "TUNESMITH_SOUNDFONT"
    public static let systemGeneralMIDI = [
        "/usr/share/sounds/sf2/default-GM.sf2",
        "/usr/share/sounds/sf2/FluidR3_GM.sf2",
        "/usr/share/sounds/sf2/TimGM6mb.sf2",
    ]
    public static let installHint = """
        Install one with `sudo apt-get install timgm6mb-soundfont` (6 MB) or `sudo apt-get install fluid-soundfont-gm` \
        (148 MB, fuller sound), copy a .sf2 or .sf3 file into the project's Soundfonts/ folder, or name one with \
        --soundfont PATH or \(environmentVariable)=PATH (see Soundfonts/README.md).
        """

    public init(explicitPath: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                projectFolders: [String] = SoundfontSearch.defaultProjectFolders,
                systemPaths: [String] = SoundfontSearch.systemGeneralMIDI) {
        self.explicitPath = explicitPath
        self.environment = environment
        self.projectFolders = projectFolders
        self.systemPaths = systemPaths
    }

    /// `Soundfonts/` in the current folder, and in the source tree Tunesmith was built from.
    public static var defaultProjectFolders: [String] {
        let sourceTree = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Soundfonts").standardizedFileURL.path,
            sourceTree.appendingPathComponent("Soundfonts").standardizedFileURL.path,
        ]
        return candidates.enumerated().filter { !candidates[..<$0.offset].contains($0.element) }.map(\.element)
    }

    public struct Found: Hashable, Sendable {
        public var path: String
        /// Where the path came from, for messages: "--soundfont", "TUNESMITH_SOUNDFONT", …
        public var source: String
    }

    public func locate() throws(SoundfontNotFoundError) -> Found {
        // A soundfont the user named is used or reported, never silently replaced by another.
        if let explicitPath {
            if let problem = Self.problem(with: explicitPath) {
                throw SoundfontNotFoundError(searched: ["--soundfont \(explicitPath): \(problem)"])
            }
            return Found(path: explicitPath, source: "--soundfont")
        }
        if let path = environment[Self.environmentVariable], !path.isEmpty {
            if let problem = Self.problem(with: path) {
                throw SoundfontNotFoundError(searched: ["\(Self.environmentVariable)=\(path): \(problem)"])
            }
            return Found(path: path, source: Self.environmentVariable)
        }
        var searched = ["--soundfont: not given", "\(Self.environmentVariable): not set"]
        for folder in projectFolders {
            let files = Self.soundfontFiles(in: folder)
            if files.isEmpty { searched.append("\(folder)/*.sf2|*.sf3: none") }
            for file in files {
                if let problem = Self.problem(with: file) {
                    searched.append("\(file): \(problem)")
                } else {
                    return Found(path: file, source: "\(folder)/")
                }
            }
        }
        for path in systemPaths {
            if let problem = Self.problem(with: path) {
                searched.append("\(path): \(problem)")
            } else {
                return Found(path: path, source: "system General MIDI soundfont")
            }
        }
        throw SoundfontNotFoundError(searched: searched)
    }

    static func soundfontFiles(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { ["sf2", "sf3"].contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) }
            .sorted()
            .map { URL(fileURLWithPath: folder).appendingPathComponent($0).path }
    }

    /// Why `path` cannot be used as a soundfont, or nil when it can.
    static func problem(with path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such file" }
        if isDirectory.boolValue { return "is a folder, not a soundfont file" }
        guard access(path, R_OK) == 0 else { return "not readable (\(String(cString: strerror(errno))))" }
        guard fluid_is_soundfont(path) != 0 else { return "not a SoundFont 2/3 file (no RIFF sfbk header)" }
        return nil
    }
}

public struct SoundfontNotFoundError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Each place looked at, with why it was not used.
    public var searched: [String]

    public var description: String {
        "no usable soundfont. Searched:\n" + searched.map { "  \($0)\n" }.joined() + SoundfontSearch.installHint
    }
}
