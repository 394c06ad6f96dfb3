// swift-tools-version: 6.1
import PackageDescription

/// Release builds of the hot readers skip bounds checks the code already proves.
let fastKernels: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

let package = Package(
    name: "Tunesmith",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tunesmith", targets: ["tunesmith"]),
        .library(name: "MIDIFile", targets: ["MIDIFile"]),
        .library(name: "MusicTheory", targets: ["MusicTheory"]),
        .library(name: "Corpus", targets: ["Corpus"]),
        .library(name: "Reports", targets: ["Reports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CFluidSynth", pkgConfig: "fluidsynth",
            providers: [.apt(["libfluidsynth-dev"])]),
        .systemLibrary(
            name: "CSndFile", pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),

        .target(name: "MIDIFile", swiftSettings: fastKernels),
        .testTarget(name: "MIDIFileTests", dependencies: ["MIDIFile"]),
        .target(name: "MusicTheory", dependencies: ["MIDIFile"], swiftSettings: fastKernels),
        .testTarget(name: "MusicTheoryTests", dependencies: ["MusicTheory", "MIDIFile"]),
        .target(name: "Reports", dependencies: ["MIDIFile", "MusicTheory", "Corpus"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "MusicTheory", "MIDIFile", "Corpus"]),
        .executableTarget(name: "AnalyzeBench", dependencies: ["MusicTheory", "MIDIFile"], path: "Benchmarks/AnalyzeBench"),

        .target(
            name: "Corpus",
            dependencies: ["MIDIFile", "MusicTheory", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: fastKernels),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus", "MIDIFile"]),
        .testTarget(name: "CLITests", dependencies: ["tunesmith", "MIDIFile"]),

        .executableTarget(
            name: "tunesmith",
            dependencies: [
                "MIDIFile",
                "MusicTheory",
                "Corpus",
                "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
    ]
)
