import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import XCTest

/// `repl/*` through a real `ballast --stdio` on a real daemon (protocol/README.md section 11).
final class ReplBridgeTests: XCTestCase {
    private func execute(_ bridge: ReplBridgeProcess, _ id: Int64, _ code: String, token: JSONValue? = nil) -> (reply: JSONValue?, before: [JSONValue]) {
        var params: [String: JSONValue] = ["code": .string(code)]
        if let token { params["progress_token"] = token }
        bridge.request(id, "repl/execute", .object(params))
        return bridge.reply(to: .int(id))
    }

    func testStatementsRunInOrderAndStopAtTheFirstThatFails() throws {
        let daemon = try TestDaemon()
        let bridge = try ReplBridgeProcess(connectionFile: daemon.connectionFile)
        let code = "generate fraud rows=2000 seed=1 as g\ndatasets; echo two  words\ntrain g epochs=oops\necho never"
        let result = try XCTUnwrap(execute(bridge, 1, code).reply?["result"], bridge.standardError)
        let outputs = try XCTUnwrap(result["outputs"]?.arrayValue)
        XCTAssertEqual(outputs.map { $0["command"] }, ["generate", "datasets", "echo", "train"])
        XCTAssertEqual(outputs.map { $0["line"] }, [1, 2, 2, 3])
        XCTAssertEqual(outputs.map { $0["method"] }, ["dataset/generate", "dataset/list", .null, "model/train"])
        XCTAssertEqual(outputs[0]["result"]?["rows"], 2000)
        XCTAssertTrue(outputs[0]["text"]?.stringValue?.contains("2,000 rows × 30 features") ?? false)
        XCTAssertEqual(outputs[1]["result"]?["datasets"]?.arrayValue?.first?["name"], "g")
        XCTAssertTrue(outputs[1]["html"]?.stringValue?.contains("<table") ?? false, "a listing is a table")
        XCTAssertEqual(outputs[2]["text"], "two words")
        XCTAssertEqual(outputs[2]["result"], .null)
        XCTAssertEqual(outputs[2]["html"], .null)
        XCTAssertNil(outputs[2]["error"])
        XCTAssertEqual(outputs[3]["error"]?["code"], .int(Int64(ErrorCode.invalidParams)))
        XCTAssertEqual(outputs[3]["error"]?["data"], ["kind": "usage", "line": 3])
        XCTAssertEqual(outputs[3]["text"], "error: epochs= expects integer, got 'oops'.")
        XCTAssertEqual(result["status"], "error")

        // The daemon's own error keeps its code and data, with the line added.
        let missing = try XCTUnwrap(execute(bridge, 2, "echo first\ndescribe nothere").reply?["result"])
        let failed = try XCTUnwrap(missing["outputs"]?.arrayValue?.last)
        XCTAssertEqual(failed["error"]?["code"], .int(Int64(ErrorCode.notFound)))
        XCTAssertEqual(failed["error"]?["data"]?["name"], "nothere")
        XCTAssertEqual(failed["error"]?["data"]?["line"], 2)
        XCTAssertTrue(failed["text"]?.stringValue?.hasPrefix("error: There is no dataset named 'nothere'") ?? false, "\(failed)")
        XCTAssertTrue(failed["text"]?.stringValue?.contains("(code -32001)\n  field: dataset") ?? false, "\(failed)")

        // exit ends the statements, not the bridge.
        let exited = try XCTUnwrap(execute(bridge, 3, "echo a; exit; echo b").reply?["result"])
        XCTAssertEqual(exited["outputs"]?.arrayValue?.map { $0["text"] }, ["a"])
        XCTAssertEqual(exited["status"], "ok")
        // Bad params are the request's own error.
        bridge.request(4, "repl/execute", ["code": "echo x", "width": 401])
        XCTAssertEqual(bridge.reply(to: 4).reply?["error"]?["data"]?["field"], "width")
        XCTAssertEqual(bridge.finish(), 0, "the bridge exits 0 once its input ends and every request is answered")
    }

    func testProgressCompletionWhileTrainingAndCancel() throws {
        let daemon = try TestDaemon()
        let bridge = try ReplBridgeProcess(connectionFile: daemon.connectionFile)
        XCTAssertEqual(execute(bridge, 1, "generate fraud rows=20000 seed=1 as c").reply?["result"]?["status"], "ok", bridge.standardError)
        bridge.request(2, "repl/execute", ["code": "echo start\ntrain c model=mlp epochs=100000 as m\necho never", "progress_token": "tok"])
        var report: JSONValue?
        while report == nil, let message = bridge.next() {
            XCTAssertEqual(message["method"], "$/progress", "nothing but progress before the reply: \(JSONWriter.string(message))")
            if message["method"] != "$/progress" { break }
            if message["params"]?["value"]?["kind"] == "report" { report = message["params"] }
        }
        let progress = try XCTUnwrap(report)
        XCTAssertEqual(progress["token"], "tok")
        XCTAssertEqual(progress["value"]?["command"], 1, "the second output's")
        XCTAssertEqual(progress["value"]?["line"], 2)
        XCTAssertTrue(progress["value"]?["text"]?.stringValue?.contains(" of 100000") ?? false, "\(progress)")
        XCTAssertNotNil(progress["value"]?["run"]?.stringValue, "the daemon's own value members are kept")

        // The lookup session answers while the command session waits on the training.
        bridge.request(3, "repl/complete", ["code": "describe ", "cursor": 9])
        let completion = bridge.reply(to: 3)
        XCTAssertEqual(completion.reply?["result"]?["matches"], ["c"])
        XCTAssertFalse(completion.before.contains { $0["id"] == 2 }, "answered before the training ended")

        // A queued execute cancelled is answered at once, with nothing run.
        bridge.request(4, "repl/execute", ["code": "echo queued"])
        bridge.cancel(4)
        let queued = bridge.reply(to: 4)
        XCTAssertEqual(queued.reply?["result"], ["outputs": [], "status": "cancelled"])
        XCTAssertFalse(queued.before.contains { $0["id"] == 2 })

        bridge.cancel(2)
        let cancelled = bridge.reply(to: 2)
        let result = try XCTUnwrap(cancelled.reply?["result"], bridge.standardError)
        XCTAssertEqual(result["status"], "cancelled")
        let outputs = try XCTUnwrap(result["outputs"]?.arrayValue)
        XCTAssertEqual(outputs.map { $0["command"] }, ["echo", "train"])
        let error = try XCTUnwrap(outputs.last?["error"])
        XCTAssertEqual(error["code"], .int(Int64(ErrorCode.requestCancelled)))
        XCTAssertEqual(error["data"]?["line"], 2)
        XCTAssertNotNil(error["data"]?["run"]?.stringValue)
        XCTAssertNotNil(error["data"]?["steps"]?.intValue)
        XCTAssertTrue(outputs.last?["text"]?.stringValue?.hasPrefix("cancelled: ") ?? false)
        let kinds = cancelled.before.compactMap { $0["params"]?["value"]?["kind"]?.stringValue }
        XCTAssertEqual(kinds.last, "end", "one begin…end sequence, ended")

        XCTAssertEqual(execute(bridge, 5, "echo after").reply?["result"]?["outputs"]?.arrayValue?.first?["text"], "after")
        XCTAssertEqual(bridge.finish(), 0)
    }

    func testAnExecuteWaitingOnADaemonThatDiesIsAnsweredAndTheBridgeExitsThree() throws {
        let folder = NSTemporaryDirectory() + "ballast-repl-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let connectionFile = folder + "/ballastd.json"
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: try BuiltProducts.path("ballastd"))
        daemon.arguments = ["--connection-file", connectionFile, "--ephemeral", "--log-level", "error"]
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }
        let deadline = Date().addingTimeInterval(20)
        while (try? ConnectionInfo.read(from: connectionFile))?.pid == nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }

        let bridge = try ReplBridgeProcess(connectionFile: connectionFile)
        bridge.request(1, "repl/execute", ["code": "generate fraud rows=20000 seed=1 as c; train c model=mlp epochs=100000", "progress_token": 1])
        while let message = bridge.next(), message["params"]?["value"]?["kind"] != "report" {}
        kill(daemon.processIdentifier, SIGKILL)
        let result = try XCTUnwrap(bridge.reply(to: 1).reply?["result"], bridge.standardError)
        XCTAssertEqual(result["status"], "error")
        XCTAssertEqual(result["outputs"]?.arrayValue?.last?["error"]?["code"], .int(Int64(ErrorCode.shuttingDown)))
        XCTAssertEqual(result["outputs"]?.arrayValue?.last?["command"], "train")
        XCTAssertEqual(bridge.finish(), 3, "no daemon (ExitStatus.noDaemon)")
    }
}
