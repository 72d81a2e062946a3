import BallastClient
import BallastProtocol
import Foundation
import XCTest
@testable import BallastStore
@testable import BallastServer

/// Runs kept in the state directory come back when another daemon opens it.
final class RunRestartTests: XCTestCase {
    /// A state directory shared by the daemons of one test, removed when it ends.
    func stateDirectory() -> String {
        let folder = NSTemporaryDirectory() + "ballast-runs-\(UUID().uuidString)"
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        return folder + "/state"
    }

    func testARestartBringsBackEveryRunWithItsEventsAndContinuesTheIds() throws {
        let state = stateDirectory()
        var first: (list: JSONValue, describe: [JSONValue], events: [JSONValue], runs: [String])
        do {
            let daemon = try TestDaemon { $0.stateDirectory = state }
            let client = try daemon.client()
            try client.prepareCards(rows: 4_000)
            let trained = try client.call("model/train", params: [
                "dataset": "cards.train", "validation": "cards.validation", "name": "m1",
                "optimizer": ["type": "adam", "epochs": 5, "lr": 0.05, "batch_size": 256]])
            let compared = try client.call("experiment/compare", params: [
                "train": "cards.train", "test": "cards.test", "arms": ["ce", "wce_inverse"]])
            let swept = try client.call("experiment/sweep", params: ["dataset": "cards.train", "param": "w", "grid": [0.5, 0.9], "folds": 2])
            let runs = try [trained, compared, swept].map { try XCTUnwrap($0["run"]?.stringValue) }
            XCTAssertEqual(runs, ["r1", "r2", "r3"])
            first.runs = runs
            first.list = try client.call("run/list")
            first.describe = try runs.map { try client.call("run/describe", params: ["run": .string($0)]) }
            first.events = try runs.map { try client.call("run/events", params: ["run": .string($0)]) }
            XCTAssertEqual(daemon.stop(), 0)
        }
        XCTAssertEqual(first.list["total"], 3)
        XCTAssertEqual(first.list["runs"]?.arrayValue?.compactMap { $0["run"]?.stringValue }, ["r3", "r2", "r1"], "newest first")
        let train = try XCTUnwrap(first.describe[0]["summary"])
        XCTAssertEqual(train["status"], "completed")
        XCTAssertEqual(train["model"], "m1")
        XCTAssertEqual(train["model_type"], "logistic")
        XCTAssertEqual(train["loss"], "ce")
        XCTAssertEqual(train["datasets"]?.arrayValue?.compactMap { $0["role"]?.stringValue }, ["dataset", "validation"])
        XCTAssertEqual(train["datasets"]?.arrayValue?.first?["fingerprint"]?.stringValue?.count, 64)
        XCTAssertNotNil(train["metrics"]?["validation.f1"]?.doubleValue)
        XCTAssertEqual(train["metrics"]?["steps"], 5)
        XCTAssertEqual(first.describe[0]["params"]?["optimizer"]?["lr"], 0.05, "the params as sent")
        XCTAssertEqual(first.describe[0]["config"]?["optimizer"]?["type"], "adam")
        XCTAssertNotNil(first.describe[0]["config"]?["l2"]?.doubleValue, "the config as resolved")
        XCTAssertNotNil(first.describe[1]["summary"]?["metrics"]?["wce_inverse.f1"]?.doubleValue)
        XCTAssertNotNil(first.describe[2]["summary"]?["metrics"]?["best.mean"]?.doubleValue)
        XCTAssertEqual(first.events.map { $0["complete"] }, [true, true, true])

        let daemon = try TestDaemon { $0.stateDirectory = state }
        let client = try daemon.client()
        XCTAssertEqual(try client.call("run/list"), first.list)
        for (index, run) in first.runs.enumerated() {
            XCTAssertEqual(try client.call("run/describe", params: ["run": .string(run)]), first.describe[index])
            XCTAssertEqual(try client.call("run/events", params: ["run": .string(run)]), first.events[index])
        }
        try client.prepareCards(rows: 2_000)
        let next = try client.call("model/train", params: ["dataset": "cards.train", "name": "m2"])
        XCTAssertEqual(next["run"], "r4", "ids continue after the largest kept")
        XCTAssertEqual(try client.call("run/list")["total"], 4)
    }
}

extension RunRestartTests {
    /// A run left `running` by a daemon that died (written here straight to the store, as a
    /// kill -9 would leave it) comes back `interrupted` with the records it had, and the next
    /// run takes the id after it.
    func testARunLeftRunningComesBackInterruptedWithItsRecords() throws {
        let state = stateDirectory()
        do {
            let store = try Store(directory: URL(fileURLWithPath: state))
            try store.beginRun(RunStart(id: "r7", method: "model/train", params: ["dataset": "cards.train", "name": "lost"],
                                        datasets: [RunDataset(role: "dataset", name: "cards.train")], model: "lost"))
            var begin = RunEvent(kind: .begin, title: "Training", total: 100)
            (begin.run, begin.seq) = ("r7", 1)
            var report = RunEvent(kind: .report, step: 3, loss: 0.5)
            (report.run, report.seq) = ("r7", 2)
            try store.appendEvents([begin, report])
            try store.close()
        }
        let daemon = try TestDaemon { $0.stateDirectory = state }
        let client = try daemon.client()
        let listed = try XCTUnwrap(try client.call("run/list")["runs"]?.arrayValue?.first)
        XCTAssertEqual(listed["run"], "r7")
        XCTAssertEqual(listed["status"], "interrupted")
        XCTAssertNil(listed["ended"], "its end is unknown")
        let events = try client.call("run/events", params: ["run": "r7"])
        XCTAssertEqual(events["events"]?.arrayValue?.compactMap { $0["seq"]?.intValue }, [1, 2])
        XCTAssertEqual(events["complete"], true, "nothing more will come")
        XCTAssertEqual(try client.call("run/list", params: ["dataset": "cards.train", "status": "interrupted"])["total"], 1)
        try client.prepareCards(rows: 2_000)
        XCTAssertEqual(try client.call("model/train", params: ["dataset": "cards.train"])["run"], "r8")
    }
}

extension RunRestartTests {
    /// A graceful stop cancels the runs in flight: they end `cancelled`, not `interrupted`.
    func testAGracefulStopKeepsARunInFlightAsCancelled() throws {
        let state = stateDirectory()
        do {
            let daemon = try TestDaemon { $0.stateDirectory = state }
            let client = try daemon.client()
            try client.prepareCards(rows: 20_000)
            let params: JSONValue = ["dataset": "cards.train", "name": "long", "model": ["type": "mlp", "hidden": [16]],
                                     "optimizer": ["type": "adam", "epochs": 100_000]]
            try client.sendRaw(JSONWriter.data(Message.request(id: .string("long"), method: "model/train", params: params).json))
            let deadline = Date().addingTimeInterval(30)
            while try client.call("run/list", params: ["status": "running"])["total"] != 1 && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
            XCTAssertEqual(daemon.stop(), 0)
        }
        let daemon = try TestDaemon { $0.stateDirectory = state }
        let run = try XCTUnwrap(try daemon.client().call("run/list")["runs"]?.arrayValue?.first)
        XCTAssertEqual(run["model"], "long")
        XCTAssertEqual(run["status"], "cancelled")
        XCTAssertNotNil(run["ended"]?.stringValue)
    }
}

extension RunRestartTests {
    /// The newest run deleted and the daemon restarted: the next run gets a new id, not the
    /// deleted one's (models keep the id of the run that trained them).
    func testADeletedNewestRunsIdIsNotGivenAgainAfterARestart() throws {
        let state = stateDirectory()
        do {
            let daemon = try TestDaemon { $0.stateDirectory = state }
            let client = try daemon.client()
            try client.prepareCards(rows: 2_000)
            XCTAssertEqual(try client.call("model/train", params: ["dataset": "cards.train", "name": "m1"])["run"], "r1")
            XCTAssertEqual(try client.call("model/train", params: ["dataset": "cards.train", "name": "m2"])["run"], "r2")
            XCTAssertEqual(try client.call("run/delete", params: ["runs": ["r2"]])["deleted"], ["r2"])
            XCTAssertEqual(daemon.stop(), 0)
        }
        let daemon = try TestDaemon { $0.stateDirectory = state }
        let client = try daemon.client()
        try client.prepareCards(rows: 2_000)
        XCTAssertEqual(try client.call("model/train", params: ["dataset": "cards.train", "name": "m3"])["run"], "r3")
    }

    /// Run ids the daemon could not count on from (a number SQLite casts to Int.max, one just
    /// below it) are ignored: the daemon starts, and numbers its runs after the others.
    func testRunIdsPastTheBoundDoNotStopTheDaemon() throws {
        let state = stateDirectory()
        do {
            let store = try Store(directory: URL(fileURLWithPath: state))
            for id in ["r99999999999999999999", "r\(Int.max - 1)", "r4"] {
                try store.beginRun(RunStart(id: id, method: "model/train", params: [:]))
            }
            try store.close()
        }
        let daemon = try TestDaemon { $0.stateDirectory = state }
        let client = try daemon.client()
        try client.prepareCards(rows: 2_000)
        XCTAssertEqual(try client.call("model/train", params: ["dataset": "cards.train"])["run"], "r5")
        XCTAssertEqual(try client.call("model/train", params: ["dataset": "cards.train"])["run"], "r6")
        XCTAssertEqual(Runs.after(Int.max), Int.max, "never traps")
    }

    /// A row with a value of the wrong type answers -32603 naming the store and the run; the
    /// daemon goes on.
    func testADamagedRunRowIsAnErrorNotACrash() throws {
        let state = stateDirectory()
        let path = state + "/" + Store.fileName
        do {
            let store = try Store(directory: URL(fileURLWithPath: state))
            try store.beginRun(RunStart(id: "r1", method: "model/train", params: [:]))
            try store.finishRun(RunFinish(id: "r1", status: .completed))
            try store.close()
        }
        try DamagedStore.execute("UPDATE runs SET started = 'yesterday' WHERE id = 'r1'", path: path)
        let daemon = try TestDaemon { $0.stateDirectory = state }
        let client = try daemon.client()
        for (method, params) in [("run/list", [:]), ("run/describe", ["run": "r1"]), ("run/compare", ["runs": ["r1"]])] as [(String, JSONValue)] {
            let error = client.rpcError(method, params)
            XCTAssertEqual(error?.code, ErrorCode.internalError, method)
            XCTAssertTrue(error?.message.contains(path) == true, error?.message ?? "no error")
            XCTAssertTrue(error?.message.contains("r1") == true, error?.message ?? "no error")
        }
        XCTAssertNoThrow(try client.call("ping"), "the daemon goes on")
    }
}

