import Foundation

/// Writes rendered audio beside its destination and renames it into place, so a crash
/// or a failed render never leaves a partial file under the final name.
enum AudioFileOutput {
    static func write(_ audio: RenderedAudio, format: AudioFormat, to path: String) throws {
        let sndfile = try SndFileLibrary.load()
        let destination = URL(fileURLWithPath: path)
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(
                ".\(destination.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            ).path
        do {
            let writer = try SoundFileWriter(
                sndfile: sndfile, path: temporary, displayName: path, format: format, sampleRate: audio.sampleRate,
                channels: RenderedAudio.channels)
            try audio.samples.withUnsafeBufferPointer { samples throws(SoundFileError) in
                try writer.write(interleaved: samples, frames: audio.frames)
            }
            try writer.close()
            if rename(temporary, path) != 0 {
                throw SoundFileError(
                    file: path, operation: "move the finished file into place",
                    message: String(cString: strerror(errno)))
            }
        } catch {
            unlink(temporary)
            throw error
        }
    }
}
