import Foundation
import MIDIFile
import Utilities

/// A page and the data files of its charts, by paths relative to the report's folder.
public struct PageOutput: Sendable {
    public var path: String
    public var page: HTMLPage
    public var dataFiles: [(path: String, contents: String)]

    public init(path: String, page: HTMLPage, dataFiles: [(path: String, contents: String)]) {
        self.path = path
        self.page = page
        self.dataFiles = dataFiles
    }
}

/// Collects a page's charts and places each chart's data file in a folder beside the page.
struct ChartShelf {
    /// Folder of the data files, relative to the page.
    let folder: String
    /// The same folder relative to the report's root.
    let folderFromRoot: String
    private(set) var dataFiles: [(path: String, contents: String)] = []

    init(folder: String, pageDirectory: String) {
        self.folder = folder
        folderFromRoot = pageDirectory.isEmpty ? folder : pageDirectory + "/" + folder
    }

    mutating func place(_ chart: Chart) -> HTMLPage.Block {
        dataFiles.append((folderFromRoot + "/" + chart.id + ".csv", chart.data.csv))
        return .chart(chart, dataPath: folder + "/" + chart.id + ".csv")
    }

    mutating func attach(name: String, contents: String) -> String {
        dataFiles.append((folderFromRoot + "/" + name, contents))
        return folder + "/" + name
    }
}

/// The report's folder on disk. Every file is written to a temporary name and renamed
/// into place, so a browser open on the report never sees a half-written page.
public struct ReportFolder: Sendable {
    public let root: String

    public init(root: String) throws {
        self.root = root
        try makeDirectory(root)
    }

    public func write(_ output: PageOutput) throws {
        for file in output.dataFiles { try write(file.contents, to: file.path) }
        try write(output.page.render(), to: output.path)
    }

    public func write(_ contents: String, to relativePath: String) throws {
        let path = (root as NSString).appendingPathComponent(relativePath)
        try makeDirectory((path as NSString).deletingLastPathComponent)
        try AtomicFile.write(Data(contents.utf8), to: path)
    }

    private func makeDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ReportFolderError(path: path, reason: (error as NSError).localizedDescription)
        }
    }
}

public struct ReportFolderError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String {
        "\(path): cannot create the folder: \(reason); check the report folder's path and its permissions"
    }
}
