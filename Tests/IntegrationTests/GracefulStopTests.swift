import BallastClient
import BallastProtocol
import BallastTransport
import Foundation
import XCTest

/// A graceful stop answers every request it interrupts before the daemon exits.
final class GracefulStopTests: XCTestCase {
    private var folder: String!

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "ballast-stop-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A training of many short steps.
    static let manySteps: JSONValue = ["model": ["type": "mlp", "hidden": [16]], "optimizer": ["type": "adam", "epochs": 100000]]
    /// A training whose every pass over the data is long: a wide network, mini-batches of 16,384 rows.
    static let longSteps: JSONValue = ["model": ["type": "mlp", "hidden": [512, 512]],
                                       "optimizer": ["type": "adam", "epochs": 100000, "batch_size": 16384]]

    /// Sends `training` on cards.train as `id`, and returns once `status` shows it running.
    private func startLongTraining(_ client: Client, id: String, _ training: JSONValue = manySteps) throws {
        try client.prepareCards(rows: 40_000)
        var params = training.objectValue!
        params["dataset"] = "cards.train"
        params["name"] = .string(id)
        try client.sendRaw(JSONWriter.data(Message.request(id: .string(id), method: "model/train", params: .object(params)).json))
        let deadline = Date().addingTimeInterval(30)
        var running = false
        while !running && Date() < deadline {
            let inFlight = try client.control(Status.method)["in_flight"]?.arrayValue ?? []
            running = inFlight.contains { $0["method"] == "model/train" && ($0["elapsed_s"]?.doubleValue ?? 0) > 0.2 }
            if !running { Thread.sleep(forTimeInterval: 0.02) }
        }
        XCTAssertTrue(running, "the training started")
    }

    /// Returns once `status` lists the request `id` as in flight (waiting for its turn or computing).
    private func waitUntilInFlight(_ id: String, on client: Client) throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let inFlight = try client.control(Status.method)["in_flight"]?.arrayValue ?? []
            if inFlight.contains(where: { $0["id"] == .string(id) }) { return }
            Thread.sleep(forTimeInterval: 0.02)
        }
        XCTFail("\(id) never showed in flight")
    }

    /// The error codes of the replies to `ids`, skipping other messages, collected until all came
    /// or a generous bound passed; a reply that is not an error counts as 0.
    private func replies(to ids: Set<String>, on client: Client, within seconds: Double = 30) throws -> [String: Int64] {
        var codes: [String: Int64] = [:]
        let deadline = Date().addingTimeInterval(seconds)
        while codes.count < ids.count, Date() < deadline, let message = try client.next(timeout: deadline.timeIntervalSinceNow) {
            if let id = message["id"]?.stringValue, ids.contains(id) { codes[id] = message["error"]?["code"]?.intValue ?? 0 }
        }
        return codes
    }

    /// What a stop answers a request it cancelled inside a pass. A stop answers -32013 only to a
    /// request that did not answer within the stop's grace, which these tests never wait for: an
    /// answer of -32013 means the work did not notice its cancellation.
    private let cancelled = Int64(ErrorCode.requestCancelled)

    func testSigtermDuringATrainingAnswersItThenExitsZeroAndRemovesTheConnectionFile() throws {
        let path = folder + "/ballastd.json"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltProducts.path("ballastd"))
        // A grace far beyond the bound on the reply, as below: on a loaded machine a chunk of the
        // pass can take seconds, and only an answer by the cancellation itself is a pass.
        process.arguments = ["--connection-file", path, "--log-level", "error", "--ephemeral", "--stop-grace", "120"]
        try process.run()
        defer { if process.isRunning { process.interrupt(); process.waitUntilExit() } }
        var info: ConnectionInfo?
        let started = Date().addingTimeInterval(20)
        while info == nil && Date() < started {
            info = try? ConnectionInfo.read(from: path)
            if info?.pid == nil { info = nil; Thread.sleep(forTimeInterval: 0.02) }
        }
        let client = try Client(try XCTUnwrap(info, "the daemon wrote its connection file"))
        client.defaultTimeout = 30
        try client.initialize(name: "tests")
        // Every pass takes far longer than the stop's grace: only a check inside the pass answers in time.
        try startLongTraining(client, id: "long", Self.longSteps)

        process.terminate()
        let code = try XCTUnwrap(try replies(to: ["long"], on: client)["long"], "the interrupted training is answered")
        XCTAssertEqual(code, cancelled, "answered by the cancellation inside the pass, not by the stop's deadline")
        let exited = Date().addingTimeInterval(30)
        while process.isRunning && Date() < exited { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertFalse(process.isRunning, "the daemon exits")
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testControlShutdownAnswersEveryRequestInFlight() throws {
        // A grace far beyond the bound on the replies: only cancellation inside the passes (or
        // while waiting for a turn) answers in time, never the stop's deadline.
        let daemon = try TestDaemon { $0.stopGraceSeconds = 120 }
        let client = try daemon.client()
        try startLongTraining(client, id: "long", Self.longSteps)
        // Waiting for its turn or computing: answered either way, and long before its first pass ends.
        var second = Self.longSteps.objectValue!
        second["dataset"] = "cards.train"
        try client.sendRaw(JSONWriter.data(Message.request(id: .string("second"), method: "model/train", params: .object(second)).json))
        // The stop must find it in flight: one that arrives after the stop began is refused with
        // -32013 instead, rightly, and that is not what this test is about.
        try waitUntilInFlight("second", on: client)
        XCTAssertEqual(try client.control(Shutdown.method), .null)
        let codes = try replies(to: ["long", "second"], on: client)
        XCTAssertEqual(Set(codes.keys), ["long", "second"], "every request in flight is answered")
        XCTAssertEqual(codes, ["long": cancelled, "second": cancelled], "both noticed their cancellation")
        XCTAssertEqual(daemon.server.waitUntilStopped(), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: daemon.connectionFile))
    }
}
