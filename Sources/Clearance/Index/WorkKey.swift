import Foundation

/// A guess at which work a file holds, from its name: the file name without folders,
/// extension or case. Two catalogue files with the same name are taken to be the same work
/// (the same piece in two folders, or a re-transcription saved under the same name), so
/// the baseline of unrelated pieces never compares them.
public enum WorkKey {
    public static func of(path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension.lowercased()
    }
}
