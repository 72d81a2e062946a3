import BallastClient
import BallastProtocol
import Foundation
import XCTest
@testable import BallastServer

/// Datasets through a real daemon: loading files, errors that say where, the memory budget,
/// leases, and the control socket staying responsive while the request side is busy.
final class DatasetTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-data-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = folder + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func rpcError(_ body: () throws -> Any) -> RPCError? {
        do {
            _ = try body()
            return nil
        } catch {
            guard case .rpc(let rpc) = error as? ClientError else { return nil }
            return rpc
        }
    }

    func testLoadsACSVWithTextLabelsAndDescribesIt() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let path = try write("visits.csv", "age;score;outcome\r\n30;1.5;healthy\r\n40;2.5;sick\r\n50;NA;healthy\r\n60;4.5;healthy\r\n")
        let loaded = try client.call("dataset/load", params: ["path": .string(path), "label": "outcome", "missing": "impute_mean"])
        let summary = try XCTUnwrap(loaded["dataset"])
        XCTAssertEqual(summary["name"], "visits")
        XCTAssertEqual(summary["rows"], 4)
        XCTAssertEqual(summary["feature_names"], ["age", "score"])
        XCTAssertEqual(summary["classes"], [["label": "healthy", "count": 3], ["label": "sick", "count": 1]])
        XCTAssertEqual(summary["positive"], "sick", "the minority class is positive by default")
        let described = try client.call("dataset/describe", params: ["dataset": "visits"])
        let score = try XCTUnwrap(described["feature_stats"]?.arrayValue?[1])
        XCTAssertEqual(score["missing"], 1)
        XCTAssertEqual(score["mean"]?.doubleValue ?? 0, 2.8333333, accuracy: 1e-6, "the imputed mean keeps the mean")
        XCTAssertEqual(described["origin"], "loaded")
    }

    func testLoadErrorsSayWhereAndRegisterNothing() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let ragged = try write("ragged.csv", "a,b,label\n1,2,0\n3,4\n5,6,1\n")
        let raggedError = try XCTUnwrap(rpcError { try client.call("dataset/load", params: ["path": .string(ragged)]) })
        XCTAssertEqual(raggedError.code, ErrorCode.invalidData)
        XCTAssertEqual(raggedError.data?["kind"], "ragged_row")
        XCTAssertEqual(raggedError.data?["line"], 3)
        XCTAssertEqual(raggedError.data?["path"], .string(ragged))

        let text = try write("text.csv", "a,b,label\n1,2,0\n3,oops,1\n5,6,1\n")
        let textError = try XCTUnwrap(rpcError { try client.call("dataset/load", params: ["path": .string(text)]) })
        XCTAssertEqual(textError.data?["kind"], "not_numeric")
        XCTAssertEqual(textError.data?["line"], 3)
        XCTAssertEqual(textError.data?["column"], 2)
        XCTAssertEqual(textError.data?["field"], "b")

        let missing = try XCTUnwrap(rpcError { try client.call("dataset/load", params: ["path": .string(folder + "/none.csv")]) })
        XCTAssertEqual(missing.code, ErrorCode.notFound)
        let directory = try XCTUnwrap(rpcError { try client.call("dataset/load", params: ["path": .string(folder)]) })
        XCTAssertEqual(directory.data?["kind"], "is_directory")
        let single = try write("single.csv", "a,label\n1,x\n2,x\n")
        XCTAssertEqual(rpcError { try client.call("dataset/load", params: ["path": .string(single)]) }?.data?["kind"], "single_class")
        XCTAssertEqual(try client.call("dataset/list")["datasets"], [], "nothing half-registered")
        XCTAssertEqual(try client.call(Ping.method)["pong"], true, "and the daemon goes on serving")
    }

    func testMemoryBudgetRefusesAndStoresNothing() throws {
        let daemon = try TestDaemon { $0.memoryBudgetBytes = 500_000 }
        let client = try daemon.client()
        XCTAssertNoThrow(try client.call("dataset/generate", params: ["name": "small", "rows": 1000, "features": 10]))
        let refused = try XCTUnwrap(rpcError {
            try client.call("dataset/generate", params: ["name": "big", "rows": 20000, "features": 10])
        })
        XCTAssertEqual(refused.code, ErrorCode.resourceLimit)
        XCTAssertTrue(refused.message.contains("memory budget"), refused.message)
        let names = try client.call("dataset/list")["datasets"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        XCTAssertFalse(names?.contains("big") ?? true)
    }

    func testADatasetInUseCannotBeDroppedOrReplaced() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["name": "toy", "rows": 100])
        let release = try daemon.server.workspace.lease(["toy"])
        XCTAssertEqual(rpcError { try client.call("dataset/drop", params: ["dataset": "toy"]) }?.code, ErrorCode.conflict)
        XCTAssertEqual(rpcError { try client.call("dataset/generate", params: ["name": "toy", "rows": 50]) }?.code, ErrorCode.conflict)
        release()
        XCTAssertEqual(try client.call("dataset/drop", params: ["dataset": "toy"])["dropped"], "toy")
    }

    func testGenerationIsDeterministicOverTheWire() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        func stats(_ name: String, seed: Int64) throws -> JSONValue? {
            _ = try client.call("dataset/generate", params: ["preset": "mild_imbalance", "name": .string(name), "seed": .int(seed)])
            return try client.call("dataset/describe", params: ["dataset": .string(name)])["feature_stats"]
        }
        XCTAssertEqual(try stats("a", seed: 5), try stats("b", seed: 5))
        XCTAssertNotEqual(try stats("a", seed: 5), try stats("c", seed: 6))
    }

    func testControlAnswersWhileTheRequestSideIsBusyAndQueuedWorkCanBeCancelled() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        // A generation big enough to keep the request lane busy for a while.
        let slow = Message.request(id: .string("slow"), method: "dataset/generate",
                                   params: ["name": "big", "rows": 3_000_000, "features": 30])
        let queued = Message.request(id: .string("queued"), method: "dataset/list", params: [:])
        try client.sendRaw(JSONWriter.data(slow.json))
        try client.sendRaw(JSONWriter.data(queued.json))
        try client.cancel(.string("queued"))
        // The control socket has its own thread, so its first answer may come before the request
        // socket has even taken the generation in: ask until the generation shows as in flight.
        var seen: [[String]] = []
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let status = try client.control(Status.method)
            seen.append(status["in_flight"]?.arrayValue?.compactMap { $0["method"]?.stringValue } ?? [])
            if seen.last!.contains("dataset/generate") { break }
            Thread.sleep(forTimeInterval: 0.005)
        }
        XCTAssertTrue(seen.last?.contains("dataset/generate") ?? false, "control answered while the generation ran: \(seen.suffix(3))")
        XCTAssertNil(try client.control(Status.method)["state_dir"], "an ephemeral daemon names no state directory")
        var replies: [String: JSONValue] = [:]
        while replies.count < 2, let message = try client.next(timeout: 60) {
            if let id = message["id"]?.stringValue { replies[id] = message }
        }
        XCTAssertEqual(replies["slow"]?["result"]?["rows"], 3_000_000)
        XCTAssertEqual(replies["queued"]?["error"]?["code"], .int(Int64(ErrorCode.requestCancelled)),
                       "a request cancelled before it started is answered with -32800")
    }
}
