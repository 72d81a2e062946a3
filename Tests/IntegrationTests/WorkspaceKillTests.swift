import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import XCTest

/// The real `ballastd` killed with SIGKILL straight after its replies: every model and kept
/// dataset it acknowledged comes back at the next start on the same state directory.
final class WorkspaceKillTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-kill-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Starts the real daemon on the test's state directory; one that does not come up (after a
    /// kill, that is the failure this test exists to catch) fails the test with what it said.
    private func start(file: StaticString = #filePath, line: UInt = #line) throws -> (Process, Client) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path("ballastd"))
        let connectionFile = folder + "/run/ballastd.json"
        try? FileManager.default.removeItem(atPath: connectionFile)
        process.arguments = ["--connection-file", connectionFile, "--state-dir", folder + "/state", "--log-level", "info"]
        let outputPath = folder + "/ballastd-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && process.isRunning {
            if let info = try? ConnectionInfo.read(from: connectionFile), info.pid == process.processIdentifier {
                let client = try Client(info)
                client.defaultTimeout = 20
                try client.initialize(name: "tests")
                return (process, client)
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let exited = !process.isRunning
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        let said = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let why = exited ? "exited with status \(process.terminationStatus)" : "wrote no connection file within 20 s"
        XCTFail("ballastd \(why) on the state directory \(folder!)/state; it said:\n\(said)", file: file, line: line)
        throw DaemonDidNotStart()
    }

    private struct DaemonDidNotStart: Error {}

    private func kill9(_ process: Process) {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func testWhatWasAcknowledgedSurvivesAKill() throws {
        let (first, client) = try start()
        _ = try client.call("dataset/generate", params: ["preset": "fraud", "rows": 5_000, "name": "cards", "seed": 4])
        _ = try client.call("dataset/split", params: ["dataset": "cards", "seed": 1])
        _ = try client.call("dataset/generate", params: ["preset": "balanced", "rows": 300, "name": "scratch", "keep": false])
        let trained = try client.call("model/train", params: ["dataset": "cards.train", "name": "m"])
        let predicted = try client.call("model/predict", params: ["model": "m", "dataset": "cards.test"])
        let described = try client.call("dataset/describe", params: ["dataset": "cards.test"])
        kill9(first)
        XCTAssertEqual(first.terminationReason, .uncaughtSignal)

        let (second, again) = try start()
        defer { second.terminate(); second.waitUntilExit() }
        XCTAssertEqual(try again.call("model/list")["models"]?.arrayValue?.map { $0["name"] }, ["m"])
        XCTAssertEqual(try again.call("model/describe", params: ["model": "m"])["model"]?["run"], trained["run"])
        XCTAssertEqual(try again.call("model/predict", params: ["model": "m", "dataset": "cards.test"]), predicted)
        XCTAssertEqual(try again.call("dataset/describe", params: ["dataset": "cards.test"]), described)
        let list = try again.call("dataset/list")
        XCTAssertEqual(list["datasets"]?.arrayValue?.compactMap { $0["name"]?.stringValue }, ["cards", "cards.test", "cards.train"])
        XCTAssertEqual(list["unavailable"]?.arrayValue?.map { $0["name"] }, ["scratch"])
    }

    func testStateMaxBytesMustBeASize() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path("ballastd"))
        process.arguments = ["--state-max-bytes", "lots"]
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let said = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 2)
        XCTAssertTrue(said.contains("--state-max-bytes"), said)
    }
}
