import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// Correctly signed messages a client should never send still get a clear answer, and the daemon
/// goes on serving (issue 10's hostile input, as far as it has come).
final class HostileInputTests: XCTestCase {
    func testIdsOutsideInt64AreRefusedOnEverySocketAndTheDaemonLivesOn() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client(initialize: false)
        for id in ["1e300", "9223372036854775808", "-1e19"] {
            let raw = Array(#"{"jsonrpc": "2.0", "id": \#(id), "method": "ping"}"#.utf8)
            for control in [false, true] {
                // Trailing spaces keep the two payloads apart for the replay guard.
                try client.sendRaw(raw + Array(String(repeating: " ", count: control ? 2 : 1).utf8), control: control)
                let reply = try XCTUnwrap(try client.receiveMessage(timeout: 5, control: control), "\(id) control \(control)")
                XCTAssertEqual(reply["id"], .null, "\(id)")
                XCTAssertEqual(reply["error"]?["code"], .int(Int64(ErrorCode.invalidRequest)), "\(id)")
                XCTAssertEqual(reply["error"]?["data"]?["field"], "id")
            }
            // Inside $/cancelRequest the id is ignored (a notification gets no answer).
            try client.sendRaw(Array(#"{"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": \#(id)}}"#.utf8), control: true)
        }
        XCTAssertEqual(try client.control(Ping.method)["pong"], true)
        _ = try client.initialize()
        XCTAssertEqual(try client.call(Ping.method)["pong"], true, "the daemon still serves")
    }
}

extension HostileInputTests {
    /// Sizes that used to bring the daemon down are refused by the memory budget before anything
    /// is allocated: an L-BFGS memory of 2³¹ or Int64.max, an MLP of 30,000 × 30,000 units.
    func testResourceSizedTrainingParamsAreRefusedBeforeAnyAllocation() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "toy", "rows": 400, "features": 4])
        for optimizer: JSONValue in [["type": "lbfgs", "memory": 2_147_483_648], ["type": "lbfgs", "memory": .int(Int64.max)]] {
            let refused = client.rpcError("model/train", ["dataset": "toy", "optimizer": optimizer])
            XCTAssertEqual(refused?.code, ErrorCode.resourceLimit, refused?.message ?? "trained")
            XCTAssertTrue(refused?.message.hasPrefix("Training the model") ?? false, refused?.message ?? "")
        }
        let wide = client.rpcError("model/train", ["dataset": "toy", "model": ["type": "mlp", "hidden": [30_000, 30_000]]])
        XCTAssertEqual(wide?.code, ErrorCode.resourceLimit, wide?.message ?? "trained")
        let huge = client.rpcError("model/train", ["dataset": "toy", "model": ["type": "mlp", "hidden": [2_147_483_648]]])
        XCTAssertEqual(huge?.code, ErrorCode.resourceLimit, huge?.message ?? "trained")
        XCTAssertEqual(try client.call("model/list")["models"], [], "nothing was stored")
        XCTAssertEqual(try client.call(Ping.method)["pong"], true, "the daemon still serves")
    }
}

extension HostileInputTests {
    /// `dataset/generate` checks the budget before it allocates the matrix.
    func testAGeneratedDatasetThatCannotFitIsRefusedBeforeItIsMade() throws {
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 1_000_000 }
        let client = try daemon.client()
        let refused = client.rpcError("dataset/generate", ["name": "big", "rows": 100_000, "features": 30])
        XCTAssertEqual(refused?.code, ErrorCode.resourceLimit)
        XCTAssertEqual(refused?.data?["bytes_needed"], .int(100_000 * 30 * 4 + 100_000 * 4))
        XCTAssertTrue(refused?.message.hasPrefix("Generating the dataset 'big' needs 12.4 MB") ?? false, refused?.message ?? "")
        // Past the engine's own ceiling (2³⁰ values), the shape itself is refused, whatever the budget.
        XCTAssertEqual(client.rpcError("dataset/generate", ["rows": .int(Int64.max / 2), "features": 30])?.data?["field"], "rows")
        // A shape that is wrong, not large, is called wrong rather than too large.
        for (params, field) in [(["rows": -1, "features": 3] as JSONValue, "rows"), (["rows": 100, "features": -1], "features")] {
            let wrong = client.rpcError("dataset/generate", params)
            XCTAssertEqual(wrong?.code, ErrorCode.invalidParams, wrong?.message ?? "generated")
            XCTAssertEqual(wrong?.data?["field"], .string(field))
        }
        XCTAssertNoThrow(try client.call("dataset/generate", params: ["name": "small", "rows": 1_000, "features": 10]))
    }
}

extension HostileInputTests {
    /// Counts that cost time rather than memory have a ceiling: a typo like `epochs=1e12` is
    /// refused at once, naming the field, instead of holding a worker for days. The ceilings
    /// themselves are still accepted.
    func testCountsThatCostTimeAreRefusedPastTheirCeiling() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "toy", "rows": 300, "features": 3, "positive_rate": 0.2])
        let tooMany: [(String, JSONValue, String)] = [
            ("model/train", ["dataset": "toy", "optimizer": ["type": "adam", "epochs": 1_000_001]], "optimizer.epochs"),
            ("model/train", ["dataset": "toy", "optimizer": ["type": "sgd", "epochs": .int(1 << 40)]], "optimizer.epochs"),
            ("model/train", ["dataset": "toy", "optimizer": ["type": "lbfgs", "max_iter": .int(1 << 40)]], "optimizer.max_iter"),
            ("experiment/sweep", ["dataset": "toy", "param": "w", "grid": .array(Array(repeating: 0.5, count: 1_001))], "grid"),
            ("experiment/compare", ["train": "toy", "test": "toy", "arms": ["ce", "wce_inverse", "ce"]], "arms[2]"),
        ]
        for (method, params, field) in tooMany {
            let refused = client.rpcError(method, params)
            XCTAssertEqual(refused?.code, ErrorCode.invalidParams, "\(method) \(field): \(refused?.message ?? "accepted")")
            XCTAssertEqual(refused?.data?["field"], .string(field), refused?.message ?? "")
        }
        XCTAssertNoThrow(try client.call("model/train", params: [
            "dataset": "toy", "optimizer": ["type": "lbfgs", "max_iter": .int(Int64(1_000_000))]]))
        XCTAssertEqual(try client.call(Ping.method)["pong"], true, "the daemon still serves")
    }
}

extension HostileInputTests {
    /// `dataset/load` asks the one memory budget whether the file could fit, before reading it,
    /// and counts the dataset it would replace as free.
    func testAFileThatCouldNotFitIsRefusedBeforeItIsRead() throws {
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 100_000 }
        let client = try daemon.client()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ballast-wide-\(UUID()).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let row = (0..<20).map { "\($0).5" }.joined(separator: ",") + ",1\n"
        let header = (0..<20).map { "x\($0)" }.joined(separator: ",") + ",y\n"
        try Data((header + String(repeating: row, count: 800) + String(repeating: row.replacingOccurrences(of: ",1\n", with: ",0\n"), count: 800)).utf8)
            .write(to: URL(fileURLWithPath: path))
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let refused = try XCTUnwrap(client.rpcError("dataset/load", ["path": .string(path), "label": "y"]))
        XCTAssertEqual(refused.code, ErrorCode.resourceLimit, refused.message)
        XCTAssertEqual(refused.data?["path"], .string(path))
        XCTAssertEqual(refused.data?["bytes_needed"], .int(Int64(2 * size)))
        XCTAssertTrue(refused.message.hasPrefix("Loading \(path) ("), refused.message)
        XCTAssertEqual(try client.call("dataset/list")["datasets"], [], "nothing was read into the workspace")
    }
}
