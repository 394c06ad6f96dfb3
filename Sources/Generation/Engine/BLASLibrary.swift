import COpenBLAS
import Utilities

/// The OpenBLAS functions the engine calls, resolved the first time a model is built or
/// loaded instead of linked into the binary: OpenBLAS starts a thread when it loads, and on
/// a two-core machine that thread's spinning took a core from every command that never
/// multiplies a matrix (`inspect` of a folder ran 12 % slower with it). The header still
/// gives the enums; each function type below restates its prototype there.
struct BLASLibrary: @unchecked Sendable {
    let sgemm:
        @convention(c) (
            CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
            UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
        ) -> Void
    let sgemv:
        @convention(c) (
            CBLAS_ORDER, CBLAS_TRANSPOSE, Int32, Int32, Float, UnsafePointer<Float>?, Int32, UnsafePointer<Float>?,
            Int32, Float, UnsafeMutablePointer<Float>?, Int32
        ) -> Void
    let setThreadCount: @convention(c) (Int32) -> Void

    /// The soname Debian has shipped since OpenBLAS 0.2; the package is the runtime one
    /// (`make deps` installs the -dev package, which brings it).
    static let fileNames = ["libopenblas.so.0", "libopenblas.so"]
    static let package = "libopenblas0"

    /// The functions, loaded once per process; the same error every time when they cannot be.
    /// The front doors that build or load a model (`TrainingRun.run`, `TrainedRun`,
    /// `Checkpoint`) call this first, so a missing OpenBLAS is an error with a remedy there.
    static func load() throws(SharedLibraryError) -> BLASLibrary { try loaded.get() }

    /// For the kernels, which cannot throw: reached only after a front door has loaded the
    /// library, or from code that builds models directly (tests, benchmarks) on a machine
    /// that has it.
    static var resolved: BLASLibrary {
        switch loaded {
        case .success(let library): library
        case .failure(let error): fatalError("\(error)")
        }
    }

    /// OpenBLAS runs single-threaded and the engine splits large products over the cores
    /// itself: OpenBLAS's own threads busy-wait, which collapses throughput when the cores
    /// are shared, and nested threading (attention heads in parallel) would oversubscribe.
    private static let loaded = Result { () throws(SharedLibraryError) in
        let library = try BLASLibrary(SharedLibrary(library: "OpenBLAS", fileNames: fileNames, package: package))
        library.setThreadCount(1)
        return library
    }

    init(_ library: SharedLibrary) throws(SharedLibraryError) {
        sgemm = try library.function("cblas_sgemm")
        sgemv = try library.function("cblas_sgemv")
        setThreadCount = try library.function("openblas_set_num_threads")
    }
}
