import BallastClient
import BallastProtocol
import Foundation
import XCTest
@testable import BallastServer

/// `model/train` through a real daemon: results, progress, events, cancellation, concurrency.
final class TrainingTests: XCTestCase {
    func testCEAndWCEOnTheFraudPresetTradePrecisionForRecall() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try client.prepareCards()
        let ce = try client.call("model/train", params: ["dataset": "cards.train", "validation": "cards.validation", "name": "ce"])
        let wce = try client.call("model/train", params: ["dataset": "cards.train", "validation": "cards.validation", "name": "wce",
                                                          "loss": ["type": "wce", "weights": ["scheme": "inverse"]]])
        XCTAssertEqual(ce["stop_reason"], "converged")
        XCTAssertEqual(ce["model"], "ce")
        let ceRecall = try XCTUnwrap(ce["metrics"]?["validation"]?["positive"]?["recall"]?.doubleValue)
        let wceRecall = try XCTUnwrap(wce["metrics"]?["validation"]?["positive"]?["recall"]?.doubleValue)
        let cePrecision = try XCTUnwrap(ce["metrics"]?["validation"]?["positive"]?["precision"]?.doubleValue)
        let wcePrecision = try XCTUnwrap(wce["metrics"]?["validation"]?["positive"]?["precision"]?.doubleValue)
        XCTAssertGreaterThan(wceRecall, ceRecall, "weighting the rare class finds more of it")
        XCTAssertLessThan(wcePrecision, cePrecision, "and pays for it in precision")
        XCTAssertNotNil(wce["calibration"]?["brier_after"], "weighted training reports prior correction")
        XCTAssertEqual(ce["calibration"] ?? .null, .null, "plain CE has nothing to correct")
        let listed = try client.call("model/list")["models"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        XCTAssertEqual(listed, ["ce", "wce"])
    }

    func testProgressRecordsMatchTheEventsSocketAndRunEvents() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try client.prepareCards(rows: 60_000)
        let events = try EventSubscription(daemon.info, topic: "run.")
        var progress: [JSONValue] = []
        let result = try client.call("model/train", params: [
            "dataset": "cards.train", "validation": "cards.validation", "progress_token": "t1",
            "model": ["type": "mlp", "hidden": [8]], "optimizer": ["type": "adam", "epochs": 6, "lr": 0.01, "batch_size": 512],
        ]) { method, params in
            if method == WorkProgress.method, params["token"] == "t1" { progress.append(params["value"] ?? .null) }
        }
        let run = try XCTUnwrap(result["run"]?.stringValue)
        let kinds = progress.compactMap { $0["kind"]?.stringValue }
        XCTAssertEqual(kinds.first, "begin")
        XCTAssertEqual(kinds.last, "end")
        XCTAssertEqual(kinds.filter { $0 == "begin" }.count, 1)
        XCTAssertGreaterThanOrEqual(kinds.filter { $0 == "report" }.count, 1)
        let seqs = progress.compactMap { $0["seq"]?.intValue }
        XCTAssertEqual(seqs, Array(1...Int64(seqs.count)), "seq counts up from 1 without gaps")
        XCTAssertEqual(progress.dropLast().last?["step"], 6, "the last step is always reported before end")

        var published: [JSONValue] = []
        while let event = try events.next(timeout: 1) {
            if event.topic == "run.\(run)" { published.append(event.params) }
        }
        XCTAssertEqual(published, progress, "the events socket carries the same records")
        let replay = try client.call("run/events", params: ["run": .string(run), "since_seq": 2])
        XCTAssertEqual(replay["complete"], true)
        XCTAssertEqual(replay["events"]?.arrayValue, Array(progress.dropFirst(2)), "a late subscriber gets what it missed")
    }

    func testCancelRequestStopsTrainingWithPartialMetricsAndStoresNothing() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try client.prepareCards(rows: 60_000)
        let failure = try XCTUnwrap(client.callCancellingAtFirstProgress("model/train", [
            "dataset": "cards.train", "validation": "cards.validation", "name": "long", "progress_token": 1,
            "model": ["type": "mlp", "hidden": [16]], "optimizer": ["type": "adam", "epochs": 100000],
        ], reportsOnly: false).failure)
        XCTAssertEqual(failure.code, ErrorCode.requestCancelled)
        XCTAssertNotNil(failure.data?["steps"]?.intValue)
        XCTAssertNotNil(failure.data?["run"]?.stringValue)
        XCTAssertEqual(try client.call("model/list")["models"], [], "a cancelled training stores no model")
        XCTAssertEqual(try client.call("dataset/drop", params: ["dataset": "cards.train"])["dropped"], "cards.train",
                       "the datasets are free again")
    }

    func testRunCancelOnTheControlSocketWhileTwoTrainingsRunAndPingStaysLive() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try client.prepareCards(rows: 60_000)
        let long: JSONValue = ["model": ["type": "mlp", "hidden": [16]], "optimizer": ["type": "adam", "epochs": 100000]]
        for name in ["a", "b"] {
            var params = long.objectValue!
            params["dataset"] = "cards.train"
            params["name"] = .string(name)
            try client.sendRaw(JSONWriter.data(Message.request(id: .string(name), method: "model/train", params: .object(params)).json))
        }
        let control = try daemon.client(initialize: false)
        var inFlight: [String] = []
        let deadline = Date().addingTimeInterval(20)
        while inFlight.filter({ $0 == "model/train" }).count < 2 && Date() < deadline {
            inFlight = try control.control(Status.method)["in_flight"]?.arrayValue?.compactMap { $0["method"]?.stringValue } ?? []
        }
        XCTAssertEqual(inFlight.filter { $0 == "model/train" }.count, 2, "both trainings run at once")
        XCTAssertEqual(try control.control(Ping.method)["pong"], true, "control answers while both workers train")
        XCTAssertEqual(client.rpcError("dataset/drop", ["dataset": "cards.train"])?.code, ErrorCode.conflict,
                       "a dataset in use by a training cannot be dropped")
        // A request shows in `status` from its arrival; its run begins a moment later (its datasets
        // leased, its model's memory reserved, its record committed): cancel once the run exists.
        for name in ["a", "b"] {
            var answer: JSONValue?
            let runDeadline = Date().addingTimeInterval(20)
            while answer == nil && Date() < runDeadline {
                do { answer = try control.control("run/cancel", params: ["name": .string(name)]) } catch {
                    Thread.sleep(forTimeInterval: 0.01)
                }
            }
            XCTAssertEqual(answer?["cancelled"], true, "the run producing \(name) was cancelled")
        }
        var codes: [String: Int64] = [:]
        while codes.count < 2, let message = try client.next(timeout: 30) {
            if let id = message["id"]?.stringValue { codes[id] = message["error"]?["code"]?.intValue }
        }
        XCTAssertEqual(codes, ["a": Int64(ErrorCode.requestCancelled), "b": Int64(ErrorCode.requestCancelled)])
    }

    func testBadTrainingRequestsNameWhatIsValid() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try client.prepareCards(rows: 20_000)
        let model = client.rpcError("model/train", ["dataset": "cards.train", "model": ["type": "forest"]])
        XCTAssertEqual(model?.code, ErrorCode.invalidParams)
        XCTAssertEqual(model?.data?["known"], ["logistic", "softmax", "mlp"])
        XCTAssertEqual(client.rpcError("model/train", ["dataset": "cards.train", "loss": ["type": "hinge"]])?.data?["known"], ["ce", "wce", "focal"])
        XCTAssertEqual(client.rpcError("model/train", ["dataset": "cards.train", "optimizer": ["type": "rmsprop"]])?.data?["known"],
                       ["lbfgs", "adam", "sgd"])
        XCTAssertEqual(client.rpcError("model/train", ["dataset": "cards.train", "optimizer": ["type": "lbfgs", "lr": 0.1]])?.data?["field"],
                       "optimizer.lr")
        XCTAssertEqual(client.rpcError("model/train", ["dataset": "cards.train", "optimizer": ["type": "adam", "learning_rate": 0.1]])?.data?["field"],
                       "optimizer.learning_rate", "misspelt nested fields are caught")
        XCTAssertEqual(client.rpcError("model/train", ["dataset": "cards.train", "loss": ["type": "wce", "weights": ["scheme": "custom", "weights": ["0": 1, "2": 5]]]])?.data?["field"],
                       "loss.weights.weights")
        XCTAssertEqual(client.rpcError("model/train", ["dataset": "cards.train", "threshold": "best_f1"])?.data?["field"], "threshold")
        XCTAssertEqual(client.rpcError("model/train", ["dataset": "nope"])?.code, ErrorCode.notFound)
        let diverged = client.rpcError("model/train", ["dataset": "cards.train", "model": ["type": "mlp", "hidden": [4]],
                                                       "optimizer": ["type": "sgd", "lr": 1e30, "epochs": 3]])
        XCTAssertEqual(diverged?.code, ErrorCode.trainingDiverged)
        XCTAssertTrue(diverged?.message.contains("learning rate") ?? false, diverged?.message ?? "")
        XCTAssertEqual(try client.call(Ping.method)["pong"], true)
    }
}

/// Early stopping over the wire: the validation metric stops a long run and the best model is kept.
final class EarlyStoppingTests: XCTestCase {
    func testEarlyStoppingEndsALongRunAndNeedsValidationData() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        try client.prepareCards(rows: 40_000)
        let result = try client.call("model/train", params: [
            "dataset": "cards.train", "validation": "cards.validation", "model": ["type": "mlp", "hidden": [8]],
            "optimizer": ["type": "adam", "epochs": 500, "lr": 0.05, "batch_size": 1024],
            "early_stopping": ["metric": "pr_auc", "patience": 2],
        ])
        XCTAssertEqual(result["stop_reason"], "early_stopping")
        XCTAssertLessThan(try XCTUnwrap(result["steps"]?.intValue), 500)
        let missing = client.rpcError("model/train", ["dataset": "cards.train", "early_stopping": ["patience": 2]])
        XCTAssertEqual(missing?.data?["field"], "early_stopping")
        let unknown = client.rpcError("model/train", ["dataset": "cards.train", "validation": "cards.validation",
                                                      "early_stopping": ["metric": "auc"]])
        XCTAssertEqual(unknown?.data?["field"], "early_stopping.metric")
    }
}
