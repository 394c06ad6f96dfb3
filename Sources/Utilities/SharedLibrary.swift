import Foundation

/// A C library opened with `dlopen` when a command first needs it, instead of linked into
/// the binary: every library it brings (FluidSynth alone brings 60-odd: PulseAudio, JACK,
/// SDL2, …) would otherwise be mapped and relocated at the start of every command, including
/// the many that never render, and OpenBLAS starts a thread that spins at load. Never
/// closed: the functions resolved from it live as long as the process.
public final class SharedLibrary: @unchecked Sendable {
    /// The name it was opened under, as the dynamic loader was given it.
    public let fileName: String
    /// What a person calls it, for errors.
    public let library: String
    public let package: String
    /// Safe to share: `dlsym` is thread-safe and the handle is never closed.
    private let handle: UnsafeMutableRawPointer

    /// Opens the first of `fileNames` the dynamic loader can open; `package` is the Debian
    /// package that installs it.
    public init(library: String, fileNames: [String], package: String) throws(SharedLibraryError) {
        var reasons: [String] = []
        for fileName in fileNames {
            if let handle = dlopen(fileName, RTLD_NOW | RTLD_LOCAL) {
                self.handle = handle
                self.fileName = fileName
                self.library = library
                self.package = package
                return
            }
            reasons.append(dlerror().map { String(cString: $0) } ?? "\(fileName): cannot be opened")
        }
        throw .notLoadable(library: library, fileNames: fileNames, package: package, reasons: reasons)
    }

    /// The C function `symbol`, as the function type the caller declares for it: the type
    /// must match the header's prototype, which the tests check by calling each one.
    public func function<Function>(_ symbol: String, as type: Function.Type = Function.self) throws(SharedLibraryError)
        -> Function
    {
        guard let address = dlsym(handle, symbol) else {
            throw .missingFunction(library: library, fileName: fileName, function: symbol, package: package)
        }
        return unsafeBitCast(address, to: Function.self)
    }
}

/// A library a command needs could not be opened, or lacks a function Tunesmith calls.
public enum SharedLibraryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// None of `fileNames` could be opened; `reasons` holds the dynamic loader's
    /// explanation for each, in the same order.
    case notLoadable(library: String, fileNames: [String], package: String, reasons: [String])
    /// The library opened but is too old (or not the one expected): it lacks `function`.
    case missingFunction(library: String, fileName: String, function: String, package: String)

    public var library: String {
        switch self {
        case .notLoadable(let library, _, _, _), .missingFunction(let library, _, _, _): library
        }
    }

    /// The Debian package that installs the library.
    public var package: String {
        switch self {
        case .notLoadable(_, _, let package, _), .missingFunction(_, _, _, let package): package
        }
    }

    /// What is wrong, without a remedy.
    public var problem: String {
        switch self {
        case .notLoadable(let library, let fileNames, _, let reasons):
            "\(library) is not installed: cannot open \(fileNames.joined(separator: " or ")) "
                + "(\(reasons.first ?? "no file names given"))"
        case .missingFunction(let library, let fileName, let function, _):
            "\(fileName) has no function \(function); this \(library) is older than the one Tunesmith was built with"
        }
    }

    public var description: String { "\(problem); install the package \(package)" }
}
