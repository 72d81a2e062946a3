// swift-tools-version:6.0
// Ballast's benchmarks: a package of their own, so `swift build` of the main package never builds
// them and they may depend on products the daemon's users do not need.
import PackageDescription

let package = Package(
    name: "BallastBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Ballast", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "ping-bench",
            dependencies: [
                .product(name: "BallastClient", package: "Ballast"),
                .product(name: "BallastTransport", package: "Ballast"),
                .product(name: "BallastProtocol", package: "Ballast"),
                .product(name: "ZeroMQ", package: "Ballast"),
            ]
        ),
    ]
)
