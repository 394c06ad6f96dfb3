import Foundation
import Utilities

/// `CORPUSDIR/ingest.lock`, held with flock(2) for the whole ingest. The kernel drops
/// the lock when the process dies, even by kill -9, so a crash never leaves a stale lock;
/// the file only carries the holder's pid for the message a second ingest prints.
final class IngestLock {
    private let descriptor: Int32

    init(corpusDirectory: String) throws {
        let path = CorpusFolder(corpusDirectory).lockPath
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CorpusError(message: "\(path): cannot open the lock file: \(String(cString: strerror(errno))); check that the folder is writable")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            let who = holder.isEmpty ? "another ingest" : "another ingest (pid \(holder))"
            throw CorpusError(message: "\(corpusDirectory): \(who) is writing to this corpus; wait for it to finish, then run again")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
