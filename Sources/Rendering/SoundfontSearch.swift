import Foundation

/// Finds the soundfont to render with, in this order: the caller's explicit path, the
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
    /// How to get a soundfont; `explicitPathOption` is how the caller's users name one
    /// directly, when they can.
    public static func installHint(explicitPathOption: String? = nil) -> String {
        let naming = (explicitPathOption.map { "\($0) PATH or " } ?? "") + "\(environmentVariable)=PATH"
        return """
            Install one with `sudo apt-get install timgm6mb-soundfont` (6 MB) or `sudo apt-get install \
            fluid-soundfont-gm` (148 MB, fuller sound), copy a .sf2 or .sf3 file into the project's Soundfonts/ \
            folder, or name one with \(naming) (see Soundfonts/README.md).
            """
    }

    public init(
        explicitPath: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        projectFolders: [String] = SoundfontSearch.defaultProjectFolders,
        systemPaths: [String] = SoundfontSearch.systemGeneralMIDI
    ) {
        self.explicitPath = explicitPath
        self.environment = environment
        self.projectFolders = projectFolders
        self.systemPaths = systemPaths
    }

    /// `Soundfonts/` in the current folder, and in the source tree Tunesmith was built from.
    public static var defaultProjectFolders: [String] {
        let sourceTree = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Soundfonts")
                .standardizedFileURL.path,
            sourceTree.appendingPathComponent("Soundfonts").standardizedFileURL.path,
        ]
        return candidates.enumerated().filter { !candidates[..<$0.offset].contains($0.element) }.map(\.element)
    }

    public struct Found: Hashable, Sendable {
        public var path: String
        public var origin: Origin
    }

    /// Where a soundfont was looked for, in search order.
    public enum Origin: Hashable, Sendable, CustomStringConvertible {
        /// The path the caller named.
        case explicitPath
        case environment
        case projectFolder(String)
        case system

        public var description: String {
            switch self {
            case .explicitPath: "the soundfont asked for"
            case .environment: SoundfontSearch.environmentVariable
            case .projectFolder(let folder): "\(folder)/"
            case .system: "system General MIDI soundfont"
            }
        }
    }

    /// A place looked at and why it gave no soundfont.
    public struct Searched: Hashable, Sendable {
        public var origin: Origin
        /// The file or pattern looked at; nil when the place was not given at all.
        public var path: String?
        public var problem: String

        /// "TUNESMITH_SOUNDFONT=/x.sf2: no such file"; `explicitPathOption` names the caller's
        /// explicit path the way its users give it.
        public func text(explicitPathOption: String? = nil) -> String {
            let place: String
            let variable = SoundfontSearch.environmentVariable
            switch origin {
            case .explicitPath:
                let name = explicitPathOption ?? "explicit soundfont"
                place = path.map { "\(name) \($0)" } ?? name
            case .environment: place = path.map { "\(variable)=\($0)" } ?? variable
            case .projectFolder(let folder): place = path ?? folder
            case .system: place = path ?? "system soundfonts"
            }
            return "\(place): \(problem)"
        }
    }

    /// Throws `SoundfontNotFoundError`, or `SharedLibraryError` when FluidSynth, which
    /// judges whether a file is a soundfont, cannot be loaded.
    public func locate() throws -> Found {
        let fluid = try FluidSynthLibrary.load()
        // A soundfont the user named is used or reported, never silently replaced by another.
        if let explicitPath {
            if let problem = Self.problem(with: explicitPath, fluid: fluid) {
                let searched = Searched(origin: .explicitPath, path: explicitPath, problem: problem)
                throw SoundfontNotFoundError(searched: [searched])
            }
            return Found(path: explicitPath, origin: .explicitPath)
        }
        if let path = environment[Self.environmentVariable], !path.isEmpty {
            if let problem = Self.problem(with: path, fluid: fluid) {
                throw SoundfontNotFoundError(
                    searched: [Searched(origin: .environment, path: path, problem: problem)])
            }
            return Found(path: path, origin: .environment)
        }
        var searched = [
            Searched(origin: .explicitPath, path: nil, problem: "not given"),
            Searched(origin: .environment, path: nil, problem: "not set"),
        ]
        for folder in projectFolders {
            let files = Self.soundfontFiles(in: folder)
            if files.isEmpty {
                let pattern = "\(folder)/*.sf2|*.sf3"
                searched.append(Searched(origin: .projectFolder(folder), path: pattern, problem: "none"))
            }
            for file in files {
                if let problem = Self.problem(with: file, fluid: fluid) {
                    searched.append(Searched(origin: .projectFolder(folder), path: file, problem: problem))
                } else {
                    return Found(path: file, origin: .projectFolder(folder))
                }
            }
        }
        for path in systemPaths {
            if let problem = Self.problem(with: path, fluid: fluid) {
                searched.append(Searched(origin: .system, path: path, problem: problem))
            } else {
                return Found(path: path, origin: .system)
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
    static func problem(with path: String, fluid: FluidSynthLibrary) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such file" }
        if isDirectory.boolValue { return "is a folder, not a soundfont file" }
        guard access(path, R_OK) == 0 else { return "not readable (\(String(cString: strerror(errno))))" }
        guard fluid.isSoundfont(path) != 0 else { return "not a SoundFont 2/3 file (no RIFF sfbk header)" }
        return nil
    }
}

public struct SoundfontNotFoundError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Each place looked at, with why it was not used.
    public var searched: [SoundfontSearch.Searched]

    public var description: String { text() }

    /// The places and how to get a soundfont; `explicitPathOption` names the caller's
    /// explicit path the way its users give it.
    public func text(explicitPathOption: String? = nil) -> String {
        let places = searched.map { "  \($0.text(explicitPathOption: explicitPathOption))\n" }.joined()
        return "no usable soundfont. Searched:\n" + places
            + SoundfontSearch.installHint(explicitPathOption: explicitPathOption)
    }
}
