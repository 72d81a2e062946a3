import BallastClient
import BallastProtocol
@testable import BallastServer
import Foundation
import XCTest

/// Two long trainings on two workers do not keep a small one waiting until they end.
final class FairSchedulingTests: XCTestCase {
    func testASmallTrainingFinishesWhileTwoLongOnesRunAndAllStayCancellable() throws {
        let daemon = try TestDaemon { $0.jobWorkers = 2 }
        let client = try daemon.client()
        try client.prepareCards(rows: 20_000)
        for name in ["a", "b"] {
            try client.sendRaw(JSONWriter.data(Message.request(id: .string(name), method: "model/train", params: [
                "dataset": "cards.train", "name": .string(name), "model": ["type": "mlp", "hidden": [16]],
                "optimizer": ["type": "adam", "epochs": 100000],
            ]).json))
        }
        let control = try daemon.client(initialize: false)
        func longOnesRunning() throws -> Int {
            let inFlight = try control.control(Status.method)["in_flight"]?.arrayValue ?? []
            return inFlight.filter { $0["method"] == "model/train" && ($0["elapsed_s"]?.doubleValue ?? 0) > 0.3 }.count
        }
        let deadline = Date().addingTimeInterval(30)
        while try longOnesRunning() < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertEqual(try longOnesRunning(), 2, "both long trainings hold the two workers")

        var progress = 0
        let small = try client.call("model/train", params: ["dataset": "cards.train", "name": "small", "progress_token": "small"],
                                    timeout: 120) { method, _ in if method == WorkProgress.method { progress += 1 } }
        XCTAssertEqual(small["model"], "small")
        XCTAssertGreaterThan(progress, 0, "the small training reported progress")
        XCTAssertEqual(try longOnesRunning(), 2, "it finished while both long ones still ran")

        for name in ["a", "b"] {
            XCTAssertEqual(try control.control("run/cancel", params: ["name": .string(name)])["cancelled"], true)
        }
        var codes: [String: Int64] = [:]
        while codes.count < 2, let message = try client.next(timeout: 60) {
            if let id = message["id"]?.stringValue { codes[id] = message["error"]?["code"]?.intValue }
        }
        XCTAssertEqual(codes, ["a": Int64(ErrorCode.requestCancelled), "b": Int64(ErrorCode.requestCancelled)])
    }

    /// Both slots are held by trainings whose every pass is minutes long, so a third training
    /// waits for its turn; cancelled while it waits, it answers -32800 at once, not when a pass of
    /// the others ends. (The bound only catches a wait for a slot: it is far shorter than a pass.)
    func testATrainingCancelledWhileWaitingForItsTurnAnswersAtOnce() throws {
        let daemon = try TestDaemon { $0.jobWorkers = 2 }
        let client = try daemon.client()
        try client.prepareCards(rows: 60_000)
        // 30,000 rows × 1.1 million weights, forward and back: a pass costs about 2·10^11 flops.
        let long: JSONValue = ["dataset": "cards.train", "model": ["type": "mlp", "hidden": [1024, 1024]],
                               "optimizer": ["type": "adam", "epochs": 1000, "batch_size": 30_000]]
        for id in ["a", "b", "third"] {
            var params = long.objectValue!
            params["name"] = .string(id)
            try client.sendRaw(JSONWriter.data(Message.request(id: .string(id), method: "model/train", params: .object(params)).json))
        }
        let turnstile = daemon.server.computeShare.turnstile
        let deadline = Date().addingTimeInterval(60)
        while turnstile.occupancy != (2, 1) && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        XCTAssertTrue(turnstile.occupancy == (2, 1), "two trainings compute and the third waits for its turn")

        try client.cancel(.string("third"))
        var replies: [String: JSONValue] = [:]
        let answered = Date().addingTimeInterval(20)
        while replies["third"] == nil, Date() < answered, let message = try client.next(timeout: answered.timeIntervalSinceNow) {
            if let id = message["id"]?.stringValue { replies[id] = message }
        }
        let third = try XCTUnwrap(replies["third"], "the waiting training answered")
        XCTAssertEqual(third["error"]?["code"]?.intValue, Int64(ErrorCode.requestCancelled))
        XCTAssertEqual(third["error"]?["data"]?["steps"], 0, "it never computed")
        XCTAssertNil(replies["a"] ?? replies["b"], "while the others were still in their pass")
        XCTAssertEqual(turnstile.occupancy.waiting, 0, "and it left the line")

        for id in ["a", "b"] { try client.cancel(.string(id)) }
        let ended = Date().addingTimeInterval(60)
        while replies.count < 3, Date() < ended, let message = try client.next(timeout: ended.timeIntervalSinceNow) {
            if let id = message["id"]?.stringValue { replies[id] = message }
        }
        XCTAssertEqual(replies["a"]?["error"]?["code"]?.intValue, Int64(ErrorCode.requestCancelled))
        XCTAssertEqual(replies["b"]?["error"]?["code"]?.intValue, Int64(ErrorCode.requestCancelled))
    }
}
