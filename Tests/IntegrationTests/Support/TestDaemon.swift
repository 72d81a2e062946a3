import BallastClient
import BallastProtocol
import BallastServer
import BallastTransport
import Foundation
import XCTest

/// A real daemon served in this process on ephemeral loopback ports, with its connection file
/// in a fresh private folder. Tests talk to it over real ZeroMQ sockets.
final class TestDaemon {
    let folder: String
    let server: Server
    let info: ConnectionInfo
    private var stopped = false

    var connectionFile: String { folder + "/ballastd.json" }

    init(configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        folder = NSTemporaryDirectory() + "ballast-test-\(UUID().uuidString)"
        var configuration = ServerConfiguration()
        configuration.connectionFile = folder + "/ballastd.json"
        configuration.log = Log(minimum: ProcessInfo.processInfo.environment["BALLAST_TEST_LOG"] == "debug" ? .debug : .error)
        configuration.jobWorkers = 2
        configure(&configuration)
        server = Server(configuration: configuration)
        info = try server.start()
    }

    /// A daemon that keeps its workspace in `stateDirectory`, where a daemon started on the same
    /// folder later finds it.
    convenience init(stateDirectory: String, configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        try self.init { configuration in
            configuration.stateDirectory = stateDirectory
            configure(&configuration)
        }
    }

    /// A connected client, initialized unless asked otherwise.
    func client(initialize: Bool = true) throws -> Client {
        let client = try Client(info)
        client.defaultTimeout = 20
        if initialize { try client.initialize(name: "tests") }
        return client
    }

    /// Stops the daemon gracefully and returns the exit status it asked for.
    @discardableResult
    func stop() -> Int32 {
        stopped = true
        server.requestStop()
        return server.waitUntilStopped()
    }

    deinit {
        if !stopped { stop() }
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Where the package's built executables are: beside the test bundle.
enum BuiltProducts {
    static var folder: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var folder = (executable as NSString).deletingLastPathComponent
        // The test binary lives inside Ballast­PackageTests.xctest on some layouts.
        while !FileManager.default.isExecutableFile(atPath: folder + "/ballastd") && folder.count > 1 {
            folder = (folder as NSString).deletingLastPathComponent
        }
        return folder
    }

    static func path(_ name: String) throws -> String {
        let path = folder + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw XCTSkip("\(name) is not built next to the tests; run 'swift build' first.")
        }
        return path
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }
}

extension Client {
    /// Receives until a message arrives or `timeout` passes, failing the test on transport errors.
    func next(timeout: Double = 5) throws -> JSONValue? {
        try receiveMessage(timeout: timeout)
    }
}
