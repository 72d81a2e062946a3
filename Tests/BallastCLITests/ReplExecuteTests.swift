import BallastProtocol
import Foundation
import XCTest
@testable import BallastCLI

/// `repl/execute` of local commands and failures that need no daemon: OUTPUTs, lines, status.
final class ReplExecuteTests: XCTestCase {
    private func execute(_ code: String, width: Int = 100) -> JSONValue {
        let folder = NSTemporaryDirectory() + "ballast-repl-\(UUID().uuidString)"
        let commands = ReplCommands(options: SessionOptions(connectionFile: folder + "/none.json", noSpawn: true))
        return commands.execute(ReplExecuteParams(code: code, width: width))
    }

    func testLocalCommandsAndAGrammarError() {
        let result = execute("echo one\n\n  echo two; help plot\nplot")
        let outputs = result["outputs"]?.arrayValue ?? []
        XCTAssertEqual(outputs.map { $0["command"] }, ["echo", "echo", "help", "plot"])
        XCTAssertEqual(outputs.map { $0["line"] }, [1, 3, 3, 4])
        XCTAssertEqual(outputs[0], ["command": "echo", "line": 1, "method": nil, "text": "one", "html": nil, "charts": [], "result": nil])
        XCTAssertEqual(outputs[2]["text"], .string(Grammar.offline.help("plot")))
        XCTAssertEqual(outputs[3]["error"]?["code"], .int(Int64(ErrorCode.invalidParams)))
        XCTAssertEqual(outputs[3]["error"]?["data"], ["kind": "usage", "line": 4])
        XCTAssertEqual(result["status"], "error")
    }

    func testALexerErrorSaysWhereAndRunsNothing() {
        let result = execute("echo fine\nload [1, 2")
        XCTAssertEqual(result["outputs"]?.arrayValue?.count, 1)
        XCTAssertEqual(result["outputs"]?.arrayValue?[0]["command"], "load")
        XCTAssertEqual(result["outputs"]?.arrayValue?[0]["error"]?["code"], .int(Int64(ErrorCode.parseError)))
        XCTAssertEqual(result["outputs"]?.arrayValue?[0]["error"]?["data"], ["line": 2, "column": 6])
        XCTAssertEqual(result["status"], "error")
    }

    func testNoDaemonIsMinus32013OnTheStatementThatNeedsOne() {
        let result = execute("echo before; datasets; echo after")
        XCTAssertEqual(result["outputs"]?.arrayValue?.count, 2)
        XCTAssertEqual(result["outputs"]?.arrayValue?[1]["error"]?["code"], .int(Int64(ErrorCode.shuttingDown)))
        XCTAssertEqual(result["outputs"]?.arrayValue?[1]["error"]?["data"]?["kind"], "unavailable")
        XCTAssertEqual(result["outputs"]?.arrayValue?[1]["method"], "dataset/list")
    }

    func testEmptyCodeAndExit() {
        XCTAssertEqual(execute("  # only a comment\n"), ["outputs": [], "status": "ok"])
        XCTAssertEqual(execute("quit; echo no")["outputs"], [])
    }

    func testTheProgressLineFitsTheWidth() {
        var line = ProgressLine(started: Date())
        line.take(["kind": "begin", "title": "Training"])
        let report: JSONValue = ["kind": "report", "step": 50, "total": 200, "loss": 0.25, "elapsed_s": 5, "validation": ["f1": 0.5]]
        line.take(report)
        XCTAssertEqual(line.text(report, width: 400), "██████░░░░░░░░░░░░░░░░░░  step 50 of 200  elapsed 5.0s  ETA 0:15  loss 0.25  val F1 0.500")
        XCTAssertEqual(line.text(report, width: 30).count, 30)
        XCTAssertEqual(line.lossByStep.map(\.1), [0.25])
        let end = line.text(["kind": "end", "stop_reason": "epochs", "steps": 200, "elapsed_s": 20], width: 400)
        XCTAssertTrue(end.hasPrefix(String(repeating: "█", count: 24) + "  200 steps (epochs)  elapsed 0:20"), end)
        // Converged long before its limit: the steps it ran, not the limit.
        let converged = line.text(["kind": "end", "stop_reason": "converged", "steps": 17, "elapsed_s": 1], width: 400)
        XCTAssertTrue(converged.contains("  17 steps (converged)  "), converged)
        XCTAssertFalse(converged.contains("of 200"), converged)
        let cancelled = line.text(["kind": "end", "stop_reason": "cancelled", "elapsed_s": 6], width: 400)
        XCTAssertTrue(cancelled.hasPrefix("██████░░"), cancelled)
    }

    func testAComparisonCountsItsArmsNotTheArmsSteps() {
        var line = ProgressLine(started: Date())
        line.take(["kind": "begin", "title": "Comparing"])
        let report: JSONValue = ["kind": "report", "arm": "focal", "index": 3, "total": 8, "step": 10, "elapsed_s": 4]
        line.take(report)
        let text = line.text(report, width: 400)
        XCTAssertTrue(text.contains("arm 3 of 8: focal"), text)
        XCTAssertFalse(text.contains("step 10 of 8"), text)
        XCTAssertTrue(text.hasPrefix(String(repeating: "█", count: 6) + "░"), "two of eight arms done: \(text)")
        let end = line.text(["kind": "end", "arms": 8, "elapsed_s": 9], width: 400)
        XCTAssertTrue(end.contains("8 arms done"), end)
    }
}
