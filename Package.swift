// swift-tools-version:6.1
// Ballast: a daemon for imbalanced classification, spoken to over signed JSON-RPC on ZeroMQ.
// Layers (arrows point down only): ballast -> BallastCLI -> BallastClient, ballastd -> BallastServer;
// both -> BallastTransport -> ZeroMQ -> CZeroMQ. BallastServer -> BallastStore -> BallastProtocol,
// BallastML, GRDB. BallastProtocol and BallastML depend on nothing of ours. Only BallastTransport
// (and the benchmarks' bare echo) speaks to ZeroMQ: the layers above it see no socket type.
// Linux only (Glibc, /proc/self/exe): no other platform is claimed.
import Foundation
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

/// `BALLAST_NATIVE=1` (set by `make release`) compiles the numerics for the CPU of the machine
/// that builds them (AVX2, FMA, AVX-512 where present). Such a binary runs only on CPUs like it,
/// so debug and test builds leave it off.
let native = ProcessInfo.processInfo.environment["BALLAST_NATIVE"] == "1"
let nativeCPU = native ? ["-target-cpu", "native"] : []

let package = Package(
    name: "Ballast",
    products: [
        .executable(name: "ballastd", targets: ["ballastd"]),
        .executable(name: "ballast", targets: ["ballast"]),
        .library(name: "BallastClient", targets: ["BallastClient"]),
        .library(name: "BallastCLI", targets: ["BallastCLI"]),
        .library(name: "BallastTransport", targets: ["BallastTransport"]),
        .library(name: "BallastProtocol", targets: ["BallastProtocol"]),
        .library(name: "ZeroMQ", targets: ["ZeroMQ"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // HMAC-SHA256 for message signatures: BoringSSL's SHA-256 uses the CPU's SHA extensions.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"], swiftSettings: strict),
        .target(name: "BallastProtocol", swiftSettings: strict),
        .target(name: "BallastTransport",
                dependencies: ["ZeroMQ", "BallastProtocol", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
        // C for the loops whose libm calls should be vectorised (glibc's libmvec), even in debug builds.
        .target(name: "CKernels",
                cSettings: [.unsafeFlags(["-O3", "-fno-math-errno"] + (native ? ["-march=native"] : [])),
                            .unsafeFlags(["-fveclib=libmvec"], .when(platforms: [.linux]))],
                linkerSettings: [.linkedLibrary("mvec", .when(platforms: [.linux]))]),
        .target(name: "BallastML",
                dependencies: ["CKernels", .product(name: "Numerics", package: "swift-numerics")],
                // The numerics are optimised in every build (unoptimised, the integration tests'
                // trainings outrun their reply timeouts), but only release builds drop the bounds and
                // overflow checks: tests and debug builds keep them, so a bad index traps there.
                swiftSettings: strict + [.unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
                                         .unsafeFlags(["-O"], .when(configuration: .debug)),
                                         .unsafeFlags(nativeCPU)]),
        .target(name: "BallastServer",
                dependencies: ["BallastTransport", "BallastProtocol", "BallastML", "BallastStore",
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // Persistence: runs and their events, models and dataset provenance in SQLite through GRDB,
        // and datasets as float32 column files. It knows the wire types (a run's params and events
        // are stored as sent) and the engine's datasets, but nothing of the server.
        .target(name: "BallastStore",
                dependencies: ["BallastProtocol", "BallastML", "CSodium", .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: strict),
        .target(name: "BallastClient",
                dependencies: ["BallastTransport", "BallastProtocol"], swiftSettings: strict),
        .executableTarget(name: "ballastd",
                          dependencies: ["BallastServer",
                                         .product(name: "Logging", package: "swift-log"),
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strict),
        // The command language and its renderings, for every front door (REPL, scripts, --stdio).
        .target(name: "BallastCLI",
                dependencies: ["BallastClient", "BallastTransport", "BallastProtocol"], swiftSettings: strict),
        .executableTarget(name: "ballast",
                          dependencies: ["BallastCLI", "BallastClient", "BallastTransport", "BallastProtocol", "CEditLine",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strict),
        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"], swiftSettings: strict),
        .testTarget(name: "BallastProtocolTests", dependencies: ["BallastProtocol"], swiftSettings: strict),
        .testTarget(name: "BallastTransportTests", dependencies: ["BallastTransport", "ZeroMQ"], swiftSettings: strict),
        .testTarget(name: "BallastCLITests", dependencies: ["BallastCLI", "BallastClient", "BallastProtocol", "BallastTransport"],
                    swiftSettings: strict),
        .testTarget(name: "BallastMLTests", dependencies: ["BallastML"], exclude: ["Reference"], swiftSettings: strict),
        // The tests read and damage the SQLite file directly, so they use GRDB too.
        .testTarget(name: "BallastStoreTests",
                    dependencies: ["BallastStore", "BallastProtocol", .product(name: "GRDB", package: "GRDB.swift")],
                    swiftSettings: strict),
        .testTarget(name: "BallastServerTests", dependencies: ["BallastServer"], swiftSettings: strict),
        // The daemon's tests plant damaged rows in its store, with GRDB.
        .testTarget(name: "IntegrationTests",
                    dependencies: ["BallastServer", "BallastStore", "BallastClient", "BallastProtocol", "BallastTransport", "ZeroMQ",
                                   .product(name: "GRDB", package: "GRDB.swift")],
                    exclude: ["Fixtures"],
                    swiftSettings: strict),
    ]
)
