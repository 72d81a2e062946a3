import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import XCTest

/// The daemon and the CLI as separate processes, the way users run them.
final class SubprocessTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-proc-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path("ballastd"))
        process.arguments = arguments + ["--log-level", "error", "--ephemeral"]
        try process.run()
        return process
    }

    private func waitForFile(_ path: String, timeout: Double = 10) throws -> ConnectionInfo {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let info = try? ConnectionInfo.read(from: path), info.pid != nil { return info }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw XCTSkip("the daemon did not write \(path)")
    }

    private func wait(_ process: Process, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return !process.isRunning
    }

    func testSigtermAnswersStopsAndRemovesThePrivateConnectionFile() throws {
        let path = folder + "/run/ballastd.json"
        let process = try launch(["--connection-file", path])
        let info = try waitForFile(path)
        XCTAssertEqual(info.pid, process.processIdentifier)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, 0o600)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: folder + "/run")[.posixPermissions] as? Int, 0o700)
        let client = try Client(info)
        try client.initialize()
        XCTAssertEqual(try client.call(Ping.method)["pong"], true)
        process.terminate()
        XCTAssertTrue(wait(process))
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testDaemonStopsWhenItsParentProcessEnds() throws {
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: "/bin/sleep")
        parent.arguments = ["30"]
        try parent.run()
        let path = folder + "/ballastd.json"
        let process = try launch(["--connection-file", path, "--parent-pid", String(parent.processIdentifier)])
        _ = try waitForFile(path)
        parent.terminate()
        XCTAssertTrue(wait(process, timeout: 10), "the daemon noticed its parent is gone")
        XCTAssertEqual(process.terminationStatus, 0)
    }

    func testCLIStartsADaemonWhenNoneRunsAndReportsErrorsByExitStatus() throws {
        let cli = try BuiltProducts.path("ballast")
        let connectionFile = folder + "/cli/ballastd.json"
        func run(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: cli)
            process.arguments = arguments + ["--connection-file", connectionFile]
            // The daemon the CLI starts keeps its workspace in this test's folder, not the user's.
            process.environment = ProcessInfo.processInfo.environment.merging(["BALLAST_STATE_DIR": folder + "/cli/state"]) { $1 }
            let output = Pipe(), error = Pipe()
            process.standardOutput = output
            process.standardError = error
            try process.run()
            let out = output.fileHandleForReading.readDataToEndOfFile()
            let err = error.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
        }
        let ping = try run(["call", "ping"])
        XCTAssertEqual(ping.status, 0, ping.error)
        XCTAssertEqual(try JSONParser.parse(ping.output)["pong"], true)
        let info = try ConnectionInfo.read(from: connectionFile)
        defer { if let pid = info.pid { kill(pid, SIGTERM) } }

        let unknown = try run(["call", "no/such"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.error.contains("There is no method named 'no/such'"), unknown.error)
        let badJSON = try run(["call", "ping", "{oops"])
        XCTAssertEqual(badJSON.status, 2)
        XCTAssertTrue(badJSON.error.contains("not valid JSON"), badJSON.error)
        let status = try run(["call", "status", "--control"])
        XCTAssertEqual(status.status, 0)
        XCTAssertEqual(try JSONParser.parse(status.output)["pid"]?.intValue, Int64(info.pid ?? 0))

        XCTAssertEqual(try run(["stop"]).status, 0)
        let deadline = Date().addingTimeInterval(10)
        while FileManager.default.fileExists(atPath: connectionFile) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: connectionFile), "stop removed the file")
        let offline = try run(["call", "ping", "--no-spawn"])
        XCTAssertEqual(offline.status, 3)
        XCTAssertTrue(offline.error.contains("No daemon is running"), offline.error)
    }
}

extension SubprocessTests {
    /// ballastd's help and the spec list 0, 1 and 2; ArgumentParser alone would exit 64.
    func testTheDaemonExitsTwoOnUsageErrors() throws {
        for arguments in [["--no-such-flag"], ["--workers", "0"]] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try BuiltProducts.path("ballastd"))
            process.arguments = arguments
            let error = Pipe()
            process.standardError = error
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let said = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 2, "\(arguments): \(said)")
            XCTAssertFalse(said.isEmpty)
        }
    }
}
