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

    func testATrainingAndItsPlotAnswerChartsAndTheirData() throws {
        let daemon = try TestDaemon()
        let bridge = try ReplBridgeProcess(connectionFile: daemon.connectionFile)
        let code = "generate fraud rows=4000 seed=2 as p; split p test=0.3 val=0.2\n"
            + "train p.train val=p.validation epochs=30 weights=inverse as w\nplot w p.test"
        let result = try XCTUnwrap(execute(bridge, 1, code, token: "t").reply?["result"], bridge.standardError)
        XCTAssertEqual(result["status"], "ok", "\(result)")
        let outputs = try XCTUnwrap(result["outputs"]?.arrayValue)
        XCTAssertEqual(outputs.map { $0["command"] }, ["generate", "split", "train", "plot"])
        let trainCharts = outputs[2]["charts"]?.arrayValue ?? []
        XCTAssertTrue(trainCharts.contains { $0["title"]?.stringValue?.contains("training loss") ?? false }, "\(trainCharts)")
        XCTAssertTrue(trainCharts.allSatisfy { $0["svg"]?.stringValue?.hasPrefix("<svg") ?? false })
        // plot's result is the data it drew: loss by step, the PR and ROC curves.
        let plot = outputs[3]
        XCTAssertEqual(plot["method"], .null)
        XCTAssertEqual(plot["result"]?["model"], "w")
        XCTAssertEqual(plot["result"]?["dataset"], "p.test")
        XCTAssertGreaterThan(plot["result"]?["roc"]?.arrayValue?.count ?? 0, 1)
        XCTAssertGreaterThan(plot["result"]?["loss"]?.arrayValue?.count ?? 0, 1)
        let titles = (plot["charts"]?.arrayValue ?? []).compactMap { $0["title"]?.stringValue }
        XCTAssertTrue(titles.contains { $0.contains("precision-recall") } && titles.contains { $0.contains("ROC") }, "\(titles)")
        XCTAssertEqual(bridge.finish(), 0)
    }

    func testPartialResultsSendEachOutputAsItsStatementEnds() throws {
        let daemon = try TestDaemon()
        let bridge = try ReplBridgeProcess(connectionFile: daemon.connectionFile)
        let code = "generate fraud rows=4000 seed=3 as q\necho first\ntrain q epochs=20 as m\ndescribe nothere\necho never"
        bridge.request(1, "repl/execute", ["code": .string(code), "progress_token": "work", "partial_result_token": 7])
        let (reply, before) = bridge.reply(to: 1)
        let outputs = try XCTUnwrap(reply?["result"]?["outputs"]?.arrayValue, bridge.standardError)
        XCTAssertEqual(outputs.count, 4, "the failing describe is the last")
        // Each OUTPUT came once under the partial token, with its index, equal to the reply's.
        let partials = before.filter { $0["params"]?["token"] == 7 }.compactMap { $0["params"]?["value"] }
        XCTAssertEqual(partials.map { $0["index"] }, [0, 1, 2, 3])
        for partial in partials {
            let index = Int(partial["index"]?.intValue ?? -1)
            XCTAssertEqual(partial["outputs"], .array([outputs[index]]))
        }
        // In order: echo's output before the training's progress began, the training's after its end.
        let order = before.map { message -> String in
            let value = message["params"]?["value"]
            if message["params"]?["token"] == 7 { return "out\(value?["index"]?.intValue ?? -1)" }
            return value?["kind"]?.stringValue ?? "?"
        }
        let first = try XCTUnwrap(order.firstIndex(of: "out1")), begin = try XCTUnwrap(order.firstIndex(of: "begin"))
        let end = try XCTUnwrap(order.lastIndex(of: "end")), trained = try XCTUnwrap(order.firstIndex(of: "out2"))
        XCTAssertLessThan(first, begin, "\(order)")
        XCTAssertLessThan(end, trained, "\(order)")
        // Without the token, no partials.
        bridge.request(2, "repl/execute", ["code": "echo plain"])
        XCTAssertTrue(bridge.reply(to: 2).before.isEmpty)
        bridge.request(3, "repl/execute", ["code": "echo x", "partial_result_token": 1.5])
        XCTAssertEqual(bridge.reply(to: 3).reply?["error"]?["data"]?["field"], "partial_result_token")
        XCTAssertEqual(bridge.finish(), 0)
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

    /// A daemon of its own (one the test may kill), and its connection file.
    private func killableDaemon(_ folder: String) throws -> (Process, String) {
        let connectionFile = folder + "/ballastd.json"
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: try BuiltProducts.path("ballastd"))
        daemon.arguments = ["--connection-file", connectionFile, "--ephemeral", "--log-level", "error"]
        try daemon.run()
        let deadline = Date().addingTimeInterval(20)
        while (try? ConnectionInfo.read(from: connectionFile))?.pid == nil && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return (daemon, connectionFile)
    }

    func testAnExecuteWaitingOnADaemonThatDiesIsAnsweredTheQueuedOneFailsAndTheBridgeExitsThree() throws {
        let folder = NSTemporaryDirectory() + "ballast-repl-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (daemon, connectionFile) = try killableDaemon(folder)
        defer { if daemon.isRunning { daemon.terminate() } }

        let bridge = try ReplBridgeProcess(connectionFile: connectionFile)
        bridge.request(1, "repl/execute", ["code": "generate fraud rows=20000 seed=1 as c; train c model=mlp epochs=100000", "progress_token": 1])
        while let message = bridge.next(), message["params"]?["value"]?["kind"] != "report" {}
        bridge.request(2, "repl/execute", ["code": "echo queued"])
        kill(daemon.processIdentifier, SIGKILL)
        // Either may be answered first: the queued one as soon as the bridge sees the daemon go.
        let first = bridge.reply(to: 1)
        let second = first.before.first { $0["id"] == 2 && $0["method"] == nil } ?? bridge.reply(to: 2).reply
        let result = try XCTUnwrap(first.reply?["result"], bridge.standardError)
        XCTAssertEqual(result["status"], "error")
        let failed = try XCTUnwrap(result["outputs"]?.arrayValue?.last)
        XCTAssertEqual(failed["error"]?["code"], .int(Int64(ErrorCode.shuttingDown)))
        XCTAssertEqual(failed["command"], "train")
        XCTAssertEqual(failed["error"]?["data"]?["kind"], "unavailable")
        XCTAssertEqual(failed["error"]?["data"]?["line"], 1)
        XCTAssertEqual(failed["error"]?["data"]?["pid"], .int(Int64(daemon.processIdentifier)), "which daemon, as a relayed request's error says")
        XCTAssertEqual(failed["error"]?["data"]?["daemon"], "exited")
        XCTAssertEqual(failed["error"]?["data"]?["connection_file"]?.stringValue.map { URL(fileURLWithPath: $0).lastPathComponent }, "ballastd.json")

        let queued = try XCTUnwrap(second?["result"], bridge.standardError)
        XCTAssertEqual(queued["status"], "error", "the queued cell fails rather than runs: \(queued)")
        let output = try XCTUnwrap(queued["outputs"]?.arrayValue?.first)
        XCTAssertEqual(output["command"], "echo")
        XCTAssertEqual(output["error"]?["code"], .int(Int64(ErrorCode.shuttingDown)))
        XCTAssertEqual(output["error"]?["data"]?["line"], 1)
        XCTAssertEqual(output["error"]?["data"]?["kind"], "unavailable")
        XCTAssertEqual(output["error"]?["data"]?["pid"], .int(Int64(daemon.processIdentifier)))
        let schema = try SchemaChecker("repl.execute.result")
        XCTAssertEqual(schema.problems(result), [], "the running one's reply")
        XCTAssertEqual(schema.problems(queued), [], "the queued one's reply")
        XCTAssertEqual(bridge.finish(), 3, "no daemon (ExitStatus.noDaemon)")
    }

    func testLookupsAfterTheDaemonDiedEndInStatusThree() throws {
        let folder = NSTemporaryDirectory() + "ballast-repl-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (daemon, connectionFile) = try killableDaemon(folder)
        defer { if daemon.isRunning { daemon.terminate() } }
        let bridge = try ReplBridgeProcess(connectionFile: connectionFile)
        bridge.request(1, "repl/is_complete", ["code": "echo"])
        XCTAssertEqual(bridge.reply(to: 1).reply?["result"]?["status"], "complete", bridge.standardError)
        kill(daemon.processIdentifier, SIGKILL)
        daemon.waitUntilExit()
        bridge.request(2, "repl/is_complete", ["code": "echo"])
        XCTAssertEqual(bridge.reply(to: 2).reply?["result"]?["status"], "complete", "a lookup needs no daemon")
        XCTAssertEqual(bridge.finish(), 3, "the daemon is gone: the editor starts a new bridge")
    }

    func testAnIDStillOutstandingIsRefusedWithMinus32600() throws {
        let daemon = try TestDaemon()
        let bridge = try ReplBridgeProcess(connectionFile: daemon.connectionFile)
        XCTAssertEqual(execute(bridge, 1, "generate fraud rows=20000 seed=1 as c").reply?["result"]?["status"], "ok", bridge.standardError)
        bridge.request(2, "repl/execute", ["code": "train c model=mlp epochs=100000", "progress_token": "t"])
        while let message = bridge.next(), message["params"]?["value"]?["kind"] != "report" {}
        bridge.request(2, "repl/complete", ["code": "describe ", "cursor": 9])
        let refused = try XCTUnwrap(bridge.reply(to: 2).reply, bridge.standardError)
        XCTAssertEqual(refused["error"]?["code"], .int(Int64(ErrorCode.invalidRequest)), "\(refused)")
        XCTAssertEqual(refused["error"]?["data"], ["id": 2])
        bridge.request(2, "dataset/list", [:])
        XCTAssertEqual(bridge.reply(to: 2).reply?["error"]?["data"], ["id": 2], "a relayed request may not take a repl id either")
        bridge.cancel(2)
        let cancelled = bridge.reply(to: 2).reply
        XCTAssertEqual(cancelled?["result"]?["status"], "cancelled", "the training's own reply, once")
        XCTAssertEqual(execute(bridge, 2, "echo again").reply?["result"]?["status"], "ok", "free once answered")
        XCTAssertEqual(bridge.finish(), 0)
    }
}
