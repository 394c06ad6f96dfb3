import CSndFile
import Utilities

/// The libsndfile functions Tunesmith calls to write audio, resolved the first time a
/// command writes some (see `SharedLibrary` for why it is not linked: libsndfile brings
/// FLAC, Vorbis, Opus, MPEG and LAME). The header still gives `SF_INFO` and the constants.
struct SndFileLibrary: @unchecked Sendable {
    let formatCheck: @convention(c) (UnsafePointer<SF_INFO>?) -> Int32
    let open: @convention(c) (UnsafePointer<CChar>?, Int32, UnsafeMutablePointer<SF_INFO>?) -> OpaquePointer?
    let writeFloatFrames: @convention(c) (OpaquePointer?, UnsafePointer<Float>?, sf_count_t) -> sf_count_t
    let close: @convention(c) (OpaquePointer?) -> Int32
    let errorText: @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    let errorNumberText: @convention(c) (Int32) -> UnsafePointer<CChar>?

    /// libsndfile has kept soname 1 since 2002.
    static let fileNames = ["libsndfile.so.1", "libsndfile.so"]
    static let package = "libsndfile1"

    /// The functions, loaded once per process; the same error every time when they cannot be.
    static func load() throws(SharedLibraryError) -> SndFileLibrary { try loaded.get() }

    private static let loaded = Result { () throws(SharedLibraryError) in
        try SndFileLibrary(SharedLibrary(library: "libsndfile", fileNames: fileNames, package: package))
    }

    /// libsndfile's explanation of the last error on `handle`, or of the last failed open when nil.
    func errorMessage(_ handle: OpaquePointer?) -> String {
        errorText(handle).map { String(cString: $0) } ?? "unknown error"
    }

    /// libsndfile's explanation of an error number (what `sf_close` returns).
    func errorMessage(number: Int32) -> String {
        errorNumberText(number).map { String(cString: $0) } ?? "error \(number)"
    }

    init(_ library: SharedLibrary) throws(SharedLibraryError) {
        formatCheck = try library.function("sf_format_check")
        open = try library.function("sf_open")
        writeFloatFrames = try library.function("sf_writef_float")
        close = try library.function("sf_close")
        errorText = try library.function("sf_strerror")
        errorNumberText = try library.function("sf_error_number")
    }
}
