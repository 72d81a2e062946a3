import BallastClient
import BallastProtocol
import Foundation
import XCTest

/// Cancellation reaches inside one long step, not only the gaps between steps.
final class LongStepCancellationTests: XCTestCase {
    func testAWideNetworkWhoseOnlyStepIsOneLongPassIsCancelledAndAnswered() throws {
        let daemon = try TestDaemon()
        let client = try daemon.client()
        _ = try client.call("dataset/generate", params: ["preset": "fraud", "name": "wide", "rows": 30_000, "seed": 1])
        // One epoch of one mini-batch holding every row: the only check between steps comes
        // before the step, and the passes over a 512×512 network take many seconds.
        let id = client.upcomingID
        try client.sendRaw(JSONWriter.data(Message.request(id: id, method: "model/train", params: [
            "dataset": "wide", "name": "wide", "model": ["type": "mlp", "hidden": [512, 512]],
            "optimizer": ["type": "adam", "epochs": 1, "batch_size": 30_000],
        ]).json))
        let control = try daemon.client(initialize: false)
        let started = Date().addingTimeInterval(30)
        var running = false
        while !running && Date() < started {
            let inFlight = try control.control(Status.method)["in_flight"]?.arrayValue ?? []
            running = inFlight.contains { $0["method"] == "model/train" && ($0["elapsed_s"]?.doubleValue ?? 0) > 1 }
        }
        XCTAssertTrue(running, "the training is under way")
        try client.cancel(id)
        var reply: JSONValue?
        let deadline = Date().addingTimeInterval(60)
        while reply == nil, Date() < deadline, let message = try client.next(timeout: deadline.timeIntervalSinceNow) {
            if message["id"] == id.json { reply = message }
        }
        let answer = try XCTUnwrap(reply, "the cancelled training is answered")
        XCTAssertEqual(answer["error"]?["code"]?.intValue, Int64(ErrorCode.requestCancelled), "\(answer)")
        XCTAssertEqual(answer["error"]?["data"]?["steps"], 0, "cancelled inside its only step")
        XCTAssertEqual(try client.call("model/list")["models"], [], "a cancelled training stores no model")
    }
}
