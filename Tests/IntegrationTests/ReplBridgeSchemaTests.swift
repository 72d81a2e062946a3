import BallastProtocol
import Foundation
import XCTest

/// Real `repl/*` replies from a real `ballast --stdio` conform to protocol/schema/repl.*.json:
/// outputs that ran, failed (usage, lexer, the daemon's own error), drew tables and charts, and
/// each lookup.
final class ReplBridgeSchemaTests: XCTestCase {
    func testTheCheckerFindsWhatTheSchemaForbids() throws {
        let schema = try SchemaChecker("repl.execute.result")
        let output: JSONValue = ["command": "echo", "line": 1, "method": nil, "text": "hi", "html": nil, "charts": [], "result": nil]
        XCTAssertEqual(schema.problems(["outputs": [output], "status": "ok"]), [])
        guard case .object(var broken) = output else { return }
        broken["line"] = nil
        broken["error"] = ["code": -32013, "message": "gone", "data": ["kind": "unavailable"]]
        let problems = schema.problems(["outputs": [.object(broken)], "status": "fine"])
        XCTAssertTrue(problems.contains { $0.contains("'line' is missing") && $0.hasPrefix("$.outputs[0]:") }, "\(problems)")
        XCTAssertTrue(problems.contains { $0.contains("$.outputs[0].error.data") }, "error.data needs line: \(problems)")
        XCTAssertTrue(problems.contains { $0.hasPrefix("$.status") }, "\(problems)")
    }

    func testRealRepliesConformToTheReplSchemas() throws {
        let daemon = try TestDaemon()
        let bridge = try ReplBridgeProcess(connectionFile: daemon.connectionFile)
        let executes = [
            "generate fraud rows=2000 seed=1 as g; split g test=0.3 val=0.2 seed=0\nhelp train; echo hi\ndatasets",
            "train g.train val=g.validation epochs=3 as m; evaluate m g.test curves=true; plot m",
            "sweep g.train param=lr grid=0.01,0.1 epochs=2",
            "describe nope",
            "train g epochs=oops",
            "echo 👍🏽 \"unclosed",
            "quit",
        ]
        var id: Int64 = 0
        let result = try SchemaChecker("repl.execute.result")
        for code in executes {
            id += 1
            bridge.request(id, "repl/execute", ["code": .string(code), "progress_token": .int(id)])
            let reply = try XCTUnwrap(bridge.reply(to: .int(id)).reply?["result"], "\(code): \(bridge.standardError)")
            XCTAssertEqual(result.problems(reply), [], "\(code): \(JSONWriter.string(reply).prefix(600))")
        }
        let lookups: [(String, JSONValue)] = [
            ("repl.complete", ["code": "gen", "cursor": 3]), ("repl.complete", ["code": "train g lr=0.1", "cursor": 9]),
            ("repl.complete", ["code": "describe ", "cursor": 9]),
            ("repl.inspect", ["code": "train g lr=0.1", "cursor": 12]), ("repl.inspect", ["code": "nothing", "cursor": 0]),
            ("repl.is_complete", ["code": "load \"unclosed"]), ("repl.is_complete", ["code": "bogus"]),
        ]
        for (method, params) in lookups {
            id += 1
            XCTAssertEqual(try SchemaChecker(method + ".params").problems(params), [], "\(method) \(params)")
            bridge.request(id, method.replacingOccurrences(of: "repl.", with: "repl/"), params)
            let reply = try XCTUnwrap(bridge.reply(to: .int(id)).reply?["result"], "\(method): \(bridge.standardError)")
            XCTAssertEqual(try SchemaChecker(method + ".result").problems(reply), [], "\(method) \(params): \(JSONWriter.string(reply))")
        }
        XCTAssertEqual(bridge.finish(), 0)
    }
}
