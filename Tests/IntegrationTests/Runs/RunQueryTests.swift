import BallastClient
import BallastProtocol
import Foundation
import XCTest
@testable import BallastServer

/// `run/list`, `run/compare`, `run/delete` and the statuses a run ends with, on the default
/// (ephemeral) test daemon: its store is in memory, and the methods work as on disk.
final class RunQueryTests: XCTestCase {
    private func ids(_ list: JSONValue) -> [String] {
        list["runs"]?.arrayValue?.compactMap { $0["run"]?.stringValue } ?? []
    }

    /// Four trainings on two datasets, with two losses and two model types; returns the daemon.
    private func trainFour(_ client: Client) throws {
        _ = try client.call("dataset/generate", params: ["preset": "fraud", "name": "a", "rows": 3_000, "seed": 1])
        _ = try client.call("dataset/generate", params: ["preset": "fraud", "name": "b", "rows": 3_000, "seed": 2])
        _ = try client.call("model/train", params: ["dataset": "a", "name": "a_ce"])                                   // r1
        _ = try client.call("model/train", params: ["dataset": "a", "name": "a_wce",
                                                    "loss": ["type": "wce", "weights": ["scheme": "inverse"]]])         // r2
        _ = try client.call("model/train", params: ["dataset": "b", "validation": "a", "name": "b_ce"])                // r3
        _ = try client.call("model/train", params: ["dataset": "b", "name": "b_mlp", "model": ["type": "mlp", "hidden": [4]],
                                                    "optimizer": ["type": "adam", "epochs": 3]])                       // r4
    }

    func testAnEphemeralDaemonListsFiltersSortsAndPagesItsRuns() throws {
        let daemon = try TestDaemon()
        XCTAssertNil(daemon.server.configuration.stateDirectory, "the default test daemon is ephemeral")
        let client = try daemon.client()
        try trainFour(client)

        XCTAssertEqual(ids(try client.call("run/list")), ["r4", "r3", "r2", "r1"], "newest first")
        XCTAssertEqual(ids(try client.call("run/list", params: ["order": "asc"])), ["r1", "r2", "r3", "r4"])
        XCTAssertEqual(ids(try client.call("run/list", params: ["dataset": "a"])), ["r3", "r2", "r1"], "a dataset in any role")
        XCTAssertEqual(ids(try client.call("run/list", params: ["loss": "wce"])), ["r2"])
        XCTAssertEqual(ids(try client.call("run/list", params: ["model_type": "mlp"])), ["r4"])
        XCTAssertEqual(ids(try client.call("run/list", params: ["model": "b_ce"])), ["r3"])
        XCTAssertEqual(ids(try client.call("run/list", params: ["dataset": "b", "loss": "ce"])), ["r4", "r3"], "every filter must match")
        XCTAssertEqual(ids(try client.call("run/list", params: ["status": "failed"])), [])
        XCTAssertEqual(ids(try client.call("run/list", params: ["method": "experiment/sweep"])), [])
        XCTAssertEqual(try client.call("run/list", params: ["since": "2000-01-01"])["total"], 4)
        XCTAssertEqual(try client.call("run/list", params: ["until": "2000-01-01T00:00:00Z"])["total"], 0)
        let started = try XCTUnwrap(try client.call("run/describe", params: ["run": "r3"])["summary"]?["started"]?.stringValue)
        XCTAssertEqual(ids(try client.call("run/list", params: ["since": .string(started), "order": "asc"])), ["r3", "r4"],
                       "since includes a run that began at that instant")

        // Sorted by a metric only r3 has: it comes first in either order, the others after it.
        XCTAssertEqual(ids(try client.call("run/list", params: ["sort_by": "validation.f1"])).first, "r3")
        XCTAssertEqual(ids(try client.call("run/list", params: ["sort_by": "validation.f1", "order": "asc"])), ["r3", "r1", "r2", "r4"],
                       "runs without the metric last, in the order they began")
        let byRecall = try client.call("run/list", params: ["sort_by": "train.recall", "dataset": "a", "loss": "wce"])
        XCTAssertNotNil(byRecall["runs"]?.arrayValue?.first?["metrics"]?["train.recall"]?.doubleValue)
        let recalls = try client.call("run/list", params: ["sort_by": "train.recall"])["runs"]?.arrayValue?
            .compactMap { $0["metrics"]?["train.recall"]?.doubleValue } ?? []
        XCTAssertEqual(recalls.count, 4)
        XCTAssertEqual(recalls, recalls.sorted(by: >), "descending by the metric")

        // Pages of two: total on every page, next_offset until the last.
        let first = try client.call("run/list", params: ["limit": 2])
        XCTAssertEqual(ids(first), ["r4", "r3"])
        XCTAssertEqual(first["total"], 4)
        XCTAssertEqual(first["next_offset"], 2)
        let second = try client.call("run/list", params: ["limit": 2, "offset": 2])
        XCTAssertEqual(ids(second), ["r2", "r1"])
        XCTAssertNil(second["next_offset"])
        XCTAssertEqual(ids(try client.call("run/list", params: ["offset": 10])), [])

        XCTAssertEqual(client.rpcError("run/list", ["limit": 0])?.data?["field"], "limit")
        XCTAssertEqual(client.rpcError("run/list", ["limit": 1001])?.data?["field"], "limit")
        XCTAssertEqual(client.rpcError("run/list", ["since": "last week"])?.data?["field"], "since")
        XCTAssertEqual(client.rpcError("run/list", ["status": "paused"])?.code, ErrorCode.invalidParams)
        // A metric no run has would list in start order as if sorted: refused, with the nearest name.
        let unknownMetric = client.rpcError("run/list", ["sort_by": "validation.f2"])
        XCTAssertEqual(unknownMetric?.data?["field"], "sort_by")
        XCTAssertTrue(unknownMetric?.message.contains("Did you mean 'validation.f1'?") == true, unknownMetric?.message ?? "no error")
    }

    func testCompareTabulatesMetricsAndTheParamsThatDiffer() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try trainFour(client)
        let table = try client.call("run/compare", params: ["runs": ["r2", "r1"]])
        XCTAssertEqual(table["params"], ["loss.type", "loss.weights.scheme", "name"], "only the paths whose values differ")
        XCTAssertEqual(table["rows"]?.arrayValue?.map { $0["run"] }, ["r2", "r1"], "rows in the order asked")
        XCTAssertEqual(table["rows"]?.arrayValue?.first?["params"], ["wce", "inverse", "a_wce"])
        XCTAssertEqual(table["rows"]?.arrayValue?.last?["params"], [nil, nil, "a_ce"])
        let metrics = try XCTUnwrap(table["metrics"]?.arrayValue?.compactMap(\.stringValue))
        XCTAssertTrue(metrics.contains("train.f1") && metrics.contains("objective") && metrics.contains("steps"), "\(metrics)")
        XCTAssertFalse(metrics.contains("validation.f1"), "neither run had validation data")
        XCTAssertEqual(metrics, metrics.sorted())

        let chosen = try client.call("run/compare", params: ["runs": ["r1", "r3"], "metrics": ["validation.f1", "steps"],
                                                             "params": ["validation", "optimizer.lr"]])
        let rows = try XCTUnwrap(chosen["rows"]?.arrayValue)
        XCTAssertEqual(rows[0]["metrics"]?.arrayValue?.first, .null, "r1 had no validation data")
        XCTAssertNotNil(rows[1]["metrics"]?.arrayValue?.first?.doubleValue)
        XCTAssertEqual(rows[0]["params"], [nil, nil])
        XCTAssertEqual(rows[1]["params"], ["a", nil])

        let unknown = client.rpcError("run/compare", ["runs": ["r1", "r2", "r99"]])
        XCTAssertEqual(unknown?.code, ErrorCode.notFound)
        XCTAssertEqual(unknown?.data?["field"], "runs[2]")
        XCTAssertEqual(client.rpcError("run/compare", ["runs": []])?.data?["field"], "runs")
    }

    /// run/compare runs on the lane every session shares: its table is bounded, and a run listed
    /// twice is refused where it is listed again.
    func testCompareRefusesTablesPastItsLimitsAndARunListedTwice() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        let many = JSONValue.array((0..<1_001).map { .string("m\($0)") })
        let twice = client.rpcError("run/compare", ["runs": ["r1", "r2", "r1"]])
        XCTAssertEqual(twice?.code, ErrorCode.invalidParams)
        XCTAssertEqual(twice?.data?["field"], "runs[2]")
        XCTAssertEqual(client.rpcError("run/compare", ["runs": ["r1"], "metrics": many])?.data?["field"], "metrics")
        XCTAssertEqual(client.rpcError("run/compare", ["runs": ["r1"], "params": many])?.data?["field"], "params")
        let thousand = JSONValue.array((0..<1_000).map { .string("c\($0)") })
        let runs = JSONValue.array((1...501).map { .string("r\($0)") })
        let cells = client.rpcError("run/compare", ["runs": runs, "metrics": thousand, "params": thousand])
        XCTAssertEqual(cells?.code, ErrorCode.invalidParams, "501 runs × 2,000 columns is past a million cells")
        XCTAssertEqual(cells?.data?["field"], "runs")
        XCTAssertEqual(client.rpcError("run/compare", ["runs": ["r1"], "metrics": thousand, "params": thousand])?.code,
                       ErrorCode.notFound, "within the limits, the unknown run is what is refused")
    }

    /// run/events answers a page of records at a time, saying where the next one starts.
    func testEventsComeInPagesWithTheSeqToContinueFrom() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["preset": "fraud", "name": "a", "rows": 2_000, "seed": 1])
        _ = try client.call("model/train", params: ["dataset": "a", "optimizer": ["type": "adam", "epochs": 4]])
        let all = try client.call("run/events", params: ["run": "r1"])
        let seqs = all["events"]?.arrayValue?.compactMap { $0["seq"]?.intValue } ?? []
        XCTAssertGreaterThan(seqs.count, 3)
        XCTAssertNil(all["next_since_seq"], "every record fits the default page")
        var pages: [Int64] = []
        var since: Int64 = 0
        while true {
            let page = try client.call("run/events", params: ["run": "r1", "since_seq": .int(since), "limit": 2])
            let got = page["events"]?.arrayValue?.compactMap { $0["seq"]?.intValue } ?? []
            XCTAssertLessThanOrEqual(got.count, 2)
            pages += got
            guard let next = page["next_since_seq"]?.intValue else { break }
            XCTAssertEqual(next, got.last)
            since = next
        }
        XCTAssertEqual(pages, seqs, "the pages hold every record once, in order")
        XCTAssertEqual(client.rpcError("run/events", ["run": "r1", "limit": 0])?.data?["field"], "limit")
        XCTAssertEqual(client.rpcError("run/events", ["run": "r1", "limit": 100_001])?.data?["field"], "limit")
    }

    func testDeleteForgetsRunsButKeepsTheirModelsAndRefusesARunningOne() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try trainFour(client)
        let unknown = client.rpcError("run/delete", ["runs": ["r1", "r9"]])
        XCTAssertEqual(unknown?.code, ErrorCode.notFound)
        XCTAssertEqual(unknown?.data?["field"], "runs[1]")
        XCTAssertEqual(try client.call("run/list")["total"], 4, "an unknown id deletes nothing")

        XCTAssertEqual(try client.call("run/delete", params: ["runs": ["r1", "r2"]])["deleted"], ["r1", "r2"])
        XCTAssertEqual(ids(try client.call("run/list")), ["r4", "r3"])
        XCTAssertEqual(client.rpcError("run/describe", ["run": "r1"])?.code, ErrorCode.notFound)
        XCTAssertEqual(client.rpcError("run/events", ["run": "r1"])?.code, ErrorCode.notFound, "its records went with it")
        let models = try client.call("model/list")["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        XCTAssertEqual(models?.contains("a_ce"), true, "the model a deleted run trained is kept")

        // A run still going is refused, named, and nothing is deleted.
        let running = try startLongTraining(client, name: "long")
        let conflict = client.rpcError("run/delete", ["runs": ["r3", .string(running)]])
        XCTAssertEqual(conflict?.code, ErrorCode.conflict)
        XCTAssertEqual(conflict?.data?["field"], "runs[1]")
        XCTAssertEqual(conflict?.data?["run"], .string(running))
        XCTAssertTrue(conflict?.message.contains(running) ?? false)
        XCTAssertEqual(try client.call("run/describe", params: ["run": "r3"])["summary"]?["status"], "completed", "r3 was not deleted")
        _ = try daemon.client(initialize: false).control("run/cancel", params: ["run": .string(running)])
        XCTAssertEqual(try awaitReply(client, id: "long")["error"]?["code"]?.intValue, Int64(ErrorCode.requestCancelled))
        XCTAssertEqual(try client.call("run/delete", params: ["runs": .array([.string(running)])])["deleted"], .array([.string(running)]))
    }

    func testCancelledAndFailedRunsAreKeptWithTheirStatus() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["preset": "fraud", "name": "cards", "rows": 20_000, "seed": 1])
        let running = try startLongTraining(client, name: "long")
        let live = try client.call("run/list", params: ["status": "running"])
        XCTAssertEqual(ids(live), [running], "a live run is listed as running")
        XCTAssertNil(live["runs"]?.arrayValue?.first?["ended"])
        _ = try daemon.client(initialize: false).control("run/cancel", params: ["run": .string(running)])
        XCTAssertEqual(try awaitReply(client, id: "long")["error"]?["code"]?.intValue, Int64(ErrorCode.requestCancelled))
        let cancelled = try XCTUnwrap(try client.call("run/describe", params: ["run": .string(running)])["summary"])
        XCTAssertEqual(cancelled["status"], "cancelled")
        XCTAssertNotNil(cancelled["ended"]?.stringValue)
        XCTAssertNotNil(cancelled["metrics"]?["steps"]?.doubleValue, "what the partial result held")
        XCTAssertEqual(try client.call("run/events", params: ["run": .string(running)])["complete"], true)
        XCTAssertEqual(try daemon.client(initialize: false).control("run/cancel", params: ["run": .string(running)])["cancelled"], false)

        let diverged = client.rpcError("model/train", ["dataset": "cards", "name": "boom", "model": ["type": "mlp", "hidden": [4]],
                                                       "optimizer": ["type": "sgd", "lr": 1e30, "epochs": 3]])
        XCTAssertEqual(diverged?.code, ErrorCode.trainingDiverged)
        let failed = try XCTUnwrap(try client.call("run/list", params: ["status": "failed"])["runs"]?.arrayValue)
        XCTAssertEqual(failed.count, 1)
        XCTAssertEqual(failed.first?["model"], "boom")
        XCTAssertEqual(failed.first?["message"]?.stringValue, diverged?.message, "the message the reply carried")
        let events = try client.call("run/events", params: ["run": try XCTUnwrap(failed.first?["run"])])
        XCTAssertEqual(events["events"]?.arrayValue?.last?["stop_reason"], "failed")

        // Invalid params start no run.
        XCTAssertEqual(client.rpcError("model/train", ["dataset": "cards", "loss": ["type": "hinge"]])?.code, ErrorCode.invalidParams)
        XCTAssertEqual(try client.call("run/list")["total"], 2)
    }

    /// Sends a training that runs until cancelled, with request id `name`, and returns its run id
    /// once the run is listed.
    private func startLongTraining(_ client: Client, name: String) throws -> String {
        let dataset = (try? client.call("dataset/describe", params: ["dataset": "cards"])) != nil ? "cards" : "a"
        let params: JSONValue = ["dataset": .string(dataset), "name": .string(name), "model": ["type": "mlp", "hidden": [16]],
                                 "optimizer": ["type": "adam", "epochs": 100_000]]
        try client.sendRaw(JSONWriter.data(Message.request(id: .string(name), method: "model/train", params: params).json))
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let run = try client.call("run/list", params: ["status": "running", "model": .string(name)])["runs"]?
                .arrayValue?.first?["run"]?.stringValue {
                return run
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        XCTFail("the training \(name) was never listed as running")
        throw ClientError.timeout(method: "model/train", seconds: 30, cancelled: false)
    }

    private func awaitReply(_ client: Client, id: String) throws -> JSONValue {
        while let message = try client.next(timeout: 30) {
            if message["id"]?.stringValue == id { return message }
        }
        XCTFail("no reply to \(id)")
        return .null
    }
}
