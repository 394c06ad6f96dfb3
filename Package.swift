// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Tunesmith",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tunesmith", targets: ["tunesmith"]),
        .library(name: "Utilities", targets: ["Utilities"]),
        .library(name: "MIDIFile", targets: ["MIDIFile"]),
        .library(name: "MusicTheory", targets: ["MusicTheory"]),
        .library(name: "Generation", targets: ["Generation"]),
        .library(name: "Corpus", targets: ["Corpus"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "Score", targets: ["Score"]),
        .library(name: "Clearance", targets: ["Clearance"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // Headers only: Rendering opens these two with dlopen when a command renders, so that
        // the other commands do not load the 60-odd libraries they bring (Sources/Rendering/Libraries),
        // and Generation opens OpenBLAS when a model is built (Sources/Generation/Engine/BLASLibrary.swift).
        .systemLibrary(name: "CFluidSynth", providers: [.apt(["libfluidsynth-dev"])]),
        .systemLibrary(name: "CSndFile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),

        .target(name: "Utilities"),
        .testTarget(name: "UtilitiesTests", dependencies: ["Utilities"]),
        .target(name: "MIDIFile", dependencies: ["Utilities"]),
        .testTarget(name: "MIDIFileTests", dependencies: ["MIDIFile", "Utilities"]),
        .target(name: "MusicTheory", dependencies: ["MIDIFile", "Utilities"]),
        .testTarget(name: "MusicTheoryTests", dependencies: ["MusicTheory", "MIDIFile", "Utilities"]),
        .target(
            name: "Reports", dependencies: ["Utilities", "MIDIFile", "MusicTheory", "Corpus", "Score", "Clearance"]),
        .testTarget(
            name: "ReportsTests", dependencies: ["Reports", "MusicTheory", "MIDIFile", "Corpus", "Clearance"]),
        .executableTarget(
            name: "AnalyzeBench", dependencies: ["MusicTheory", "MIDIFile", "Utilities"],
            path: "Benchmarks/AnalyzeBench"),
        .target(name: "Score", dependencies: ["Utilities", "MIDIFile", "MusicTheory"]),
        .testTarget(name: "ScoreTests", dependencies: ["Score", "MIDIFile"]),

        .testTarget(name: "CLITests", dependencies: ["tunesmith", "MIDIFile"]),
        .executableTarget(name: "NotesDump", dependencies: ["MIDIFile"], path: "Benchmarks/NotesDump"),
        .executableTarget(name: "ReadBench", dependencies: ["MIDIFile"], path: "Benchmarks/ReadBench"),
        .executableTarget(name: "MIDIFuzz", dependencies: ["MIDIFile"], path: "Fuzz/MIDIFuzz"),

        .target(name: "Rendering", dependencies: ["CFluidSynth", "CSndFile", "MIDIFile", "Utilities"]),
        // The tests decode what Rendering wrote with libsndfile linked directly, not through Rendering's loader.
        .testTarget(
            name: "RenderingTests", dependencies: ["Rendering", "MIDIFile", "CSndFile", "Utilities"],
            linkerSettings: [.linkedLibrary("sndfile")]),

        .target(name: "Generation", dependencies: ["COpenBLAS", "Utilities", "MIDIFile", "MusicTheory", "Clearance"]),
        .testTarget(name: "GenerationTests", dependencies: ["Generation", "Corpus", "Clearance", "COpenBLAS"]),
        .executableTarget(
            name: "TrainBench", dependencies: ["Generation"], path: "Benchmarks/TrainBench"),
        .executableTarget(
            name: "DecodeBench", dependencies: ["Generation"], path: "Benchmarks/DecodeBench"),

        .target(
            name: "Corpus",
            dependencies: ["Utilities", "MIDIFile", "MusicTheory", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus", "MIDIFile", "MusicTheory", "Utilities"]),

        .target(
            name: "Clearance",
            dependencies: ["Utilities", "MIDIFile", "MusicTheory", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "ClearanceTests",
            dependencies: [
                "Clearance", "MIDIFile", "MusicTheory", "Utilities", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .executableTarget(
            name: "ClearanceBench", dependencies: ["Clearance", "Generation", "MIDIFile", "MusicTheory", "Utilities"],
            path: "Benchmarks/ClearanceBench"),

        .executableTarget(
            name: "tunesmith",
            dependencies: [
                "Utilities",
                "MIDIFile",
                "MusicTheory",
                "Rendering",
                "Corpus",
                "Reports",
                "Generation",
                "Score",
                "Clearance",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
    ]
)
