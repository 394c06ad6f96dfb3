import CSndFile
import Foundation

/// Owns a libsndfile handle open for writing; closed in `close()` (to report errors) or,
/// failing that, in deinit.
final class SoundFileWriter {
    private var handle: OpaquePointer?
    private let sndfile: SndFileLibrary
    /// The name errors mention: the final destination, not the temporary file.
    let displayName: String

    init(
        sndfile: SndFileLibrary, path: String, displayName: String, format: AudioFormat, sampleRate: Int, channels: Int
    ) throws(SoundFileError) {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = format.sndfileFormat
        guard sndfile.formatCheck(&info) == SF_TRUE else {
            throw SoundFileError(
                file: displayName, operation: "accept this format",
                message: "\(format.container.rawValue) \(format.encoding.rawValue) at \(sampleRate) Hz is not supported"
            )
        }
        guard let handle = sndfile.open(path, Int32(SFM_WRITE), &info) else {
            throw SoundFileError(
                file: displayName, operation: "create the file",
                message: sndfile.errorMessage(nil).trimmingCharacters(in: CharacterSet(charactersIn: ". "))
                    + "; check that the folder exists and is writable")
        }
        self.handle = handle
        self.sndfile = sndfile
        self.displayName = displayName
    }

    deinit {
        if let handle { _ = sndfile.close(handle) }
    }

    /// Writes interleaved float frames; libsndfile converts to the file's encoding.
    func write(interleaved samples: UnsafeBufferPointer<Float>, frames: Int) throws(SoundFileError) {
        guard let handle else { return }
        let written = sndfile.writeFloatFrames(handle, samples.baseAddress, sf_count_t(frames))
        if written != sf_count_t(frames) {
            throw SoundFileError(
                file: displayName, operation: "write audio", message: sndfile.errorMessage(handle))
        }
    }

    func close() throws(SoundFileError) {
        guard let handle else { return }
        self.handle = nil
        let status = sndfile.close(handle)
        if status != 0 {
            throw SoundFileError(
                file: displayName, operation: "finish the file", message: sndfile.errorMessage(number: status))
        }
    }
}
