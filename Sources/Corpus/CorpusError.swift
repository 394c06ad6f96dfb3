import Utilities

/// A corpus folder that cannot be used as asked. Each case carries the folder or file at
/// fault; `description` says what is wrong and what to do in the library's terms.
public enum CorpusError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The folder holds no catalogue: nothing was ingested into it.
    case noCatalogue(folder: String)
    /// The catalogue's schema is older or newer than this build's.
    case catalogueFromAnotherVersion(path: String)
    case cannotCreateFolder(path: String, reason: String)
    case cannotOpenLock(path: String, reason: String)
    /// Another ingest holds the corpus's lock; its process id when it wrote one.
    case busy(folder: String, holderPID: Int32?)
    case unreadableSource(path: String, reason: String)

    public var description: String {
        let subject: String, remedy: String?
        switch self {
        case .noCatalogue(let folder): (subject, remedy) = (folder, "ingest sources into it first")
        case .catalogueFromAnotherVersion(let path):
            (subject, remedy) = (path, "ingest into it once to bring it up to date")
        case .cannotCreateFolder(let path, _): (subject, remedy) = (path, nil)
        case .cannotOpenLock(let path, _): (subject, remedy) = (path, "check that the folder is writable")
        case .busy(let folder, _): (subject, remedy) = (folder, "wait for it to finish, then run again")
        case .unreadableSource(let path, _): (subject, remedy) = (path, nil)
        }
        return "\(subject): \(problem)" + (remedy.map { "; " + $0 } ?? "")
    }

    /// What is wrong, without the folder or file it concerns or a remedy.
    public var problem: String {
        switch self {
        case .noCatalogue: "no catalogue (\(CorpusFolder.catalogueFileName)) here"
        case .catalogueFromAnotherVersion: "catalogue written by another version of Tunesmith"
        case .cannotCreateFolder(_, let reason): "cannot create the corpus folder: \(reason)"
        case .cannotOpenLock(_, let reason): "cannot open the lock file: \(reason)"
        case .busy(_, let holderPID):
            "another ingest\(holderPID.map { " (pid \($0))" } ?? "") is writing to this corpus"
        case .unreadableSource(_, let reason): "cannot read: \(reason)"
        }
    }
}
