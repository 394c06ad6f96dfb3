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
            throw CorpusError.cannotOpenLock(path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            close(descriptor)
            throw CorpusError.busy(folder: corpusDirectory, holderPID: holder.flatMap { Int32($0) })
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
